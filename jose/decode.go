package jose

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/aadsts/aadsts/cred"
)

// Errors Decode returns; test them with errors.Is.
var (
	// ErrNotJWT means the input is not a compact JWT at all.
	ErrNotJWT = errors.New("not a JWT")
	// ErrJWE means the input is an encrypted token (five segments, "enc"
	// header): its claims cannot be read without the recipient's key.
	ErrJWE = errors.New("encrypted token (JWE), not a signed JWT")
	// ErrMalformed means the input looks like a JWT but a segment does not
	// decode; the error text names the segment.
	ErrMalformed = errors.New("malformed JWT")
	// ErrTruncated accompanies ErrMalformed when the token was cut short.
	ErrTruncated = errors.New("token is truncated")
)

// JWT is a decoded compact JWS. Raw is the normalized token text: it must
// never be printed or stored (use cred.Redact).
type JWT struct {
	Raw          string         `json:"-"`
	Header       map[string]any `json:"header"`
	Claims       map[string]any `json:"claims"`
	HeaderJSON   []byte         `json:"-"`
	ClaimsJSON   []byte         `json:"-"`
	Signature    []byte         `json:"-"`
	SigningInput []byte         `json:"-"`
	Problems     []Problem      `json:"problems,omitempty"`
}

// Redacted returns a form of the token that is safe to show.
func (t *JWT) Redacted() string { return cred.Redact(t.Raw) }

// Decode parses a compact JWT. It is lenient about what surrounds the token
// (whitespace, line breaks, quotes, a "Bearer " or "Authorization: Bearer "
// prefix, a UTF-8 BOM, URL encoding, '=' padding, the standard base64
// alphabet, base64 applied to the whole token) and records each of these as a
// Problem. It is strict about the content: a segment that does not decode
// or a header or claims set that is not a JSON object is an error wrapping
// ErrMalformed (and ErrTruncated when the token was cut short). A JWE is
// reported with ErrJWE, and then the returned *JWT holds its header.
func Decode(s string) (*JWT, error) {
	t := &JWT{}
	s = t.unwrap(s)
	if s == "" {
		return nil, fmt.Errorf("%w: empty input", ErrNotJWT)
	}
	parts := strings.Split(s, ".")
	if len(parts) == 1 {
		if inner, ok := doubleEncoded(s); ok {
			t.problem("double-encoded", "the whole token was base64-encoded once more; send the JWT text itself")
			s = inner
			parts = strings.Split(s, ".")
		}
	}
	switch len(parts) {
	case 3:
	case 5:
		t.problem("jwe", "five segments: an encrypted token (JWE)")
		if h, err := t.segment("header", parts[0]); err == nil {
			_ = json.Unmarshal(h, &t.Header)
			t.HeaderJSON = h
		}
		t.Raw = s
		return t, ErrJWE
	case 2:
		return nil, fmt.Errorf("%w: %w: 2 segments, the signature segment is missing", ErrMalformed, ErrTruncated)
	case 1:
		return nil, fmt.Errorf("%w: no '.' separators (a compact JWT is header.claims.signature)", ErrNotJWT)
	default:
		return nil, fmt.Errorf("%w: %d segments, want 3", ErrNotJWT, len(parts))
	}
	if !strings.HasPrefix(strings.TrimLeft(parts[0], "="), "ey") {
		return nil, fmt.Errorf("%w: header segment does not start with \"ey\" (base64 of '{')", ErrNotJWT)
	}
	var err error
	if t.HeaderJSON, err = t.segment("header", parts[0]); err != nil {
		return nil, err
	}
	if t.ClaimsJSON, err = t.segment("claims", parts[1]); err != nil {
		return nil, err
	}
	if t.Signature, err = t.segment("signature", parts[2]); err != nil {
		return nil, err
	}
	if t.Header, err = object("header", t.HeaderJSON); err != nil {
		return nil, err
	}
	if _, isJWE := t.Header["enc"]; isJWE {
		t.problem("jwe", "the header has \"enc\": an encrypted token (JWE)")
		t.Raw = s
		return t, ErrJWE
	}
	if t.Claims, err = object("claims", t.ClaimsJSON); err != nil {
		return nil, err
	}
	t.SigningInput = []byte(parts[0] + "." + parts[1])
	t.Raw = s
	t.checkShape()
	return t, nil
}

// formField finds a token in a URL, fragment or form body.
var formField = regexp.MustCompile(`(?:^|[?#&\s])(access_token|id_token|client_assertion|assertion|token)=([^&\s]+)`)

// unwrap strips what commonly surrounds a pasted token, recording each.
func (t *JWT) unwrap(s string) string {
	if strings.HasPrefix(s, "\ufeff") {
		s = strings.TrimPrefix(s, "\ufeff")
		t.problem("bom", "the text starts with a UTF-8 byte order mark")
	}
	if trimmed := strings.TrimSpace(s); trimmed != s {
		s = trimmed
		t.problem("whitespace", "whitespace or a line break around the token (harmless in a file; in a header or form field it breaks the token)")
	}
	for _, p := range []string{"authorization:", "bearer "} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			s = strings.TrimSpace(s[len(p):])
			if p == "bearer " {
				t.problem("bearer-prefix", "a \"Bearer \" prefix: that belongs in the Authorization header, not in the token")
			}
		}
	}
	if m := formField.FindStringSubmatch(s); m != nil && !strings.HasPrefix(s, "ey") {
		s = m[2]
		t.problem("form-field", fmt.Sprintf("the token was taken from the %q parameter of a URL or form body", m[1]))
	}
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		s = strings.TrimSpace(s[1 : len(s)-1])
		t.problem("quotes", "quotes around the token")
	}
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Join(strings.Fields(s), "")
		t.problem("whitespace", "line breaks or spaces inside the token (it was wrapped)")
	}
	if strings.Contains(s, "%") {
		if u, err := url.PathUnescape(s); err == nil && u != s {
			s = u
			t.problem("url-encoded", "the token is URL-encoded (for example %2E for '.'); decode it once")
		}
	}
	return s
}

func (t *JWT) problem(id, detail string) {
	for _, p := range t.Problems {
		if p.ID == id && p.Detail == detail {
			return
		}
	}
	t.Problems = append(t.Problems, Problem{ID: id, Detail: detail})
}

// segment decodes one base64url segment, naming padding and the standard
// alphabet as problems and invalid characters as errors.
func (t *JWT) segment(name, seg string) ([]byte, error) {
	if strings.Contains(seg, "=") {
		t.problem("padding", fmt.Sprintf("the %s segment has '=' padding; JWT segments are unpadded base64url", name))
		seg = strings.TrimRight(seg, "=")
	}
	enc := base64.RawURLEncoding
	if strings.ContainsAny(seg, "+/") {
		t.problem("not-base64url", fmt.Sprintf("the %s segment uses the standard base64 alphabet (+ and /) instead of base64url (- and _)", name))
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(seg)
	if err != nil {
		if len(seg)%4 == 1 {
			return nil, fmt.Errorf("%w: %w: the %s segment has an impossible base64 length", ErrMalformed, ErrTruncated, name)
		}
		return nil, fmt.Errorf("%w: the %s segment is not base64url: %v", ErrMalformed, name, err)
	}
	return b, nil
}

func object(name string, b []byte) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) && syn.Offset >= int64(len(bytes.TrimSpace(b))) || strings.Contains(err.Error(), "unexpected end") {
			return nil, fmt.Errorf("%w: %w: the %s JSON ends early", ErrMalformed, ErrTruncated, name)
		}
		return nil, fmt.Errorf("%w: the %s is not a JSON object: %v", ErrMalformed, name, err)
	}
	if m == nil {
		return nil, fmt.Errorf("%w: the %s is JSON null, not an object", ErrMalformed, name)
	}
	return m, nil
}

// doubleEncoded reports whether s is base64 of a compact JWT.
func doubleEncoded(s string) (string, bool) {
	b, _, _, err := cred.DecodeBase64(s)
	if err != nil {
		return "", false
	}
	inner := strings.TrimSpace(string(b))
	if strings.HasPrefix(inner, "ey") && strings.Count(inner, ".") >= 2 {
		return inner, true
	}
	return "", false
}

// checkShape records problems visible without a key.
func (t *JWT) checkShape() {
	alg := t.Alg()
	switch {
	case alg == "" || strings.EqualFold(alg, "none"):
		t.problem("unsigned", "the header has no signing algorithm (alg is missing or \"none\")")
	case len(t.Signature) == 0:
		t.problem("unsigned", "the signature segment is empty")
	case strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS"):
		switch len(t.Signature) {
		case 128, 256, 384, 512:
		default:
			t.problem("truncated", fmt.Sprintf("an RSA signature of %d bytes is not the size of any common key (256 bytes for RSA-2048): the token may be cut short", len(t.Signature)))
		}
	}
	if _, dups := objectKeys(t.ClaimsJSON); len(dups) > 0 {
		t.problem("duplicate-claim", fmt.Sprintf("claims appear more than once: %s", strings.Join(dups, ", ")))
	}
}
