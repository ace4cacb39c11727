package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"testing"
	"time"

	"github.com/aadsts/aadsts/emulator/internal/mprsa"
	"github.com/aadsts/aadsts/jose"
)

// TestSigningKeys: generated keys (first and rotated) sign with the
// multi-prime signer, a key the caller brings signs with crypto/rsa, and in
// every case tokens and the x5c certificate verify with the published
// RSA-2048 public key.
func TestSigningKeys(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	own, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		priv      *rsa.PrivateKey
		rotate    bool
		generated bool
	}{
		{"generated", nil, false, true},
		{"rotated", own, true, true},
		{"caller's key", own, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ring, err := newKeyRing(c.priv, time.Hour, now)
			if err != nil {
				t.Fatal(err)
			}
			if c.rotate {
				if _, err := ring.rotate(now); err != nil {
					t.Fatal(err)
				}
			}
			k := ring.signer()
			switch s := k.signer.(type) {
			case *mprsa.PrivateKey:
				if !c.generated {
					t.Fatal("the caller's key is not signing")
				}
			case *rsa.PrivateKey:
				if c.generated || s != c.priv {
					t.Fatal("a generated key signs with crypto/rsa")
				}
			default:
				t.Fatalf("signer is %T", s)
			}
			if k.pub.N.BitLen() != 2048 || k.pub.E != 65537 {
				t.Fatalf("public key is %d bits with e = %d", k.pub.N.BitLen(), k.pub.E)
			}
			tok, err := jose.Sign(map[string]any{"aud": "x"}, map[string]any{"kid": k.kid}, k.signer, "RS256")
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := jose.Decode(tok)
			if err != nil {
				t.Fatal(err)
			}
			published := ring.byKid(parsed.Kid(), now)
			if published == nil {
				t.Fatal("signing key not published")
			}
			if err := jose.Verify(parsed, published.pub, []string{"RS256"}); err != nil {
				t.Fatalf("token does not verify: %v", err)
			}
			cert, err := x509.ParseCertificate(k.certDER)
			if err != nil {
				t.Fatal(err)
			}
			if !k.pub.Equal(cert.PublicKey) {
				t.Fatal("x5c certificate holds another key")
			}
			if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
				t.Fatalf("x5c certificate: %v", err)
			}
		})
	}
}
