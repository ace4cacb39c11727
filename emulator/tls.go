package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// TLSMaterial is a server certificate for localhost, 127.0.0.1 and ::1 and
// the local CA that issued it.
type TLSMaterial struct {
	// Certificate is the server certificate with its private key, ready for
	// tls.Config.Certificates.
	Certificate tls.Certificate
	// CAPEM is the CA certificate in PEM, what clients must trust
	// (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, an x509.CertPool).
	CAPEM []byte
	// CAPool holds the CA certificate.
	CAPool *x509.CertPool
	// NotAfter is when the server certificate expires.
	NotAfter time.Time
	// Created is true when LocalTLS made new material instead of loading it.
	Created bool
}

// TLSConfig returns a server tls.Config that serves the certificate.
func (m *TLSMaterial) TLSConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{m.Certificate}, MinVersion: tls.VersionTLS12}
}

const (
	tlsValidity = 2 * 365 * 24 * time.Hour
	// tlsRenewBefore is how long before expiry LocalTLS replaces the material.
	tlsRenewBefore = 7 * 24 * time.Hour
	caFile         = "emulator-ca.pem"
	serverFile     = "emulator-server.pem"
	serverKeyFile  = "emulator-server-key.pem"
)

// DataDir returns the directory aadsts keeps its files in: $AADSTS_DATA_DIR
// when set, else os.UserConfigDir()/aadsts.
func DataDir(getenv func(string) string) (string, error) {
	if d := getenv("AADSTS_DATA_DIR"); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("data directory: %w (set AADSTS_DATA_DIR)", err)
	}
	return filepath.Join(base, "aadsts"), nil
}

// NewTLSMaterial makes a fresh local CA and a server certificate for
// localhost, 127.0.0.1 and ::1, in memory. The CA is name-constrained to
// those names and its private key is discarded once the server certificate
// is signed, so trusting the CA cannot let anyone mint certificates for
// other hosts.
func NewTLSMaterial(now time.Time) (*TLSMaterial, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate CA key: %w", err)
	}
	serial := func() *big.Int {
		n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
		return n
	}
	_, loop4, _ := net.ParseCIDR("127.0.0.0/8")
	_, loop6, _ := net.ParseCIDR("::1/128")
	notBefore := now.Add(-time.Hour)
	ca := &x509.Certificate{
		SerialNumber:                serial(),
		Subject:                     pkix.Name{CommonName: "aadsts emulator local CA", Organization: []string{"aadsts"}},
		NotBefore:                   notBefore,
		NotAfter:                    now.Add(tlsValidity + 24*time.Hour),
		KeyUsage:                    x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid:       true,
		IsCA:                        true,
		MaxPathLenZero:              true,
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         []string{"localhost"},
		PermittedIPRanges:           []*net.IPNet{loop4, loop6},
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, caKey.Public(), caKey)
	if err != nil {
		return nil, fmt.Errorf("create CA certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("parse CA certificate: %w", err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate server key: %w", err)
	}
	leaf := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    notBefore,
		NotAfter:     now.Add(tlsValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, leafKey.Public(), caKey)
	if err != nil {
		return nil, fmt.Errorf("create server certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(leafKey)
	if err != nil {
		return nil, fmt.Errorf("encode server key: %w", err)
	}
	m, err := tlsFromPEM(
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	)
	if err != nil {
		return nil, err
	}
	m.Created = true
	return m, nil
}

// LocalTLS loads the CA and server certificate kept in dir, or makes and
// stores new ones when they are missing, unreadable or within a week of
// expiry. The server key is written with mode 0600; the CA key is never
// stored (see NewTLSMaterial).
func LocalTLS(dir string, now time.Time) (*TLSMaterial, error) {
	caPEM, err1 := os.ReadFile(filepath.Join(dir, caFile))
	certPEM, err2 := os.ReadFile(filepath.Join(dir, serverFile))
	keyPEM, err3 := os.ReadFile(filepath.Join(dir, serverKeyFile))
	if err := errors.Join(err1, err2, err3); err == nil {
		m, err := tlsFromPEM(caPEM, certPEM, keyPEM)
		if err == nil && now.Add(tlsRenewBefore).Before(m.NotAfter) {
			return m, nil
		}
	}
	m, err := NewTLSMaterial(now)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	leafPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: m.Certificate.Certificate[0]})
	keyDER, err := x509.MarshalPKCS8PrivateKey(m.Certificate.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("encode server key: %w", err)
	}
	for _, f := range []struct {
		name string
		data []byte
		mode os.FileMode
	}{
		{serverKeyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600},
		{serverFile, leafPEM, 0o644},
		{caFile, m.CAPEM, 0o644},
	} {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, f.mode); err != nil {
			return nil, fmt.Errorf("write %s: %w", filepath.Join(dir, f.name), err)
		}
	}
	return m, nil
}

// LoadTLS reads a user-supplied server certificate (PEM, leaf first, chain
// allowed) and its key (--tls-cert/--tls-key). CAPEM is left empty.
func LoadTLS(certFile, keyFile string) (*TLSMaterial, error) {
	c, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate %s with key %s: %w", certFile, keyFile, err)
	}
	m := &TLSMaterial{Certificate: c}
	if leaf, err := x509.ParseCertificate(c.Certificate[0]); err == nil {
		m.NotAfter = leaf.NotAfter
	}
	return m, nil
}

func tlsFromPEM(caPEM, certPEM, keyPEM []byte) (*TLSMaterial, error) {
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("server certificate and key: %w", err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("server certificate: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("CA certificate: no PEM certificate found")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost", CurrentTime: leaf.NotBefore.Add(time.Hour)}); err != nil {
		return nil, fmt.Errorf("server certificate does not chain to the CA: %w", err)
	}
	pair.Leaf = leaf
	return &TLSMaterial{Certificate: pair, CAPEM: caPEM, CAPool: pool, NotAfter: leaf.NotAfter}, nil
}
