// Package diagnose combines a user's own artifacts (a client assertion, a
// certificate, key or PFX, an app registration export, a secret, a token,
// a token request, the error text they got) with Entra's rules and the
// AADSTS catalog into a report: what Entra would answer, which check
// fails, the facts that prove it and the fix.
//
// It reads the files a caller names through Options.ReadFile (so tests and
// the web UI can supply their own) and renders reports as text, markdown or
// JSON into a writer it is given. It never prints on its own, never calls
// os.Exit, and never puts a secret, a private key, a PFX password or a
// whole token in a report: tokens appear redacted, secrets by hint and
// fingerprint only. Every rule comes from package rules; none is copied
// here.
package diagnose
