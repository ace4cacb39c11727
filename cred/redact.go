package cred

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"unicode/utf8"
)

// Redact returns a form of a secret, token or other sensitive string that is
// safe to show: a few characters from each end and its length. Short values
// show no characters at all.
func Redact(s string) string {
	n := utf8.RuneCountInString(s)
	if n < 24 {
		return fmt.Sprintf("[redacted, %d chars]", n)
	}
	r := []rune(s)
	return fmt.Sprintf("%s…%s (%d chars)", string(r[:6]), string(r[n-4:]), n)
}

// Fingerprint returns a short, stable, one-way identifier of a secret value
// (the first 12 hex digits of its SHA-256), to tell two secrets apart without
// showing either.
func Fingerprint(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:6])
}
