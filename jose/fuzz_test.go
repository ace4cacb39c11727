package jose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedFiles adds every file of a shared sample directory to the corpus.
func seedFiles(f *testing.F, dir string) {
	paths, _ := filepath.Glob(filepath.Join(shared, dir, "*"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
}

func FuzzDecode(f *testing.F) {
	seedFiles(f, "tokens")
	f.Add("Bearer eyJhbGciOiJub25lIn0.e30.")
	f.Add(`"eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ==.c2ln"`)
	f.Add("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d")
	f.Add("eyJhbGciOiJSUzI1NiJ9%2EeyJhIjoxfQ%2Ec2ln")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := Decode(s)
		if err != nil {
			if tok != nil && tok.Claims != nil {
				t.Fatal("claims returned with an error")
			}
			if len(s) > 40 && strings.Contains(err.Error(), s) {
				t.Fatal("error repeats the input")
			}
			return
		}
		if tok.Header == nil || tok.Claims == nil {
			t.Fatal("decoded token without header or claims")
		}
		_ = tok.Audiences()
		_, _ = tok.TimeClaim("exp")
		_ = tok.X5c()
		_ = tok.ClaimNames()
		_ = Verify(tok, nil, []string{tok.Alg()})
	})
}

func FuzzParseJWKS(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(shared, "oidc", "*keys*.json"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}`))
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","x5t":"NDE0MjQz","x5c":["AAAA"]}]}`))
	f.Add([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseJWKS(data)
		if err != nil {
			return
		}
		for _, k := range keys {
			if k.Public == nil && len(k.Problems) == 0 {
				t.Fatalf("key %q without material and without a problem", k.Kid)
			}
		}
	})
}
