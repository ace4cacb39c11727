// Package rules is the single source of truth for what Microsoft Entra ID
// answers to a token request: client secrets, certificate client
// assertions, federated (workload identity) assertions, request parameters,
// and, for APIs, how a token would be validated by Microsoft.IdentityModel.
//
// Every check returns a Finding with a stable ID, a status, and on failure
// the AADSTS code, the OAuth error, the HTTP status and the message text
// Entra would put on the wire (without the Trace ID tail, which the
// emulator appends). Checks run in the order Entra applies them
// (shared/spec/client-assertion-rules.md §5); the first failure is the
// verdict.
//
// The package does no I/O: it takes already-parsed evidence (the request
// form, the directory objects, certificates) and the current time and
// leeway as arguments. It never prints, and it never puts a secret, a
// private key or a whole token in a Finding. Both the emulator and the
// offline diagnosis call it; neither has its own copy of a rule.
package rules
