package inspect

import (
	"crypto"
	"errors"
	"fmt"
	"strings"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/jose"
)

// candidate is a public key that may have signed a token.
type candidate struct {
	label string
	pub   crypto.PublicKey
}

// verifyTokens checks each token's signature with the keys given in the
// other inputs: a JWKS key chosen by kid/x5t, a certificate whose thumbprint
// is the token's x5t or x5t#S256 (or, without either, any certificate or
// key given), and last the token's own x5c, which proves possession but
// not trust. Only the token's own asymmetric algorithm is allowed here:
// inspect reports; Entra's algorithm policy is checked by diagnose.
func verifyTokens(reports []*Report, pairs []loaded) {
	for _, r := range reports {
		t := r.jwt
		if t == nil || t.Claims == nil || r.Token == nil {
			continue
		}
		alg := t.Alg()
		if alg == "" || alg == "none" || strings.HasPrefix(alg, "HS") {
			r.Token.Signature = fmt.Sprintf("not verified (alg %q has no public key)", alg)
			continue
		}
		cands := tokenCandidates(t, reports, pairs)
		if len(cands) == 0 {
			continue
		}
		c := cands[0]
		err := jose.Verify(t, c.pub, []string{alg})
		ok := err == nil
		r.Token.SignatureValid = &ok
		switch {
		case ok:
			r.Token.Signature = "verifies with " + c.label
		case errors.Is(err, jose.ErrBadSignature):
			r.Token.Signature = "does not verify with " + c.label
			detail := "the signature does not verify with " + c.label
			if _, nonce := t.Header["nonce"]; nonce {
				detail += " (expected: a Graph token with a nonce header verifies only at Graph)"
			}
			r.Problems = append(r.Problems, Problem{"bad-signature", detail})
		default:
			r.Token.Signature = fmt.Sprintf("could not be checked with %s: %v", c.label, err)
		}
	}
}

func tokenCandidates(t *jose.JWT, reports []*Report, pairs []loaded) []candidate {
	var out []candidate
	for _, r := range reports {
		if len(r.jwks) == 0 {
			continue
		}
		if k, ok := jose.KeyFor(r.jwks, t); ok && k.Public != nil {
			out = append(out, candidate{fmt.Sprintf("key %q of %s", k.Kid, r.Input), k.Public})
		}
	}
	named := t.X5t() != "" || t.X5tS256() != ""
	for _, p := range pairs {
		for _, c := range p.bundle.Certs {
			tp := cred.ThumbprintsOf(c)
			if !named || sameThumb(t.X5t(), tp.X5t) || sameThumb(t.X5tS256(), tp.X5tS256) {
				out = append(out, candidate{fmt.Sprintf("certificate %s (SHA-1 %s) of %s", c.Subject, tp.SHA1Hex, p.report.Input), c.PublicKey})
			}
		}
		if named {
			continue
		}
		if p.bundle.Key != nil {
			out = append(out, candidate{"the private key of " + p.report.Input, p.bundle.Key.Public()})
		}
		for _, k := range p.bundle.PublicKeys {
			out = append(out, candidate{"the public key of " + p.report.Input, k})
		}
	}
	if certs := t.X5c(); len(certs) > 0 {
		if b, err := cred.Load("x5c", certs[0], ""); err == nil && len(b.Certs) > 0 {
			out = append(out, candidate{"the certificate in its own x5c header (this shows who signed, not that the signer is trusted)", b.Certs[0].PublicKey})
		}
	}
	return out
}

// sameThumb compares a header thumbprint, in whatever encoding it was
// written, with the canonical base64url form.
func sameThumb(header, canonical string) bool {
	if header == "" {
		return false
	}
	p, err := cred.ParseThumbprintForm(header)
	return err == nil && p.Base64URL() == canonical
}
