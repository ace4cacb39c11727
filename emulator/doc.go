// Package emulator is a local stand-in for Microsoft Entra ID's token
// service: the HTTP endpoints of the identity platform (OpenID discovery,
// JWKS, MSAL instance discovery, the v1 and v2 token endpoints, v2
// authorize), a minimal Microsoft Graph surface, signing-key rotation,
// fault injection, clock control and sign-in recording.
//
// It owns the wire: parsing requests into evidence, rendering Entra's
// success and error bodies and headers, issuing tokens shaped like Entra's.
// It must not decide Entra policy itself: every check of a credential or a
// request is delegated to package rules, so the emulator and the offline
// diagnosis can never disagree. The directory it serves comes from package
// directory. It never prints and never logs secrets or whole tokens.
//
// Use New for an http.Handler, NewTestServer inside Go tests (a running
// HTTPS server and the CA pool that trusts it), and LocalTLS for the
// certificate material `aadsts emulate` keeps on disk.
package emulator
