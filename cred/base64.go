package cred

import (
	"encoding/base64"
	"errors"
	"strings"
)

// DecodeBase64 decodes s in any base64 flavour users paste: standard or URL
// alphabet, padded or not. It reports which form it was ("base64" or
// "base64url") and names padding where the form usually has none.
func DecodeBase64(s string) ([]byte, string, []Problem, error) {
	return decodeAnyBase64(s)
}

func decodeAnyBase64(s string) ([]byte, string, []Problem, error) {
	var probs []Problem
	s = strings.TrimSpace(s)
	urlAlphabet := strings.ContainsAny(s, "-_")
	stdAlphabet := strings.ContainsAny(s, "+/")
	if urlAlphabet && stdAlphabet {
		return nil, "", nil, errors.New("mixes the standard (+/) and URL (-_) base64 alphabets")
	}
	padded := strings.HasSuffix(s, "=")
	raw := strings.TrimRight(s, "=")
	enc, form := base64.RawStdEncoding, FormBase64
	if urlAlphabet {
		enc, form = base64.RawURLEncoding, FormBase64URL
		if padded {
			probs = append(probs, Problem{"padding", "base64url with '=' padding; JWT and JWK values are unpadded"})
		}
	}
	b, err := enc.DecodeString(raw)
	if err != nil {
		return nil, "", nil, errors.New("not valid base64")
	}
	return b, form, probs, nil
}
