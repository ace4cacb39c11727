// Package signins owns Entra ID sign-in and audit logs once they leave Entra:
// the import formats (diagnostic-settings / Event Hub records, Microsoft Graph
// signIns and directoryAudits responses, Log Analytics and portal exports in
// JSON or CSV, gzip or not), the normalized sign-in record, the credential
// audit event, the Store interface that keeps them, and the analyses run over
// a store: reports and "what changed" (credential changes followed by
// failures).
//
// It must not print, render HTML or reach the network: the command line
// renders, and the alert and watch subpackages notify and poll. Concrete
// stores live in subpackages (sqlstore); storetest holds the suite every
// Store implementation must pass.
package signins
