package cred

import (
	"strings"
	"unicode"
)

// SecretShape describes a client secret without revealing it.
type SecretShape struct {
	// Length is the length in characters after trimming.
	Length int `json:"length"`
	// Hint is the first three characters, which is what Graph shows as a
	// passwordCredential's "hint" (the portal shows the same prefix).
	Hint string `json:"hint"`
	// Fingerprint tells two secrets apart without showing them.
	Fingerprint string `json:"fingerprint"`
	// Trimmed is the value with surrounding whitespace and quotes removed;
	// never print it.
	Trimmed  string    `json:"-"`
	Problems []Problem `json:"problems,omitempty"`
}

// IsGUID reports whether s is a GUID in its usual 8-4-4-4-12 form.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// ShapeOfSecret names the mistakes a client secret value shows: the secret
// ID (a GUID) copied instead of its value, whitespace, a newline or quotes
// around it, and characters that break form encoding when not escaped.
func ShapeOfSecret(s string) SecretShape {
	var sh SecretShape
	add := func(id, d string) { sh.Problems = append(sh.Problems, Problem{id, d}) }
	if strings.HasPrefix(s, "\ufeff") {
		add("bom", "the secret starts with a byte order mark (read from a file saved by Notepad or PowerShell)")
		s = strings.TrimPrefix(s, "\ufeff")
	}
	t := strings.TrimSpace(s)
	if t != s {
		if strings.ContainsAny(s[len(strings.TrimRightFunc(s, unicode.IsSpace)):], "\r\n") {
			add("newline", "a newline after the secret (echo without -n, or a file with a final line break)")
		} else {
			add("whitespace", "whitespace around the secret")
		}
	}
	if len(t) >= 2 && (t[0] == '"' && t[len(t)-1] == '"' || t[0] == '\'' && t[len(t)-1] == '\'') {
		add("quotes", "quotes around the secret are part of the value sent")
		t = t[1 : len(t)-1]
	}
	if IsGUID(t) {
		add("secret-id", "this is a GUID: the secret's ID (keyId), not its value; the value is shown once, when the secret is created")
	}
	if strings.ContainsAny(t, "+&=% ") {
		add("form-encoding", "the secret holds + & = % or a space, which change meaning in a form body unless URL-encoded (MSAL and Azure Identity encode it; hand-built requests often do not)")
	}
	sh.Trimmed = t
	r := []rune(t)
	sh.Length = len(r)
	if len(r) >= 3 {
		sh.Hint = string(r[:3])
	}
	sh.Fingerprint = Fingerprint(t)
	return sh
}
