package cred

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"

	"software.sslmate.com/src/go-pkcs12"
)

// Errors Load returns; test them with errors.Is. The error text names the
// input: "read certificate cert.pfx: wrong password".
var (
	ErrEmpty            = errors.New("empty input")
	ErrUnrecognized     = errors.New("not a certificate, private key or PFX")
	ErrWrongPassword    = errors.New("wrong password")
	ErrPasswordRequired = errors.New("the PFX is protected by a password and none was given")
	ErrCorruptPFX       = errors.New("corrupt PFX")
	ErrEncryptedKey     = errors.New("encrypted private key")
	ErrNoPrivateKey     = errors.New("no private key")
	ErrKeyMismatch      = errors.New("the private key does not match the certificate")
)

// Formats reported in Bundle.Format.
const (
	FormatPEM    = "pem"
	FormatDER    = "der"
	FormatPKCS12 = "pkcs12"
)

// Bundle is what one credential file held.
type Bundle struct {
	Name   string
	Format string // FormatPEM, FormatDER or FormatPKCS12
	Certs  []*x509.Certificate
	// Key is the private key, or nil. Never print it.
	Key crypto.Signer
	// PublicKeys are bare public keys ("PUBLIC KEY" PEM blocks).
	PublicKeys []crypto.PublicKey
	Problems   []Problem
}

// Leaf returns the certificate the private key belongs to, or else the
// first certificate, or nil.
func (b *Bundle) Leaf() *x509.Certificate {
	for _, c := range b.Certs {
		if b.Key != nil && KeyMatchesCert(b.Key, c) {
			return c
		}
	}
	if len(b.Certs) > 0 {
		return b.Certs[0]
	}
	return nil
}

// RequireKey returns an error wrapping ErrNoPrivateKey when the bundle has
// no private key, or ErrKeyMismatch when it has certificates and none is
// the key's.
func (b *Bundle) RequireKey() error {
	if b.Key == nil {
		return fmt.Errorf("read %s: %w", b.Name, ErrNoPrivateKey)
	}
	if len(b.Certs) > 0 && !KeyMatchesCert(b.Key, b.Leaf()) {
		return fmt.Errorf("read %s: %w", b.Name, ErrKeyMismatch)
	}
	return nil
}

func (b *Bundle) problem(id, detail string) {
	for _, p := range b.Problems {
		if p.ID == id {
			return
		}
	}
	b.Problems = append(b.Problems, Problem{id, detail})
}

// Load reads a certificate, key or PFX in whatever form it arrived: PEM
// (also with CRLF, lost or escaped line breaks, a BOM, UTF-16 from a
// PowerShell redirect), DER, PKCS#12, or any of these once or twice
// base64-encoded. PKCS#1, PKCS#8 and SEC 1 EC keys are read; an encrypted
// PKCS#8 key (PBES2) or a legacy encrypted PEM key is decrypted with
// password. name is used in errors only. password is never part of an
// error or Problem.
func Load(name string, data []byte, password string) (*Bundle, error) {
	b := &Bundle{Name: name}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("read %s: %w", name, ErrEmpty)
	}
	if err := b.load(data, password, 0); err != nil {
		return nil, err
	}
	if b.Key != nil && len(b.Certs) > 0 && !KeyMatchesCert(b.Key, b.Leaf()) {
		b.problem("key-cert-mismatch", "the private key is not the key of any certificate in the same file")
	}
	return b, nil
}

func (b *Bundle) load(data []byte, password string, depth int) error {
	text, isText := b.asText(data)
	if isText && strings.Contains(text, "-----BEGIN") {
		b.Format = FormatPEM
		return b.loadPEM(text, password)
	}
	if isText {
		if depth >= 2 {
			return fmt.Errorf("read %s: %w", b.Name, ErrUnrecognized)
		}
		raw, _, _, err := DecodeBase64(strings.Join(strings.Fields(strings.ReplaceAll(text, `\n`, "")), ""))
		if err != nil || len(raw) == 0 {
			return fmt.Errorf("read %s: %w (text that is neither PEM nor base64)", b.Name, ErrUnrecognized)
		}
		inner, innerText := b.asText(raw)
		switch {
		case innerText && strings.Contains(inner, "-----BEGIN"):
			b.problem("base64-of-pem", "the file is base64 of a PEM file: decode it once (the PEM text itself is what tools expect)")
		case innerText && depth == 0:
			b.problem("double-base64", "base64 was applied twice: decode it once more")
		case depth == 0:
			b.problem("base64-der", "DER in base64 text without PEM armour; tools expect -----BEGIN CERTIFICATE----- lines or binary DER")
		}
		return b.load(raw, password, depth+1)
	}
	return b.loadDER(data, password)
}

// asText reports whether data is text, decoding UTF-16 and stripping a BOM,
// and names each.
func (b *Bundle) asText(data []byte) (string, bool) {
	if u, ok := utf16Text(data); ok {
		b.problem("utf16", "the file is UTF-16 text (a PowerShell '>' redirect writes that); save it as ASCII/UTF-8")
		data = []byte(u)
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		b.problem("bom", "the file starts with a UTF-8 byte order mark")
		data = data[3:]
	}
	for _, c := range data {
		if c < 0x09 || c > 0x7e || (c > 0x0d && c < 0x20) {
			return "", false
		}
	}
	return string(data), true
}

func utf16Text(d []byte) (string, bool) {
	var le bool
	switch {
	case bytes.HasPrefix(d, []byte{0xff, 0xfe}):
		le, d = true, d[2:]
	case bytes.HasPrefix(d, []byte{0xfe, 0xff}):
		d = d[2:]
	case len(d) >= 4 && d[1] == 0 && d[3] == 0 && d[0] != 0:
		le = true
	case len(d) >= 4 && d[0] == 0 && d[2] == 0 && d[1] != 0:
	default:
		return "", false
	}
	if len(d)%2 != 0 {
		return "", false
	}
	u := make([]uint16, len(d)/2)
	for i := range u {
		if le {
			u[i] = uint16(d[2*i]) | uint16(d[2*i+1])<<8
		} else {
			u[i] = uint16(d[2*i])<<8 | uint16(d[2*i+1])
		}
	}
	return string(utf16.Decode(u)), true
}

// isPFX reports whether der starts like a PKCS#12 PFX: SEQUENCE {
// INTEGER 3, ... }. It looks at the header only, so a truncated or damaged
// PFX is still recognised (and then named corrupt).
func isPFX(der []byte) bool {
	if len(der) < 5 || der[0] != 0x30 {
		return false
	}
	i := 2
	if der[1]&0x80 != 0 {
		i += int(der[1] & 0x7f)
	}
	return len(der) >= i+3 && der[i] == 0x02 && der[i+1] == 0x01 && der[i+2] == 0x03
}

func (b *Bundle) loadDER(der []byte, password string) error {
	b.Format = FormatDER
	if certs, err := x509.ParseCertificates(der); err == nil && len(certs) > 0 {
		b.Certs = append(b.Certs, certs...)
		return nil
	}
	if isPFX(der) {
		b.Format = FormatPKCS12
		return b.loadPFX(der, password)
	}
	if key, err := parseKeyDER(der); err == nil {
		b.Key = key
		return nil
	}
	var epki encryptedPrivateKeyInfo
	if _, err := asn1.Unmarshal(der, &epki); err == nil && epki.Algorithm.Algorithm.Equal(oidPBES2) {
		return b.pemBlock("ENCRYPTED PRIVATE KEY", "\n"+base64.StdEncoding.EncodeToString(der)+"\n", password)
	}
	if pub, err := x509.ParsePKIXPublicKey(der); err == nil {
		b.PublicKeys = append(b.PublicKeys, pub)
		return nil
	}
	if len(der) > 0 && der[0] == 0x30 {
		return fmt.Errorf("read %s: %w (DER that is not a certificate, key or PFX; a truncated or corrupt file?)", b.Name, ErrUnrecognized)
	}
	return fmt.Errorf("read %s: %w", b.Name, ErrUnrecognized)
}

func (b *Bundle) loadPFX(der []byte, password string) error {
	if err := checkPFXIterations(der); err != nil {
		return fmt.Errorf("read certificate %s: %w: %v", b.Name, ErrCorruptPFX, err)
	}
	key, cert, chain, err := pkcs12.DecodeChain(der, password)
	switch {
	case err == nil:
		signer, ok := key.(crypto.Signer)
		if !ok {
			return fmt.Errorf("read certificate %s: private key of type %T cannot sign", b.Name, key)
		}
		b.Key = signer
		b.Certs = append(append(b.Certs, cert), chain...)
		return nil
	case errors.Is(err, pkcs12.ErrIncorrectPassword):
		if password == "" {
			return fmt.Errorf("read certificate %s: %w", b.Name, ErrPasswordRequired)
		}
		return fmt.Errorf("read certificate %s: %w", b.Name, ErrWrongPassword)
	}
	// A PFX without a key, without a certificate, or with several keys:
	// DecodeChain wants exactly one of each. The MAC held by now (a wrong
	// password was handled above), so read the bags ourselves.
	certs, keys, cerr := pfxContents(der, password)
	if cerr != nil {
		return fmt.Errorf("read certificate %s: %w: %v; %v", b.Name, ErrCorruptPFX, err, cerr)
	}
	b.Certs = append(b.Certs, certs...)
	if len(keys) > 0 {
		b.Key = keys[0]
	}
	switch {
	case len(keys) == 0 && len(certs) == 0:
		return fmt.Errorf("read certificate %s: %w: no certificate and no key in it", b.Name, ErrCorruptPFX)
	case len(keys) == 0:
		b.problem("pfx-no-private-key", "the PFX holds certificates but no private key (exported without \"Yes, export the private key\", or with openssl -nokeys)")
	case len(certs) == 0:
		b.problem("pfx-no-certificate", "the PFX holds a private key but no certificate")
	case len(keys) > 1:
		b.problem("several-keys", "more than one private key in the PFX; the first is used")
	}
	return nil
}

func parseKeyDER(der []byte) (crypto.Signer, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, nil
		}
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("not a PKCS#1, PKCS#8 or EC private key")
}

// DecodeText returns data as text when it is text, decoding UTF-16 (with or
// without a byte order mark) and dropping a UTF-8 BOM, and names each. ok is
// false for binary data.
func DecodeText(data []byte) (text string, problems []Problem, ok bool) {
	b := &Bundle{}
	text, ok = b.asText(data)
	return text, b.Problems, ok
}
