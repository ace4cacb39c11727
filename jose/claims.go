package jose

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"time"
)

// Alg returns the "alg" header, or "".
func (t *JWT) Alg() string { return t.headerString("alg") }

// Kid returns the "kid" header, or "".
func (t *JWT) Kid() string { return t.headerString("kid") }

// Typ returns the "typ" header, or "".
func (t *JWT) Typ() string { return t.headerString("typ") }

// X5t returns the "x5t" header as written, or "".
func (t *JWT) X5t() string { return t.headerString("x5t") }

// X5tS256 returns the "x5t#S256" header as written, or "".
func (t *JWT) X5tS256() string { return t.headerString("x5t#S256") }

// X5c returns the DER certificates of the "x5c" header. Entries that are
// not base64 are skipped.
func (t *JWT) X5c() [][]byte {
	list, _ := t.Header["x5c"].([]any)
	var out [][]byte
	for _, v := range list {
		s, _ := v.(string)
		if b, err := base64.StdEncoding.DecodeString(s); err == nil {
			out = append(out, b)
		} else if b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err == nil {
			out = append(out, b)
		}
	}
	return out
}

func (t *JWT) headerString(name string) string {
	s, _ := t.Header[name].(string)
	return s
}

// Claim returns a claim as decoded from JSON (string, float64, bool,
// []any, map[string]any or nil) and whether it is present.
func (t *JWT) Claim(name string) (any, bool) {
	v, ok := t.Claims[name]
	return v, ok
}

// StringClaim returns a string claim, or "" when absent or not a string.
func (t *JWT) StringClaim(name string) string {
	s, _ := t.Claims[name].(string)
	return s
}

// NumberClaim returns a numeric claim. A number written as a JSON string
// (a known client bug) is not accepted here.
func (t *JWT) NumberClaim(name string) (float64, bool) {
	f, ok := t.Claims[name].(float64)
	return f, ok
}

// TimeClaim returns a NumericDate claim (exp, nbf, iat) as a UTC time.
func (t *JWT) TimeClaim(name string) (time.Time, bool) {
	f, ok := t.NumberClaim(name)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e11 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// Audiences returns "aud" as a list whether it is a string or an array.
func (t *JWT) Audiences() []string { return t.StringsClaim("aud") }

// StringsClaim returns a claim that may be one string, an array of strings,
// or (for scp) a space-separated string, as a list.
func (t *JWT) StringsClaim(name string) []string {
	switch v := t.Claims[name].(type) {
	case string:
		if name == "scp" {
			return strings.Fields(v)
		}
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ClaimNames returns the claim names in the order the token carries them.
func (t *JWT) ClaimNames() []string { k, _ := objectKeys(t.ClaimsJSON); return k }

// HeaderNames returns the header names in the order the token carries them.
func (t *JWT) HeaderNames() []string { k, _ := objectKeys(t.HeaderJSON); return k }

// objectKeys lists a JSON object's top-level keys in order, and separately
// those that appear more than once.
func objectKeys(b []byte) (keys, dups []string) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		k, _ := tok.(string)
		if seen[k] {
			dups = append(dups, k)
		} else {
			keys = append(keys, k)
		}
		seen[k] = true
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			break
		}
	}
	return keys, dups
}
