package cred

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
)

// KeyMatchesCert reports whether key (a public key, or a crypto.Signer whose
// public half is used) is the key of cert.
func KeyMatchesCert(key any, cert *x509.Certificate) bool {
	if cert == nil || key == nil {
		return false
	}
	if s, ok := key.(crypto.Signer); ok {
		key = s.Public()
	}
	pub, ok := key.(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(cert.PublicKey)
}

// KeyDescription names a key's type and size, such as "RSA 2048" or
// "EC P-256". key is a public key or a crypto.Signer.
func KeyDescription(key any) string {
	if s, ok := key.(crypto.Signer); ok {
		key = s.Public()
	}
	switch k := key.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "EC " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	case nil:
		return "none"
	}
	return fmt.Sprintf("%T", key)
}
