package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/emulator/internal/mprsa"
	"github.com/aadsts/aadsts/jose"
)

// Generated signing keys are RSA-2048 keys made of this many 512-bit
// primes, which halves the cost of the signature that dominates issuing a
// token (see package mprsa). Verifiers see an ordinary RSA-2048 key.
const signingKeyPrimes = 4

// signingKey is one token-signing key with the self-signed certificate
// Entra publishes alongside its keys in x5c.
type signingKey struct {
	signer  crypto.Signer // a generated multi-prime key, or the caller's *rsa.PrivateKey
	pub     *rsa.PublicKey
	certDER []byte
	kid     string    // = x5t, base64url SHA-1 of the certificate, as Entra does
	retire  time.Time // zero for the current key
}

// newSigningKey makes a signing key from priv, which crypto/rsa signs
// with, or when priv is nil from a generated multi-prime RSA-2048 key.
func newSigningKey(priv *rsa.PrivateKey, now time.Time) (*signingKey, error) {
	var signer crypto.Signer
	var pub *rsa.PublicKey
	if priv != nil {
		signer, pub = priv, &priv.PublicKey
	} else {
		k, err := mprsa.Generate(2048, signingKeyPrimes)
		if err != nil {
			return nil, fmt.Errorf("generate signing key: %w", err)
		}
		signer, pub = k, k.PublicKey()
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "accounts.accesscontrol.windows.net"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(5 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, signer)
	if err != nil {
		return nil, fmt.Errorf("create signing certificate: %w", err)
	}
	return &signingKey{signer: signer, pub: pub, certDER: der, kid: cred.ThumbprintsOfDER(der).X5t}, nil
}

// jwk is one key of the JWKS, members in Entra's order.
type jwk struct {
	Kty    string   `json:"kty"`
	Use    string   `json:"use"`
	Kid    string   `json:"kid"`
	X5t    string   `json:"x5t"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	X5c    []string `json:"x5c"`
	Issuer string   `json:"issuer,omitempty"`
}

func (k *signingKey) jwk(issuer string) jwk {
	return jwk{
		Kty: "RSA", Use: "sig", Kid: k.kid, X5t: k.kid,
		N:      base64.RawURLEncoding.EncodeToString(k.pub.N.Bytes()),
		E:      base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.pub.E)).Bytes()),
		X5c:    []string{base64.StdEncoding.EncodeToString(k.certDER)},
		Issuer: issuer,
	}
}

// keyRing holds the current signing key and the retired ones still
// published during their grace period, as Entra keeps a rolled-over key in
// its JWKS for a while.
type keyRing struct {
	mu      sync.RWMutex
	current *signingKey
	retired []*signingKey
	grace   time.Duration
}

func newKeyRing(priv *rsa.PrivateKey, grace time.Duration, now time.Time) (*keyRing, error) {
	k, err := newSigningKey(priv, now)
	if err != nil {
		return nil, err
	}
	return &keyRing{current: k, grace: grace}, nil
}

// signer returns the key that signs new tokens.
func (r *keyRing) signer() *signingKey {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.current
}

// rotate makes a new current key; the old one stays published until
// now + grace. It returns the new key id.
func (r *keyRing) rotate(now time.Time) (string, error) {
	k, err := newSigningKey(nil, now)
	if err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.current
	old.retire = now.Add(r.grace)
	r.retired = append([]*signingKey{old}, r.retired...)
	r.current = k
	return k.kid, nil
}

// published returns the keys in the JWKS at now: the current key first,
// then retired keys whose grace period has not ended.
func (r *keyRing) published(now time.Time) []*signingKey {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := []*signingKey{r.current}
	for _, k := range r.retired {
		if now.Before(k.retire) {
			out = append(out, k)
		}
	}
	return out
}

// jwks returns the published keys at now as verification keys.
func (r *keyRing) jwks(now time.Time) []jose.JWK {
	var out []jose.JWK
	for _, k := range r.published(now) {
		out = append(out, jose.JWK{Kid: k.kid, Kty: "RSA", X5t: k.kid, Public: k.pub})
	}
	return out
}

// byKid returns a published key by id.
func (r *keyRing) byKid(kid string, now time.Time) *signingKey {
	for _, k := range r.published(now) {
		if k.kid == kid {
			return k
		}
	}
	return nil
}
