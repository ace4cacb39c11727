// Package errtext turns pasted error text in any form into typed evidence:
// the AADSTS codes it carries, the primary code, the OAuth error value, the
// named fields (trace and correlation IDs, timestamps, app, tenant, key and
// assertion details...) and the form the text came in (token-endpoint JSON,
// an MSAL or Azure Identity exception, a browser sign-in page, a log line...).
//
// It reads text only: it knows nothing about what a code means or how to fix
// it (that is the catalog's job), never prints and never touches the network.
// Parsing is linear in the size of the input and never panics, whatever the
// input; field values are kept exactly as the text has them, and normalised
// forms (parsed times, lower-case GUIDs) are kept apart in Result.Normalised.
package errtext
