package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const shared = "../../shared/data"

func readShared(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shared, rel))
	if err != nil {
		t.Skipf("shared sample %s missing: %v", rel, err)
	}
	return b
}

const cyrano = "tokens/aad-v1-2014_id-token_tenant-add29489_cyrano.jwt"
const overClaims = "tokens/aad-v1-2014_access-token_aud-graph.windows.net_tenant-72f988bf.jwt"
const keys2014 = "oidc/identitymodel-tests_JsonWebKeySet_aad-2012-2014-keys.json"

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

func testRSAKey(t testing.TB) *rsa.PrivateKey {
	rsaOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
	})
	return rsaKey
}

func TestReal2014TokensVerify(t *testing.T) {
	keys, err := ParseJWKS(readShared(t, keys2014))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{cyrano, overClaims} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			tok, err := Decode(string(readShared(t, name)))
			if err != nil {
				t.Fatal(err)
			}
			if tok.Alg() != "RS256" || tok.X5t() != "kriMPdmBvx68skT8-mPAB3BseeA" {
				t.Fatalf("alg %q x5t %q", tok.Alg(), tok.X5t())
			}
			k, ok := KeyFor(keys, tok)
			if !ok {
				t.Fatal("no key for token")
			}
			if err := Verify(tok, k.Public, []string{"RS256"}); err != nil {
				t.Fatalf("verify: %v", err)
			}
			if err := Verify(tok, k.Public, []string{"PS256"}); !errors.Is(err, ErrAlgNotAllowed) {
				t.Fatalf("alg allow-list not enforced: %v", err)
			}
			other := keys[0]
			if other.Kid == k.Kid {
				other = keys[1]
			}
			if err := Verify(tok, other.Public, []string{"RS256"}); !errors.Is(err, ErrBadSignature) {
				t.Fatalf("wrong key: %v", err)
			}
			if exp, ok := tok.TimeClaim("exp"); !ok || exp.Year() != 2014 {
				t.Fatalf("exp %v %v", exp, ok)
			}
			if len(tok.Problems) != 0 {
				t.Fatalf("clean token has problems %v", tok.Problems)
			}
		})
	}
}

func TestQuirky2014JWKS(t *testing.T) {
	keys, err := ParseJWKS(readShared(t, keys2014))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Fatalf("%d keys", len(keys))
	}
	for _, k := range keys {
		if k.Public == nil || k.Cert == nil {
			t.Fatalf("key %s: no public key or cert: %v", k.Kid, k.Problems)
		}
		if !hasProblem(k.Problems, "nonstandard-alg") || !hasProblem(k.Problems, "not-base64url") {
			t.Errorf("key %s: quirks not named: %v", k.Kid, k.Problems)
		}
		if hasProblem(k.Problems, "x5t-mismatch") || hasProblem(k.Problems, "x5c-key-mismatch") {
			t.Errorf("key %s: false mismatch: %v", k.Kid, k.Problems)
		}
	}
}

func TestRealJWKSets(t *testing.T) {
	for _, name := range []string{"oidc/login.microsoftonline.com_common_discovery_keys.v1.2024-07-22.json", "oidc/login.microsoftonline.com_common_discovery_v2.0_keys.json"} {
		keys, err := ParseJWKS(readShared(t, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if k.Public == nil || len(k.Problems) != 0 {
				t.Errorf("%s %s: %v", name, k.Kid, k.Problems)
			}
		}
	}
}

func hasProblem(ps []Problem, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

func TestDecodeMangled(t *testing.T) {
	good := string(readShared(t, cyrano))
	parts := strings.Split(good, ".")
	cases := []struct {
		name    string
		in      string
		problem string
		err     error
	}{
		{"clean", good, "", nil},
		{"bearer", "Bearer " + good, "bearer-prefix", nil},
		{"authorization header", "Authorization: Bearer " + good, "bearer-prefix", nil},
		{"quotes", `"` + good + `"`, "quotes", nil},
		{"newline", good + "\r\n", "whitespace", nil},
		{"wrapped", good[:50] + "\n" + good[50:], "whitespace", nil},
		{"bom", "\ufeff" + good, "bom", nil},
		{"form body", "grant_type=client_credentials&client_assertion=" + strings.ReplaceAll(good, ".", "%2E") + "&client_id=x", "form-field", nil},
		{"redirect fragment", "https://app/cb#id_token=" + good + "&state=1", "form-field", nil},
		{"url-encoded", strings.ReplaceAll(good, ".", "%2E"), "url-encoded", nil},
		{"padding", parts[0] + "==." + parts[1] + "." + parts[2], "padding", nil},
		{"std alphabet", parts[0] + "." + parts[1] + "." + strings.NewReplacer("-", "+", "_", "/").Replace(parts[2]), "not-base64url", nil},
		{"double base64", base64.StdEncoding.EncodeToString([]byte(good)), "double-encoded", nil},
		{"short signature", parts[0] + "." + parts[1] + "." + parts[2][:100], "truncated", nil},
		{"cut in claims", parts[0] + "." + parts[1][:len(parts[1])/2] + "." + parts[2], "", ErrTruncated},
		{"two segments", parts[0] + "." + parts[1], "", ErrTruncated},
		{"jwe", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", "", ErrJWE},
		{"not a jwt", "hello world", "", ErrNotJWT},
		{"garbage segment", "eyJhbGciOiJSUzI1NiJ9.!!!.abc", "", ErrMalformed},
		{"header not json", "eyJub3Q.e30.", "", ErrMalformed},
		{"empty", "  ", "", ErrNotJWT},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Decode(c.in)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err %v, want %v", err, c.err)
				}
				if strings.Contains(err.Error(), good) {
					t.Fatal("error contains the token")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.problem == "" {
				if len(tok.Problems) != 0 {
					t.Fatalf("unexpected problems %v", tok.Problems)
				}
			} else if !hasProblem(tok.Problems, c.problem) {
				t.Fatalf("problem %q not named; got %v", c.problem, tok.Problems)
			}
			if tok.StringClaim("iss") == "" {
				t.Fatal("claims lost")
			}
		})
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	rk := testRSAKey(t)
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{"iss": "client", "aud": []string{"a", "b"}, "exp": 1700000000}
	for _, alg := range []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			var signer crypto.Signer = rk
			var pub crypto.PublicKey = &rk.PublicKey
			if alg == "ES256" {
				signer, pub = ek, &ek.PublicKey
			}
			raw, err := Sign(claims, map[string]any{"typ": "JWT", "x5t": "abc"}, signer, alg)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if got := tok.Audiences(); len(got) != 2 {
				t.Fatalf("aud %v", got)
			}
			if err := Verify(tok, pub, []string{alg}); err != nil {
				t.Fatalf("verify: %v", err)
			}
			if err := Verify(tok, pub, EntraAssertionAlgs[:1]); alg != "RS256" && !errors.Is(err, ErrAlgNotAllowed) {
				t.Fatalf("allow-list: %v", err)
			}
		})
	}
}

func TestMislabelledSignatureFails(t *testing.T) {
	rk := testRSAKey(t)
	raw, err := Sign(map[string]any{"sub": "x"}, map[string]any{"alg": "PS256"}, rk, "RS256")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(tok, &rk.PublicKey, EntraAssertionAlgs); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("PKCS#1 v1.5 signature labelled PS256: %v", err)
	}
	if err := Verify(tok, []byte("secret"), []string{"PS256"}); !errors.Is(err, ErrKeyType) && !errors.Is(err, ErrBadSignature) {
		t.Fatalf("wrong key type: %v", err)
	}
}

// A key set that carries private members is named, and the private value
// appears in no problem text.
func TestJWKSPrivateMembers(t *testing.T) {
	pub := `"kty":"RSA","kid":"k1","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"`
	const secretD = "d-private-exponent-never-shown"
	cases := []struct {
		name, json string
		private    bool
	}{
		{"public only", `{"keys":[{` + pub + `}]}`, false},
		{"rsa d", `{"keys":[{` + pub + `,"d":"` + secretD + `"}]}`, true},
		{"rsa p", `{"keys":[{` + pub + `,"p":"` + secretD + `"}]}`, true},
		{"single jwk with d", `{` + pub + `,"d":"` + secretD + `"}`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keys, err := ParseJWKS([]byte(c.json))
			if err != nil {
				t.Fatal(err)
			}
			if hasProblem(keys[0].Problems, "private-key") != c.private {
				t.Fatalf("problems %v", keys[0].Problems)
			}
			for _, p := range keys[0].Problems {
				if strings.Contains(p.Detail, secretD) {
					t.Fatalf("problem shows the private value: %s", p.Detail)
				}
			}
		})
	}
}
