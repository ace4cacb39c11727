package inspect

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/cred/credtest"
	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

const shared = "../../shared/data"

func sample(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shared, rel))
	if err != nil {
		t.Skipf("shared sample %s missing: %v", rel, err)
	}
	return b
}

// TestGolden renders real samples (none with personal data) in both
// formats and compares them with testdata/golden.
func TestGolden(t *testing.T) {
	cases := []struct {
		name, file, now string
	}{
		{"cyrano-id-token", "tokens/aad-v1-2014_id-token_tenant-add29489_cyrano.jwt", "2014-12-22T17:30:00Z"},
		{"jwks-2014", "oidc/identitymodel-tests_JsonWebKeySet_aad-2012-2014-keys.json", "2014-07-01T00:00:00Z"},
		{"discovery-v1", "oidc/login.microsoftonline.com_common_v1_openid-configuration.2024-02-02.json", "2024-02-02T00:00:00Z"},
		{"aadgraph-request", "apps/azure-cli_aadgraph1.6_POST-applications_with-keyCredential.request.json", "2022-06-01T00:00:00Z"},
		{"aadgraph-response", "apps/azure-cli_aadgraph1.6_application_with-keyCredential.response.json", "2023-06-01T00:00:00Z"},
		{"msgraph-passwords", "apps/azure-cli_msgraph-v1.0_applications-list_2-passwordCredentials.response.json", "2023-06-01T00:00:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now, _ := time.Parse(time.RFC3339, c.now)
			r, err := Inspect(Input{Name: filepath.Base(c.file), Data: sample(t, c.file)}, Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			var txt bytes.Buffer
			if err := WriteText(&txt, []*Report{r}, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			js, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.name+".txt", txt.Bytes())
			golden(t, c.name+".json", append(js, '\n'))
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./inspect -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file; got:\n%s", name, got)
	}
}

func TestGraphCustomKeyIdentifierMatches(t *testing.T) {
	for _, c := range []struct{ file, sha1 string }{
		{"apps/azure-cli_aadgraph1.6_POST-applications_with-keyCredential.request.json", "A602F1EE56114DA74F90A7F0579870FE4B99B8C7"},
		{"apps/azure-cli_msgraph-v1.0_PATCH-application_keyCredentials.request.json", "BCBFBDE67E6B86150BE18AFBF915D1C189E58598"},
	} {
		r, err := Inspect(Input{Name: "app.json", Data: sample(t, c.file)}, Options{Now: time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Kind != KindGraph || len(r.Objects) != 1 || len(r.Objects[0].KeyCredentials) != 1 {
			t.Fatalf("%s: %+v", c.file, r)
		}
		kc := r.Objects[0].KeyCredentials[0]
		if kc.Certificate == nil || kc.Certificate.Thumbprints.SHA1Hex != c.sha1 {
			t.Fatalf("%s: certificate %+v", c.file, kc.Certificate)
		}
	}
	// The SHA-1 given as customKeyIdentifier in the AAD Graph response is
	// the certificate's in the matching request: join them as a user would.
	req := sample(t, "apps/azure-cli_aadgraph1.6_POST-applications_with-keyCredential.request.json")
	var body map[string]any
	_ = json.Unmarshal(req, &body)
	kc := body["keyCredentials"].([]any)[0].(map[string]any)
	kc["customKeyIdentifier"] = "A602F1EE56114DA74F90A7F0579870FE4B99B8C7"
	joined, _ := json.Marshal(body)
	r, err := Inspect(Input{Name: "joined.json", Data: joined}, Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Objects[0].KeyCredentials[0].IdentifierMatches
	if got == nil || !*got {
		t.Fatalf("customKeyIdentifier should match: %+v", r.Objects[0].KeyCredentials[0])
	}
	kc["customKeyIdentifier"] = "BCBFBDE67E6B86150BE18AFBF915D1C189E58598"
	joined, _ = json.Marshal(body)
	r, _ = Inspect(Input{Name: "joined.json", Data: joined}, Options{Now: time.Now()})
	if got := r.Objects[0].KeyCredentials[0].IdentifierMatches; got == nil || *got {
		t.Fatal("a different SHA-1 should not match")
	}
}

func TestDetect(t *testing.T) {
	tok := string(sample(t, "tokens/aad-v1-2014_id-token_tenant-add29489_cyrano.jwt"))
	cases := []struct {
		name, in, kind, problem string
		err                     error
	}{
		{"jwt", tok, KindJWT, "", nil},
		{"bearer jwt", "Bearer " + tok + "\n", KindJWT, "bearer-prefix", nil},
		{"jwe", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", KindJWE, "jwe", nil},
		{"truncated jwt", tok[:300], "", "", jose.ErrMalformed},
		{"thumbprint hex", "A602F1EE56114DA74F90A7F0579870FE4B99B8C7", KindThumbprint, "", nil},
		{"thumbprint x5t", "kriMPdmBvx68skT8-mPAB3BseeA", KindThumbprint, "", nil},
		{"discovery", string(sample(t, "oidc/login.microsoftonline.com_common_v2.0_openid-configuration.2024-02-02.json")), KindDiscovery, "", nil},
		{"jwks", string(sample(t, "oidc/login.microsoftonline.com_common_discovery_keys.v1.2024-07-22.json")), KindJWKS, "", nil},
		{"graph sp", string(sample(t, "apps/azure-cli_msgraph-v1.0_POST-servicePrincipals.response.json")), KindGraph, "", nil},
		{"other json", `{"hello": 1}`, KindUnrecognized, "", nil},
		{"nonsense", "hello there", "", "", cred.ErrUnrecognized},
		{"empty", "\n", "", "", cred.ErrEmpty},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Inspect(Input{Name: "in", Data: []byte(c.in)}, Options{Now: time.Now()})
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != c.kind {
				t.Fatalf("kind %s, want %s (%s)", r.Kind, c.kind, r.Summary)
			}
			if c.problem != "" && !hasProblem(r.Problems, c.problem) {
				t.Fatalf("problem %s not named: %v", c.problem, r.Problems)
			}
		})
	}
	r, _ := Inspect(Input{Name: "sp", Data: sample(t, "apps/azure-cli_msgraph-v1.0_POST-servicePrincipals.response.json")}, Options{})
	if r.Objects[0].Type != "servicePrincipal" {
		t.Fatalf("type %s", r.Objects[0].Type)
	}
}

func TestTokenMeaning(t *testing.T) {
	r, err := Inspect(Input{Name: "t", Data: sample(t, "tokens/aad-v1-2014_access-token_aud-graph.windows.net_tenant-72f988bf.jwt")}, Options{Now: time.Date(2014, 7, 21, 19, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	tk := r.Token
	// This token holds real personal data: assert on other claims only.
	if tk.Version != "1.0" || tk.Type != "access-token" || tk.Flow != "delegated" || tk.Status != "valid" {
		t.Fatalf("version %s type %s flow %s status %s", tk.Version, tk.Type, tk.Flow, tk.Status)
	}
	if !strings.Contains(strings.Join(tk.Notes, "\n"), "graph.windows.net") {
		t.Fatalf("notes %v", tk.Notes)
	}
	r, _ = Inspect(Input{Name: "v2", Data: sample(t, "tokens/msdocs-sample_v2.0_id-token_AbeLi_tid-9122040d.jwt")}, Options{Now: time.Now()})
	if r.Token.Version != "2.0" || r.Token.Type != "id-token" && r.Token.Type != "" {
		t.Fatalf("v2 sample: %s %s", r.Token.Version, r.Token.Type)
	}
}

func TestExplainSkew(t *testing.T) {
	server := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		skew       time.Duration
		code       int
		assertion  string
		validation string
	}{
		{"in sync", 2 * time.Second, 0, "pass", "pass"},
		{"two minutes ahead", 2 * time.Minute, 0, "warn", "pass"},
		{"seven minutes behind", -7 * time.Minute, 0, "warn", "pass"},
		{"six minutes ahead", 6 * time.Minute, 700024, "fail", "warn"},
		// exp = local + 10 min is still within the 5-minute skew of Entra's now.
		{"twelve minutes behind", -12 * time.Minute, 0, "warn", "fail"},
		{"sixteen minutes behind", -16 * time.Minute, 700024, "fail", "fail"},
		{"two hours ahead", 2 * time.Hour, 700024, "fail", "fail"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			local := server.Add(c.skew)
			r := ExplainSkew("https://a", local, server, time.Second)
			if r.EntraCode != c.code {
				t.Fatalf("code %d, want %d", r.EntraCode, c.code)
			}
			// The verdict must be the one rules gives for the same assertion.
			inTime := rules.JudgeTimes(server, local, local.Add(AssertionLifetime), rules.DefaultSkew) == rules.InTime
			if inTime != (r.EntraCode == 0) {
				t.Fatalf("code %d disagrees with rules (in time: %v)", r.EntraCode, inTime)
			}
			got := map[string]string{}
			for _, ch := range r.Checks {
				got[ch.ID] = ch.Status
			}
			if got["assertion-window"] != c.assertion || got["token-validation"] != c.validation {
				t.Fatalf("checks %v", got)
			}
		})
	}
}

func TestTokenInsideTokenResponse(t *testing.T) {
	tok := string(sample(t, "tokens/aad-v1-2014_id-token_tenant-add29489_cyrano.jwt"))
	resp, _ := json.Marshal(map[string]any{"token_type": "Bearer", "expires_in": 3599, "id_token": tok})
	r, err := Inspect(Input{Name: "resp.json", Data: resp}, Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != KindJWT || !hasProblem(r.Problems, "embedded-token") || r.Token.Type != "id-token" {
		t.Fatalf("kind %s problems %v", r.Kind, r.Problems)
	}
	// az account get-access-token writes camelCase members.
	az, _ := json.Marshal(map[string]any{"accessToken": tok, "expiresOn": "2014-12-22 18:20:20.000000", "tokenType": "Bearer"})
	if r, err := Inspect(Input{Name: "az.json", Data: az}, Options{Now: time.Now()}); err != nil || r.Kind != KindJWT {
		t.Fatalf("az output: %v %+v", err, r)
	}
}

func TestWriteTextColor(t *testing.T) {
	r, err := Inspect(Input{Name: "jwks", Data: sample(t, "oidc/identitymodel-tests_JsonWebKeySet_aad-2012-2014-keys.json")}, Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var plain, color bytes.Buffer
	_ = WriteText(&plain, []*Report{r}, TextOptions{})
	_ = WriteText(&color, []*Report{r}, TextOptions{Color: true})
	if strings.Contains(plain.String(), "\x1b[") || !strings.Contains(color.String(), ansiRed+"expired") {
		t.Fatal("colour only when asked, expired in red")
	}
}

func TestCredentialListsNeverShowSecretText(t *testing.T) {
	for _, f := range []string{"apps/azure-cli_msgraph-v1.0_addPassword.response.json", "apps/azure-cli_msgraph-v1.0_servicePrincipal-addPassword.response.json"} {
		data := sample(t, f)
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		secret, _ := m["secretText"].(string)
		r, err := Inspect(Input{Name: "pw.json", Data: data}, Options{Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if r.Kind != KindGraph || len(r.Objects) != 1 || len(r.Objects[0].PasswordCredentials) != 1 {
			t.Fatalf("%s: %+v", f, r)
		}
		var txt bytes.Buffer
		_ = WriteText(&txt, []*Report{r}, TextOptions{})
		js, _ := json.Marshal(r)
		if secret == "" || strings.Contains(txt.String(), secret) || strings.Contains(string(js), secret) {
			t.Fatalf("%s: secretText shown (or missing from the sample)", f)
		}
	}
	list := `[{"customKeyIdentifier":"A602F1EE56114DA74F90A7F0579870FE4B99B8C7","keyId":"1","type":"AsymmetricX509Cert","usage":"Verify"},{"hint":"abc","keyId":"2"}]`
	r, err := Inspect(Input{Name: "list.json", Data: []byte(list)}, Options{Now: time.Now()})
	if err != nil || len(r.Objects) != 1 || r.Objects[0].Type != "credential-list" || len(r.Objects[0].KeyCredentials) != 1 || len(r.Objects[0].PasswordCredentials) != 1 {
		t.Fatalf("%v %+v", err, r)
	}
}

func TestTokenX5cAgainstX5t(t *testing.T) {
	c := credtest.New(t, "x5c", time.Now(), time.Now().Add(time.Hour))
	key, der := c.Key, c.Cert.Raw
	tp := cred.ThumbprintsOfDER(der)
	for _, c := range []struct {
		x5t      string
		mismatch bool
	}{{tp.X5t, false}, {"kriMPdmBvx68skT8-mPAB3BseeA", true}} {
		raw, err := jose.Sign(map[string]any{"sub": "a"}, map[string]any{"x5t": c.x5t, "x5c": []string{base64.StdEncoding.EncodeToString(der)}}, key, "RS256")
		if err != nil {
			t.Fatal(err)
		}
		r, err := Inspect(Input{Name: "t", Data: []byte(raw)}, Options{Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if hasProblem(r.Problems, "x5t-mismatch") != c.mismatch {
			t.Fatalf("x5t %s: problems %v", c.x5t, r.Problems)
		}
		if !strings.Contains(strings.Join(r.Token.Notes, "\n"), tp.SHA1Hex) {
			t.Fatalf("notes lack the x5c SHA-1: %v", r.Token.Notes)
		}
	}
}

func TestVerifyAcrossInputs(t *testing.T) {
	tok := Input{Name: "cyrano.jwt", Data: sample(t, "tokens/aad-v1-2014_id-token_tenant-add29489_cyrano.jwt")}
	keys2014 := Input{Name: "keys2014.json", Data: sample(t, "oidc/identitymodel-tests_JsonWebKeySet_aad-2012-2014-keys.json")}
	keys2024 := Input{Name: "keys2024.json", Data: sample(t, "oidc/login.microsoftonline.com_common_discovery_keys.v1.2024-07-22.json")}
	now := time.Date(2014, 12, 22, 17, 30, 0, 0, time.UTC)

	rs, err := InspectAll([]Input{tok, keys2014}, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if v := rs[0].Token.SignatureValid; v == nil || !*v || !strings.Contains(rs[0].Token.Signature, "kriMPdmBvx68skT8-mPAB3BseeA") {
		t.Fatalf("2014 token with 2014 keys: %s", rs[0].Token.Signature)
	}
	rs, _ = InspectAll([]Input{tok, keys2024}, Options{Now: now})
	if rs[0].Token.SignatureValid != nil {
		t.Fatalf("no key of 2024 signed it, yet: %s", rs[0].Token.Signature)
	}

	// Generated: a token naming cert A by x5t, signed by A's key or by B's.
	a := credtest.New(t, "A", now, now.Add(time.Hour))
	keyA, derA := a.Key, a.Cert.Raw
	keyB, _ := rsa.GenerateKey(rand.Reader, 2048)
	certA := Input{Name: "a.cer", Data: derA}
	x5t := cred.ThumbprintsOfDER(derA).X5t
	for _, c := range []struct {
		signer *rsa.PrivateKey
		alg    string
		valid  bool
	}{{keyA, "RS256", true}, {keyA, "PS256", true}, {keyB, "RS256", false}} {
		raw, err := jose.Sign(map[string]any{"sub": "x"}, map[string]any{"x5t": x5t}, c.signer, c.alg)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := InspectAll([]Input{{Name: "t.jwt", Data: []byte(raw)}, certA}, Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		v := rs[0].Token.SignatureValid
		if v == nil || *v != c.valid || hasProblem(rs[0].Problems, "bad-signature") == c.valid {
			t.Fatalf("%s valid=%v: %s %v", c.alg, c.valid, rs[0].Token.Signature, rs[0].Problems)
		}
	}
}

// A pre-2021 client secret (44 characters of padded base64) reads as a
// SHA-256 thumbprint: no output may hold it or a form it converts back from.
func TestLegacySecretShapeNotEchoed(t *testing.T) {
	sum := sha256.Sum256([]byte("a certificate"))
	legacy := base64.StdEncoding.EncodeToString(sum[:])
	cases := []struct {
		name, in string
		withheld bool
	}{
		{"padded standard base64", legacy, true},
		{"base64url x5t#S256", base64.RawURLEncoding.EncodeToString(sum[:]), false},
		{"hex", cred.ThumbprintHex(sum[:]), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Inspect(Input{Name: "in", Data: []byte(c.in + "\n")}, Options{Now: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != KindThumbprint || r.Thumbprint.Withheld != c.withheld || hasProblem(r.Problems, "maybe-secret") != c.withheld {
				t.Fatalf("kind %s thumbprint %+v problems %v", r.Kind, r.Thumbprint, r.Problems)
			}
			var txt bytes.Buffer
			if err := WriteText(&txt, []*Report{r}, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			js, _ := json.Marshal(r)
			out := txt.String() + string(js)
			for _, form := range []string{legacy, cred.ThumbprintHex(sum[:]), base64.RawURLEncoding.EncodeToString(sum[:])} {
				if strings.Contains(out, form) == c.withheld {
					t.Fatalf("form %s shown=%v, want %v:\n%s", form, !c.withheld, !c.withheld, out)
				}
			}
		})
	}
}
