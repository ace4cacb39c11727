// Package cred owns credentials as users hold them: X.509 certificates,
// private keys, PKCS#12/PFX bundles, PEM and DER encodings, certificate
// thumbprints in every form Entra and its tools show, and the shape of
// client secrets.
//
// It names mangled input instead of only rejecting it (base64 applied
// twice, a PEM with CRLF or lost line breaks, a UTF-8 BOM, UTF-16 text from
// a PowerShell redirect, a PFX with a wrong password). It makes no network
// calls, never prints, and never returns a private key, secret or password
// inside an error or a Problem: use Redact for anything shown to a user.
package cred

// Problem is something odd about an input that did not stop it from being
// read: the input was accepted, but the way it was written is worth naming.
type Problem struct {
	// ID is a short stable identifier, such as "bom", "utf16", "crlf",
	// "pem-line-breaks-lost", "double-base64", "base64-of-pem".
	ID string `json:"id"`
	// Detail is one human sentence. It never holds secret material.
	Detail string `json:"detail"`
}
