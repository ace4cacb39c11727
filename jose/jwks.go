package jose

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/aadsts/aadsts/cred"
)

// ErrNotJWKS means the input is not a JWK set or a single JWK.
var ErrNotJWKS = errors.New("not a JWK set")

// JWK is one key of a JWK set, decoded tolerantly. Public is nil when the
// key material could not be read; Problems says why and names quirks.
type JWK struct {
	Kid     string           `json:"kid"`
	Kty     string           `json:"kty"`
	Alg     string           `json:"alg,omitempty"`
	Use     string           `json:"use,omitempty"`
	X5t     string           `json:"x5t,omitempty"`
	X5tS256 string           `json:"x5t#S256,omitempty"`
	X5c     [][]byte         `json:"-"`
	Issuer  string           `json:"issuer,omitempty"`
	Public  crypto.PublicKey `json:"-"`
	// Cert is the parsed first x5c certificate, if any.
	Cert     *x509.Certificate `json:"-"`
	Problems []Problem         `json:"problems,omitempty"`
}

// ParseJWKS reads a JWK set ({"keys":[...]}) or a single JWK. It is
// tolerant of the quirks of real key sets (a non-standard "alg" such as
// "SHA256", "n" in standard base64, padding, extra members) and records them
// as Problems on the key. A key whose material cannot be read is returned
// with Public nil rather than failing the whole set.
func ParseJWKS(data []byte) ([]JWK, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%w: not a JSON object: %v", ErrNotJWKS, err)
	}
	if raw, ok := top["keys"]; ok {
		var list []map[string]any
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("%w: \"keys\" is not an array of objects", ErrNotJWKS)
		}
		keys := make([]JWK, 0, len(list))
		for _, m := range list {
			keys = append(keys, parseJWK(m))
		}
		return keys, nil
	}
	if _, ok := top["kty"]; ok {
		var m map[string]any
		_ = json.Unmarshal(data, &m)
		k := parseJWK(m)
		k.Problems = append(k.Problems, Problem{"single-jwk", "a single JWK, not a set: a JWKS wraps keys in {\"keys\": [...]}"})
		return []JWK{k}, nil
	}
	return nil, fmt.Errorf("%w: no \"keys\" array and no \"kty\"", ErrNotJWKS)
}

func parseJWK(m map[string]any) JWK {
	str := func(n string) string { s, _ := m[n].(string); return s }
	k := JWK{Kid: str("kid"), Kty: str("kty"), Alg: str("alg"), Use: str("use"), X5t: str("x5t"), X5tS256: str("x5t#S256"), Issuer: str("issuer")}
	bad := func(id, format string, a ...any) {
		k.Problems = append(k.Problems, Problem{id, fmt.Sprintf(format, a...)})
	}
	if k.Kid == "" {
		bad("no-kid", "the key has no \"kid\"; tokens find their key by kid")
	}
	// RFC 7518 §6.2.2, §6.3.2, §6.4.1: the private members (never read here).
	for _, n := range []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"} {
		if _, ok := m[n]; ok {
			bad("private-key", "the key holds the private member %q: a published key set must hold public keys only; replace this key, its private part is exposed", n)
			break
		}
	}
	if k.Alg != "" && !slices.Contains(KnownAlgs, k.Alg) {
		bad("nonstandard-alg", "\"alg\" is %q, not a JWS algorithm name (RS256...); strict libraries reject it", k.Alg)
	}
	num := func(name string) *big.Int {
		s := str(name)
		if s == "" {
			bad("bad-key", "%q is missing", name)
			return nil
		}
		b, form, probs, err := cred.DecodeBase64(s)
		if err != nil {
			bad("bad-key", "%q does not decode: %v", name, err)
			return nil
		}
		for _, p := range probs {
			bad(p.ID, "%q: %s", name, p.Detail)
		}
		if form == cred.FormBase64 && strings.ContainsAny(s, "+/=") {
			bad("not-base64url", "%q is in standard base64, not base64url", name)
		}
		return new(big.Int).SetBytes(b)
	}
	switch k.Kty {
	case "RSA":
		n, e := num("n"), num("e")
		if n != nil && e != nil && e.IsInt64() && e.Int64() > 1 && e.Int64() < 1<<31 {
			k.Public = &rsa.PublicKey{N: n, E: int(e.Int64())}
		}
	case "EC":
		var curve elliptic.Curve
		switch str("crv") {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			bad("bad-key", "unknown EC curve %q", str("crv"))
		}
		x, y := num("x"), num("y")
		if curve != nil && x != nil && y != nil {
			size := (curve.Params().BitSize + 7) / 8
			if x.BitLen() <= size*8 && y.BitLen() <= size*8 {
				pt := append([]byte{4}, append(x.FillBytes(make([]byte, size)), y.FillBytes(make([]byte, size))...)...)
				if pub, err := ecdsa.ParseUncompressedPublicKey(curve, pt); err == nil {
					k.Public = pub
				} else {
					bad("bad-key", "the EC point is not on the curve")
				}
			}
		}
	case "OKP":
		if x := num("x"); x != nil && str("crv") == "Ed25519" {
			b, _, _, _ := cred.DecodeBase64(str("x"))
			if len(b) == ed25519.PublicKeySize {
				k.Public = ed25519.PublicKey(b)
			}
		}
	case "":
		bad("bad-key", "the key has no \"kty\"")
	default:
		bad("bad-key", "key type %q is not supported", k.Kty)
	}
	k.readX5c(m["x5c"])
	return k
}

// readX5c decodes the certificate chain and cross-checks it against the
// key material and the thumbprint members.
func (k *JWK) readX5c(v any) {
	list, _ := v.([]any)
	for i, e := range list {
		s, _ := e.(string)
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			k.Problems = append(k.Problems, Problem{"bad-x5c", fmt.Sprintf("x5c[%d] is not standard base64", i)})
			continue
		}
		k.X5c = append(k.X5c, b)
	}
	if len(k.X5c) > 0 {
		cert, err := x509.ParseCertificate(k.X5c[0])
		if err != nil {
			k.Problems = append(k.Problems, Problem{"bad-x5c", "x5c[0] is not an X.509 certificate"})
		} else {
			k.Cert = cert
			if k.Public == nil {
				k.Public = cert.PublicKey
			} else if !cred.KeyMatchesCert(k.Public, cert) {
				k.Problems = append(k.Problems, Problem{"x5c-key-mismatch", "the key material (n/e or x/y) is not the key of the x5c certificate"})
			}
		}
	}
	k.checkThumb("x5t", k.X5t, cred.KindSHA1)
	k.checkThumb("x5t#S256", k.X5tS256, cred.KindSHA256)
}

func (k *JWK) checkThumb(member, value, kind string) {
	if value == "" {
		return
	}
	p, err := cred.ParseThumbprintForm(value)
	if err != nil {
		k.Problems = append(k.Problems, Problem{"bad-thumbprint", fmt.Sprintf("%s %q is not a thumbprint", member, value)})
		return
	}
	for _, pr := range p.Problems {
		k.Problems = append(k.Problems, Problem{pr.ID, member + ": " + pr.Detail})
	}
	if p.Form == cred.FormHex {
		k.Problems = append(k.Problems, Problem{"hex-thumbprint-in-x5t", member + " holds hex text; it must be base64url of the raw hash bytes"})
	}
	if p.Kind != kind {
		k.Problems = append(k.Problems, Problem{"bad-thumbprint", fmt.Sprintf("%s holds a %s, want %s", member, p.Kind, kind)})
		return
	}
	if len(k.X5c) > 0 {
		tp := cred.ThumbprintsOfDER(k.X5c[0])
		want := tp.X5t
		if kind == cred.KindSHA256 {
			want = tp.X5tS256
		}
		if b64url(p.Sum) != want {
			k.Problems = append(k.Problems, Problem{"x5t-mismatch", fmt.Sprintf("%s is not the thumbprint of the x5c certificate (%s)", member, want)})
		}
	}
}

// KeyFor returns the key of keys that signed t: matched by kid, then by
// x5t or x5t#S256 (compared as thumbprints, whatever their encoding).
func KeyFor(keys []JWK, t *JWT) (JWK, bool) {
	if kid := t.Kid(); kid != "" {
		for _, k := range keys {
			if k.Kid == kid {
				return k, true
			}
		}
	}
	for _, hv := range []string{t.X5t(), t.X5tS256()} {
		if hv == "" {
			continue
		}
		_, want, err := cred.ParseThumbprint(hv)
		if err != nil {
			continue
		}
		for _, k := range keys {
			for _, kv := range []string{k.X5t, k.X5tS256, k.Kid} {
				if _, got, err := cred.ParseThumbprint(kv); err == nil && bytes.Equal(got, want) {
					return k, true
				}
			}
			if len(k.X5c) > 0 {
				tp := cred.ThumbprintsOfDER(k.X5c[0])
				if hv == tp.X5t || hv == tp.X5tS256 {
					return k, true
				}
			}
		}
	}
	return JWK{}, false
}
