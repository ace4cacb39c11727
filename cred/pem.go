package cred

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// ErrTruncated means a PEM block has a BEGIN line and no END line.
var ErrTruncated = errors.New("truncated PEM: a BEGIN line without its END line")

// loadPEM reads every PEM block of text, repairing and naming CRLF line
// ends, escaped "\n" sequences and lost line breaks.
func (b *Bundle) loadPEM(text, password string) error {
	if strings.Contains(text, "\r\n") {
		b.problem("crlf", "Windows (CRLF) line ends; most tools accept them, some Linux tools and Key Vault imports do not")
		text = strings.ReplaceAll(text, "\r\n", "\n")
	}
	if strings.Contains(text, `\n`) {
		b.problem("escaped-newlines", `the PEM holds literal "\n" sequences (it was copied out of JSON or a config string)`)
		text = strings.ReplaceAll(text, `\n`, "\n")
	}
	found := false
	for {
		start := strings.Index(text, "-----BEGIN ")
		if start < 0 {
			break
		}
		rest := text[start+len("-----BEGIN "):]
		labelEnd := strings.Index(rest, "-----")
		if labelEnd < 0 {
			return fmt.Errorf("read %s: %w", b.Name, ErrTruncated)
		}
		label := rest[:labelEnd]
		body := rest[labelEnd+5:]
		endMarker := "-----END " + label + "-----"
		end := strings.Index(body, endMarker)
		if end < 0 {
			return fmt.Errorf("read %s: %q block: %w", b.Name, label, ErrTruncated)
		}
		text = body[end+len(endMarker):]
		body = body[:end]
		if err := b.pemBlock(label, body, password); err != nil {
			return err
		}
		found = true
	}
	if !found {
		return fmt.Errorf("read %s: %w (no PEM block)", b.Name, ErrUnrecognized)
	}
	return nil
}

// pemBlock decodes one block body (between the BEGIN and END lines).
func (b *Bundle) pemBlock(label, body, password string) error {
	var der []byte
	if strings.Contains(body, "Proc-Type:") {
		blk, _ := pem.Decode([]byte("-----BEGIN " + label + "-----" + body + "-----END " + label + "-----\n"))
		if blk == nil {
			return fmt.Errorf("read key %s: %w: unreadable legacy encrypted PEM", b.Name, ErrEncryptedKey)
		}
		if password == "" {
			return fmt.Errorf("read key %s: %w: the PEM key is encrypted and no password was given", b.Name, ErrEncryptedKey)
		}
		//lint:ignore SA1019 legacy encrypted PEM keys are still what users have.
		plain, err := x509.DecryptPEMBlock(blk, []byte(password)) //nolint:staticcheck
		if err != nil {
			return fmt.Errorf("read key %s: %w", b.Name, ErrWrongPassword)
		}
		b.problem("legacy-encrypted-pem", "a legacy (OpenSSL Proc-Type) encrypted PEM key: weak encryption, convert to PKCS#8")
		der = plain
	} else {
		trimmed := strings.Trim(body, " \t")
		if !strings.HasPrefix(trimmed, "\n") || strings.Count(strings.TrimSpace(body), "\n") == 0 && len(strings.TrimSpace(body)) > 64 {
			b.problem("pem-line-breaks-lost", "the PEM lost its line breaks (BEGIN line, base64 body and END line must be on separate lines, 64 characters per body line)")
		}
		clean := strings.Join(strings.Fields(body), "")
		var err error
		der, err = base64.StdEncoding.DecodeString(clean)
		if err != nil {
			if der, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "=")); err != nil {
				return fmt.Errorf("read %s: %q block is not valid base64: %w", b.Name, label, ErrUnrecognized)
			}
		}
	}
	switch label {
	case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
		certs, err := x509.ParseCertificates(der)
		if err != nil || len(certs) == 0 {
			c, err2 := x509.ParseCertificate(der)
			if err2 != nil {
				return fmt.Errorf("read certificate %s: %v: %w", b.Name, err, ErrUnrecognized)
			}
			certs = []*x509.Certificate{c}
		}
		b.Certs = append(b.Certs, certs...)
	case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
		key, err := parseKeyDER(der)
		if err != nil {
			return fmt.Errorf("read key %s: %q block: %w", b.Name, label, ErrUnrecognized)
		}
		if b.Key != nil {
			b.problem("several-keys", "more than one private key in the file; the first is used")
			return nil
		}
		b.Key = key
	case "ENCRYPTED PRIVATE KEY":
		if password == "" {
			return fmt.Errorf("read key %s: %w: give its password", b.Name, ErrEncryptedKey)
		}
		plain, err := decryptPKCS8(der, password)
		if err != nil {
			return fmt.Errorf("read key %s: %w", b.Name, err)
		}
		key, err := parseKeyDER(plain)
		if err != nil {
			return fmt.Errorf("read key %s: %w", b.Name, ErrWrongPassword)
		}
		b.problem("encrypted-key", "an encrypted PKCS#8 key, decrypted with the password given")
		if b.Key == nil {
			b.Key = key
		}
	case "PUBLIC KEY":
		pub, err := x509.ParsePKIXPublicKey(der)
		if err != nil {
			return fmt.Errorf("read key %s: public key: %w", b.Name, ErrUnrecognized)
		}
		b.PublicKeys = append(b.PublicKeys, pub)
	case "RSA PUBLIC KEY":
		pub, err := x509.ParsePKCS1PublicKey(der)
		if err != nil {
			return fmt.Errorf("read key %s: RSA public key: %w", b.Name, ErrUnrecognized)
		}
		b.PublicKeys = append(b.PublicKeys, pub)
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		b.problem("csr", "a certificate signing request, not a certificate: upload the certificate the CA issued")
	default:
		b.problem("pem-unknown-block", fmt.Sprintf("a %q PEM block was skipped", label))
	}
	return nil
}
