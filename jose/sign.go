package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// hashFor returns the hash an RS/PS/ES algorithm uses.
func hashFor(alg string) (crypto.Hash, error) {
	if len(alg) != 5 {
		return 0, fmt.Errorf("%w: %q", ErrAlgNotAllowed, alg)
	}
	switch alg[2:] {
	case "256":
		return crypto.SHA256, nil
	case "384":
		return crypto.SHA384, nil
	case "512":
		return crypto.SHA512, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrAlgNotAllowed, alg)
}

// Sign builds a compact JWS over claims with key using alg (RS*, PS* or
// ES*). header is copied; "alg" is set to alg unless header already has an
// "alg", which lets tests build a token whose label lies about its
// signature (a PKCS#1 v1.5 signature labelled PS256). Used by tests and by
// the emulator's token issuance.
func Sign(claims, header map[string]any, key crypto.Signer, alg string) (string, error) {
	h := map[string]any{}
	for k, v := range header {
		h[k] = v
	}
	if _, ok := h["alg"]; !ok {
		h["alg"] = alg
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("sign: header: %w", err)
	}
	cb, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("sign: claims: %w", err)
	}
	input := b64url(hb) + "." + b64url(cb)
	sig, err := signBytes([]byte(input), key, alg)
	if err != nil {
		return "", fmt.Errorf("sign %s: %w", alg, err)
	}
	return input + "." + b64url(sig), nil
}

func signBytes(input []byte, key crypto.Signer, alg string) ([]byte, error) {
	h, err := hashFor(alg)
	if err != nil {
		return nil, err
	}
	hw := h.New()
	hw.Write(input)
	digest := hw.Sum(nil)
	switch alg[:2] {
	case "RS":
		if _, ok := key.Public().(*rsa.PublicKey); !ok {
			return nil, ErrKeyType
		}
		return key.Sign(rand.Reader, digest, h)
	case "PS":
		if _, ok := key.Public().(*rsa.PublicKey); !ok {
			return nil, ErrKeyType
		}
		return key.Sign(rand.Reader, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h})
	case "ES":
		pub, ok := key.Public().(*ecdsa.PublicKey)
		if !ok {
			return nil, ErrKeyType
		}
		der, err := key.Sign(rand.Reader, digest, h)
		if err != nil {
			return nil, err
		}
		var rs struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(der, &rs); err != nil {
			return nil, err
		}
		size := (pub.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		rs.R.FillBytes(out[:size])
		rs.S.FillBytes(out[size:])
		return out, nil
	}
	return nil, errors.New("unsupported algorithm for signing")
}
