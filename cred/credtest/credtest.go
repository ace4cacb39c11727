// Package credtest makes throwaway certificates and keys for tests, so that
// no test stores key material. It is for tests only.
package credtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"
)

// Cert is a self-signed certificate with its RSA key.
type Cert struct {
	Key  *rsa.PrivateKey
	Cert *x509.Certificate
}

// New makes a self-signed RSA-2048 certificate for cn, valid from
// notBefore to notAfter.
func New(t testing.TB, cn string, notBefore, notAfter time.Time) Cert {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return WithKey(t, key, cn, notBefore, notAfter)
}

// WithKey makes a self-signed certificate for an existing key.
func WithKey(t testing.TB, key *rsa.PrivateKey, cn string, notBefore, notAfter time.Time) Cert {
	t.Helper()
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn}, NotBefore: notBefore, NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return Cert{Key: key, Cert: cert}
}

// CertPEM is the certificate in PEM.
func (c Cert) CertPEM() string { return PEM("CERTIFICATE", c.Cert.Raw) }

// KeyPEM is the private key in PKCS#8 PEM.
func (c Cert) KeyPEM() string {
	der, _ := x509.MarshalPKCS8PrivateKey(c.Key)
	return PEM("PRIVATE KEY", der)
}

// PEM encodes one block.
func PEM(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}
