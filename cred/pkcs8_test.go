package cred

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"testing"

	"github.com/aadsts/aadsts/cred/credtest"
)

// encryptPKCS8 writes (with claimed as the stated iteration count) what `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes:
// PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC.
func encryptPKCS8(t testing.TB, plain []byte, password string, iterations, claimed int) []byte {
	t.Helper()
	salt, iv := make([]byte, 16), make([]byte, 16)
	rand.Read(salt)
	rand.Read(iv)
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, 32)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(key)
	n := 16 - len(plain)%16
	padded := append(append([]byte{}, plain...), make([]byte, n)...)
	for i := len(plain); i < len(padded); i++ {
		padded[i] = byte(n)
	}
	enc := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(enc, padded)
	must := func(b []byte, err error) asn1.RawValue {
		if err != nil {
			t.Fatal(err)
		}
		return asn1.RawValue{FullBytes: b}
	}
	kdf := must(asn1.Marshal(pbkdf2Params{Salt: salt, IterationCount: claimed, PRF: algorithmIdentifier{Algorithm: oidHMACSHA256, Parameters: asn1.NullRawValue}}))
	ivRaw := must(asn1.Marshal(iv))
	params := must(asn1.Marshal(pbes2Params{
		KeyDerivationFunc: algorithmIdentifier{Algorithm: oidPBKDF2, Parameters: kdf},
		EncryptionScheme:  algorithmIdentifier{Algorithm: oidAES256CBC, Parameters: ivRaw},
	}))
	out, err := asn1.Marshal(encryptedPrivateKeyInfo{Algorithm: algorithmIdentifier{Algorithm: oidPBES2, Parameters: params}, EncryptedData: enc})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEncryptedPKCS8(t *testing.T) {
	f := testFixture(t)
	p8, _ := x509.MarshalPKCS8PrivateKey(f.key)
	enc := encryptPKCS8(t, p8, "k3y-pass", 2048, 2048)
	encPEM := []byte(credtest.PEM("ENCRYPTED PRIVATE KEY", enc))
	cases := []struct {
		name     string
		data     []byte
		password string
		err      error
	}{
		{"pem", encPEM, "k3y-pass", nil},
		{"der", enc, "k3y-pass", nil},
		{"pem with cert", append([]byte(credtest.PEM("CERTIFICATE", f.cert.Raw)), encPEM...), "k3y-pass", nil},
		{"wrong password", encPEM, "nope-nope", ErrWrongPassword},
		{"no password", encPEM, "", ErrEncryptedKey},
		{"one iteration", []byte(credtest.PEM("ENCRYPTED PRIVATE KEY", encryptPKCS8(t, p8, "k3y-pass", 1, 1))), "k3y-pass", nil},
		{"iteration bomb", []byte(credtest.PEM("ENCRYPTED PRIVATE KEY", encryptPKCS8(t, p8, "k3y-pass", 1, 1<<30))), "k3y-pass", ErrUnrecognized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Load("key.pem", c.data, c.password)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !KeyMatchesCert(b.Key, f.cert) || !hasProblem(b.Problems, "encrypted-key") {
				t.Fatalf("key %v problems %v", b.Key != nil, b.Problems)
			}
		})
	}
}
