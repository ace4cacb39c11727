package jose

import (
	"crypto"
	"errors"
	"fmt"
	"slices"

	gojose "github.com/go-jose/go-jose/v4"
)

// Errors Verify returns; test them with errors.Is.
var (
	// ErrAlgNotAllowed means the token's "alg" is not in the caller's
	// allow-list (or is "none").
	ErrAlgNotAllowed = errors.New("algorithm not allowed")
	// ErrBadSignature means the signature does not verify with the key.
	ErrBadSignature = errors.New("signature does not verify")
	// ErrKeyType means the key cannot verify this algorithm (an EC key for
	// RS256, for example).
	ErrKeyType = errors.New("key type does not fit the algorithm")
)

// Algorithms Entra accepts for client assertions: RSA PKCS#1 v1.5 and PSS.
var EntraAssertionAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}

// KnownAlgs are the JWS algorithms this package recognises.
var KnownAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA"}

// Verify checks t's signature with pub. The header's alg must be in
// allowed, or Verify fails with ErrAlgNotAllowed without touching the key.
// pub is an *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey or, for
// HS*, a []byte secret.
func Verify(t *JWT, pub crypto.PublicKey, allowed []string) error {
	alg := t.Alg()
	if alg == "" || alg == "none" || !slices.Contains(allowed, alg) {
		return fmt.Errorf("%w: %q (allowed: %v)", ErrAlgNotAllowed, alg, allowed)
	}
	if !slices.Contains(KnownAlgs, alg) {
		return fmt.Errorf("%w: %q is not a JWS algorithm", ErrAlgNotAllowed, alg)
	}
	if t.Raw == "" || len(t.SigningInput) == 0 {
		return fmt.Errorf("%w: nothing to verify", ErrMalformed)
	}
	compact := string(t.SigningInput) + "." + b64url(t.Signature)
	jws, err := gojose.ParseSignedCompact(compact, []gojose.SignatureAlgorithm{gojose.SignatureAlgorithm(alg)})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := jws.Verify(pub); err != nil {
		if errors.Is(err, gojose.ErrCryptoFailure) {
			return fmt.Errorf("%s: %w", alg, ErrBadSignature)
		}
		return fmt.Errorf("%s with %T: %w", alg, pub, ErrKeyType)
	}
	return nil
}
