package cred

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Thumbprints holds a certificate's hash in every form users meet. It is the
// one place where these forms are converted into each other.
type Thumbprints struct {
	// SHA1Hex is the upper-case hex SHA-1 the Azure portal shows and
	// AADSTS700027 messages print.
	SHA1Hex string `json:"sha1_hex"`
	// SHA1Base64 is standard, padded base64 of the SHA-1: Graph's
	// keyCredentials customKeyIdentifier as some tools write it.
	SHA1Base64 string `json:"sha1_base64"`
	// X5t is unpadded base64url of the SHA-1: the JWT header "x5t".
	X5t string `json:"x5t"`
	// X5tS256 is unpadded base64url of the SHA-256: "x5t#S256".
	X5tS256 string `json:"x5t_s256"`
	// SHA256Hex is the upper-case hex SHA-256.
	SHA256Hex string `json:"sha256_hex"`
}

// ThumbprintsOf returns the thumbprints of cert.
func ThumbprintsOf(cert *x509.Certificate) Thumbprints { return ThumbprintsOfDER(cert.Raw) }

// ThumbprintsOfDER returns the thumbprints of a DER-encoded certificate.
func ThumbprintsOfDER(der []byte) Thumbprints {
	s1 := sha1.Sum(der)
	s256 := sha256.Sum256(der)
	return Thumbprints{
		SHA1Hex:    ThumbprintHex(s1[:]),
		SHA1Base64: base64.StdEncoding.EncodeToString(s1[:]),
		X5t:        base64.RawURLEncoding.EncodeToString(s1[:]),
		X5tS256:    base64.RawURLEncoding.EncodeToString(s256[:]),
		SHA256Hex:  ThumbprintHex(s256[:]),
	}
}

// ThumbprintHex is the upper-case hex form of raw hash bytes: the form the
// portal shows and AADSTS700027 prints ("Thumbprint of key used by
// client"), whatever the bytes decoded from.
func ThumbprintHex(sum []byte) string { return strings.ToUpper(hex.EncodeToString(sum)) }

// Thumbprint kinds returned by ParseThumbprint.
const (
	KindSHA1   = "sha1"
	KindSHA256 = "sha256"
)

// Thumbprint forms returned by ParseThumbprint.
const (
	FormHex       = "hex"
	FormBase64    = "base64"
	FormBase64URL = "base64url"
	// FormHexInBase64 is hex text that was itself base64url-encoded, the
	// mistake of putting the portal's hex thumbprint into x5t.
	FormHexInBase64 = "hex-text-in-base64"
)

// ErrNotThumbprint is returned when a string is no thumbprint form at all.
var ErrNotThumbprint = errors.New("not a SHA-1 or SHA-256 thumbprint")

// ParsedThumbprint is a thumbprint decoded from one of its text forms.
type ParsedThumbprint struct {
	Kind string // KindSHA1 or KindSHA256
	Form string // FormHex, FormBase64, FormBase64URL or FormHexInBase64
	Sum  []byte
	// Problems names oddities: padding, colons, the hex-text-in-x5t mistake.
	Problems []Problem
}

// ParseThumbprint decodes a thumbprint and returns its kind (KindSHA1 or
// KindSHA256) and raw bytes. See ParseThumbprintForm for the accepted forms.
func ParseThumbprint(s string) (kind string, sum []byte, err error) {
	p, err := ParseThumbprintForm(s)
	if err != nil {
		return "", nil, err
	}
	return p.Kind, p.Sum, nil
}

// ParseThumbprintForm decodes a thumbprint given as hex (with or without
// colons or spaces, any case) or base64 (standard or URL alphabet, padded or
// not). 20 bytes are SHA-1 and 32 are SHA-256. Hex text that was encoded
// once more with base64 (hex thumbprint put in x5t) is decoded and named.
func ParseThumbprintForm(s string) (ParsedThumbprint, error) {
	var p ParsedThumbprint
	t := strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"'`))
	if t == "" {
		return p, fmt.Errorf("thumbprint: empty: %w", ErrNotThumbprint)
	}
	compact := strings.NewReplacer(":", "", " ", "", "-", "").Replace(t)
	if isHex(compact) && (len(compact) == 40 || len(compact) == 64) {
		sum, _ := hex.DecodeString(compact)
		if compact != t {
			p.Problems = append(p.Problems, Problem{"hex-separators", "the hex thumbprint has separators (colons or spaces); Entra and Graph expect 40 plain hex characters"})
		}
		return finish(p, FormHex, sum)
	}
	sum, form, probs, err := decodeAnyBase64(t)
	if err != nil {
		return p, fmt.Errorf("thumbprint %q: %w", short(t), ErrNotThumbprint)
	}
	p.Problems = append(p.Problems, probs...)
	if (len(sum) == 40 || len(sum) == 64) && isHex(string(sum)) {
		inner, _ := hex.DecodeString(string(sum))
		p.Problems = append(p.Problems, Problem{"hex-thumbprint-in-x5t", "this is the hex thumbprint text encoded with base64; x5t must be base64url of the 20 raw SHA-1 bytes, not of the 40 hex characters"})
		return finish(p, FormHexInBase64, inner)
	}
	return finish(p, form, sum)
}

// Hex is the upper-case hex form of the decoded thumbprint.
func (p ParsedThumbprint) Hex() string { return ThumbprintHex(p.Sum) }

// Base64 is the standard, padded base64 form of the decoded thumbprint.
func (p ParsedThumbprint) Base64() string { return base64.StdEncoding.EncodeToString(p.Sum) }

// Base64URL is the unpadded base64url form of the decoded thumbprint: the
// x5t (SHA-1) or x5t#S256 (SHA-256) header value.
func (p ParsedThumbprint) Base64URL() string { return base64.RawURLEncoding.EncodeToString(p.Sum) }

func finish(p ParsedThumbprint, form string, sum []byte) (ParsedThumbprint, error) {
	p.Form, p.Sum = form, sum
	switch len(sum) {
	case 20:
		p.Kind = KindSHA1
	case 32:
		p.Kind = KindSHA256
	default:
		return p, fmt.Errorf("thumbprint decodes to %d bytes, want 20 (SHA-1) or 32 (SHA-256): %w", len(sum), ErrNotThumbprint)
	}
	return p, nil
}

// MatchThumbprint reports whether the thumbprint text s, in any form
// ParseThumbprint accepts, is the SHA-1 or SHA-256 of cert. The parsed form
// is in ParseThumbprintForm, for callers that name mistakes.
func MatchThumbprint(cert *x509.Certificate, s string) (bool, error) {
	p, err := ParseThumbprintForm(s)
	if err != nil {
		return false, err
	}
	return ThumbprintsOf(cert).Matches(p), nil
}

// Matches reports whether p is the SHA-1 or SHA-256 (by p.Kind) of the
// certificate t describes. An empty hex form in t (a hash that is not
// known, as for a Graph keyCredential without key bytes) never matches.
func (t Thumbprints) Matches(p ParsedThumbprint) bool {
	want := t.SHA1Hex
	if p.Kind == KindSHA256 {
		want = t.SHA256Hex
	}
	return want != "" && len(p.Sum) > 0 && want == p.Hex()
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func short(s string) string {
	if len(s) > 24 {
		return s[:20] + "..."
	}
	return s
}
