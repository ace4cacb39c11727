package scenarios

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"sync"
	"time"
)

// Cert is a generated certificate and its private key.
type Cert struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// NewRSACert generates a self-signed RSA certificate valid from notBefore to
// notAfter, as `az ad sp create-for-rbac --create-cert` or New-SelfSignedCertificate would.
func NewRSACert(cn string, bits int, notBefore, notAfter time.Time) (Cert, error) {
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return Cert{}, fmt.Errorf("generate RSA key for %s: %w", cn, err)
	}
	return selfSign(cn, key, notBefore, notAfter)
}

// The suite's RSA keys are generated once per process and reused by every
// suite built (certificates are made anew for each suite's time): RSA key
// generation is the slow part, and a test binary builds several suites.
var (
	poolMu sync.Mutex
	pool   = map[string]*rsa.PrivateKey{}
)

// pooledRSACert is NewRSACert with a key shared by every suite under cn.
func pooledRSACert(cn string, notBefore, notAfter time.Time) (Cert, error) {
	poolMu.Lock()
	key, ok := pool[cn]
	if !ok {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			poolMu.Unlock()
			return Cert{}, fmt.Errorf("generate RSA key for %s: %w", cn, err)
		}
		pool[cn] = key
	}
	poolMu.Unlock()
	return selfSign(cn, key, notBefore, notAfter)
}

// NewECCert generates a self-signed P-256 certificate (which Entra refuses
// for client assertions).
func NewECCert(cn string, notBefore, notAfter time.Time) (Cert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Cert{}, fmt.Errorf("generate EC key for %s: %w", cn, err)
	}
	return selfSign(cn, key, notBefore, notAfter)
}

func selfSign(cn string, key crypto.Signer, notBefore, notAfter time.Time) (Cert, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return Cert{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return Cert{}, fmt.Errorf("self-sign %s: %w", cn, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return Cert{}, err
	}
	return Cert{Cert: cert, Key: key}, nil
}
