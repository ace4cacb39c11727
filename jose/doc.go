// Package jose decodes and checks compact JWTs (JWS), JWKs and JWK sets as
// Entra and its clients produce them, with diagnostics that name malformed
// encodings (padding, a Bearer prefix, URL encoding, truncation, a JWE where
// a JWS was expected, base64 applied twice).
//
// It owns the wire format only: it does not decide Entra policy (that is the
// rules package), makes no network calls and never prints. Signature
// verification always takes an algorithm allow-list; a token's own "alg"
// header is never trusted on its own. The cryptography of verification is
// delegated to github.com/go-jose/go-jose/v4, whose types stay private to
// this package.
package jose

// Problem is an oddity in an input that was still decoded: the decoder
// accepted it, but Entra or a strict library may not.
type Problem struct {
	// ID is short and stable: "whitespace", "quotes", "bearer-prefix", "form-field",
	// "url-encoded", "padding", "not-base64url", "double-encoded",
	// "truncated", "jwe", "unsigned", "duplicate-claim", "bom",
	// "hex-thumbprint-in-x5t", "x5t-mismatch", "nonstandard-alg".
	ID string `json:"id"`
	// Detail is one human sentence. It never holds the token itself.
	Detail string `json:"detail"`
}
