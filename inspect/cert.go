package inspect

import (
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/aadsts/aadsts/cred"
)

// Certificate describes one X.509 certificate.
type Certificate struct {
	Subject     string           `json:"subject"`
	Issuer      string           `json:"issuer"`
	Serial      string           `json:"serial"`
	NotBefore   time.Time        `json:"not_before"`
	NotAfter    time.Time        `json:"not_after"`
	Status      string           `json:"status"`
	Validity    string           `json:"validity"`
	KeyType     string           `json:"key_type"`
	SelfSigned  bool             `json:"self_signed"`
	Thumbprints cred.Thumbprints `json:"thumbprints"`
	// HasPrivateKey is true when a private key given alongside belongs to
	// this certificate.
	HasPrivateKey bool `json:"has_private_key"`
}

// Key describes a private or public key without showing it.
type Key struct {
	Private bool   `json:"private"`
	Type    string `json:"type"`
	// MatchesCertificate names the certificate (subject and SHA-1) the key
	// belongs to, among all certificates given; empty when none.
	MatchesCertificate string `json:"matches_certificate,omitempty"`
	// MatchesSHA1 is that certificate's hex SHA-1.
	MatchesSHA1 string `json:"matches_sha1,omitempty"`
	// Checked is how many certificates the key was compared with.
	Checked int `json:"certificates_checked"`
}

func describeCert(c *x509.Certificate, now time.Time) Certificate {
	status, phrase := Window(c.NotBefore, c.NotAfter, now)
	serial := ""
	if c.SerialNumber != nil {
		b := c.SerialNumber.Bytes()
		serial = strings.ToUpper(hex.EncodeToString(b))
		if c.SerialNumber.Sign() < 0 {
			serial = "-" + serial
		}
	}
	return Certificate{
		Subject:     c.Subject.String(),
		Issuer:      c.Issuer.String(),
		Serial:      serial,
		NotBefore:   c.NotBefore.UTC(),
		NotAfter:    c.NotAfter.UTC(),
		Status:      status,
		Validity:    phrase,
		KeyType:     cred.KeyDescription(c.PublicKey),
		SelfSigned:  c.Subject.String() == c.Issuer.String(),
		Thumbprints: cred.ThumbprintsOf(c),
	}
}

// credentialReport describes a loaded bundle.
func credentialReport(r *Report, b *cred.Bundle, now time.Time) {
	r.Kind = KindCredential
	if b.Format == cred.FormatPKCS12 {
		r.Kind = KindPKCS12
	}
	r.Problems = append(r.Problems, credProblems(b.Problems)...)
	for _, c := range b.Certs {
		d := describeCert(c, now)
		d.HasPrivateKey = b.Key != nil && cred.KeyMatchesCert(b.Key, c)
		r.Certificates = append(r.Certificates, d)
	}
	if b.Key != nil {
		r.Keys = append(r.Keys, Key{Private: true, Type: cred.KeyDescription(b.Key)})
	}
	for _, p := range b.PublicKeys {
		r.Keys = append(r.Keys, Key{Type: cred.KeyDescription(p)})
	}
	var parts []string
	if n := len(b.Certs); n > 0 {
		parts = append(parts, plural(n, "certificate"))
	}
	if b.Key != nil {
		parts = append(parts, "a private key")
	}
	if n := len(b.PublicKeys); n > 0 {
		parts = append(parts, plural(n, "public key"))
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing usable")
	}
	r.Summary = fmt.Sprintf("%s holding %s", formatName(b.Format), strings.Join(parts, " and "))
}

func formatName(f string) string {
	switch f {
	case cred.FormatPKCS12:
		return "PKCS#12 (PFX)"
	case cred.FormatPEM:
		return "PEM"
	}
	return "DER"
}
