package web

import (
	"bufio"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// realErrors reads the shared real error samples: raw text and primary code.
func realErrors(t *testing.T, n int) map[string]int { return realErrorsFor(t, n) }

func realErrorsFor(t testing.TB, n int) map[string]int {
	t.Helper()
	f, err := os.Open("../../shared/data/real-errors-dev.jsonl")
	if err != nil {
		t.Skipf("shared samples missing: %v", err)
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && len(out) < n {
		var rec struct {
			Raw     string `json:"raw"`
			Primary *int   `json:"primary_code"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Primary != nil {
			out[rec.Raw] = *rec.Primary
		}
	}
	return out
}

func TestDiagnoseForm(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	resp, body := b.get("/")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, body, `<label for="text">Paste anything</label>`, `<label for="file">Or upload a file</label>`,
		`<label for="password">PFX password</label>`, `enctype="multipart/form-data"`, `name="csrf_token"`)
	mustNotContain(t, body, "style=", "<script>")
}

func TestDiagnoseRealErrors(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	for raw, code := range realErrors(t, 25) {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			resp, body := b.post("/diagnose", map[string]string{"text": raw})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			mustContain(t, body, `<span data-testid="primary-code">AADSTS`+strconv.Itoa(code)+`</span>`)
			if strings.Count(body, `data-testid="primary-code"`) != 1 {
				t.Error("want exactly one primary code")
			}
			if strings.Count(body, `data-testid="top-cause"`) > 1 {
				t.Error("more than one top cause")
			}
		})
	}
}

func TestDiagnoseErrorWithCauses(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	text := "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '5E4FE5B6BA7B2F3A8C1E4B5E9C3A2D1F0B6C7D8E']"
	_, body := b.post("/diagnose", map[string]string{"text": text})
	mustContain(t, body, `data-testid="primary-code">AADSTS700027`, `data-testid="top-cause"`, "Likely causes", "data-copy=", "/codes/700027")
	mustNotContain(t, body, text) // the paste is not echoed into the form
}

func TestDiagnoseEscapesPaste(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	_, body := b.post("/diagnose", map[string]string{"text": `AADSTS50012: <script>alert(1)</script> <img src=x onerror=alert(2)>`})
	mustNotContain(t, body, "<script>alert", "<img src=x")
	mustContain(t, body, "AADSTS50012")
}

func TestDiagnoseCertificateUpload(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	der, key, sha1hex := selfSigned(t, "web-test")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	keyB64 := base64.StdEncoding.EncodeToString(keyDER)

	t.Run("pem", func(t *testing.T) {
		_, body := b.post("/diagnose", nil, file{"file", "cert.pem", certPEM})
		mustContain(t, body, sha1hex, "CN=web-test", "x5t#S256", "Thumbprints")
	})
	t.Run("der", func(t *testing.T) {
		_, body := b.post("/diagnose", nil, file{"file", "cert.cer", der})
		mustContain(t, body, sha1hex)
	})
	t.Run("cert and key pasted", func(t *testing.T) {
		_, body := b.post("/diagnose", map[string]string{"text": string(certPEM) + string(keyPEM)})
		mustContain(t, body, sha1hex, "never shown")
		mustNotContain(t, body, keyB64[:40], "PRIVATE KEY-----")
	})
	pfx, err := pkcs12.Modern.Encode(key, mustParse(t, der), nil, "pfx-pass-w0rd")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("pfx with password", func(t *testing.T) {
		_, body := b.post("/diagnose", map[string]string{"password": "pfx-pass-w0rd"}, file{"file", "app.pfx", pfx})
		mustContain(t, body, sha1hex)
		mustNotContain(t, body, "pfx-pass-w0rd", keyB64[:40])
	})
	t.Run("pfx wrong password", func(t *testing.T) {
		resp, body := b.post("/diagnose", map[string]string{"password": "not-it-123"}, file{"file", "app.pfx", pfx})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("status %d, want 422", resp.StatusCode)
		}
		mustContain(t, body, "wrong password")
		mustNotContain(t, body, "not-it-123")
	})
	t.Run("too large", func(t *testing.T) {
		resp, _ := b.post("/diagnose", nil, file{"file", "big.pem", make([]byte, maxDiagnoseFile+1)})
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", resp.StatusCode)
		}
	})
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDiagnoseJWTIsRedacted(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	enc := base64.RawURLEncoding.EncodeToString
	hdr := enc([]byte(`{"alg":"RS256","typ":"JWT","kid":"k1"}`))
	claims := enc([]byte(`{"aud":"https://graph.microsoft.com","iss":"https://sts.windows.net/11111111-2222-3333-4444-555555555555/","iat":1795000000,"nbf":1795000000,"exp":1795003600,"appid":"aaaaaaaa-0000-4000-8000-000000000001","ver":"1.0","roles":["Jobs.Run"]}`))
	sig := enc([]byte(strings.Repeat("s", 256)))
	tok := hdr + "." + claims + "." + sig
	_, body := b.post("/diagnose", map[string]string{"text": tok})
	mustContain(t, body, "redacted", "aud", "graph.microsoft.com")
	mustNotContain(t, body, tok, sig)

	// A token quoted inside an error text is not echoed either.
	_, body = b.post("/diagnose", map[string]string{"text": "AADSTS50013: Assertion failed signature validation. The assertion " + tok + " was rejected."})
	mustContain(t, body, `data-testid="primary-code">AADSTS50013`)
	mustNotContain(t, body, tok, claims)
}

func TestDiagnoseTokenRequest(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	secret := "Zx8Q~verysecretvalue.0123456789abcdefghij"
	req := "curl -X POST https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token " +
		"-d grant_type=client_credentials -d client_id=aaaaaaaa-0000-4000-8000-000000000001 -d client_secret=" + secret +
		" -d scope=https://graph.microsoft.com/user.read"
	_, body := b.post("/diagnose", map[string]string{"text": req})
	mustContain(t, body, "Token request", "Checks", `id="checks"`)
	mustNotContain(t, body, secret)
}

func TestDiagnoseNothingFound(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	resp, body := b.post("/diagnose", map[string]string{"text": "hello there, nothing to see"})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", resp.StatusCode)
	}
	mustContain(t, body, "No AADSTS code")
	resp, _ = b.post("/diagnose", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("empty form: status %d, want 422", resp.StatusCode)
	}
}

func TestDiagnoseExamples(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	for _, ex := range examples {
		t.Run(ex.Label, func(t *testing.T) {
			resp, body := b.post("/diagnose", map[string]string{"text": ex.Text})
			if resp.StatusCode != 200 || !strings.Contains(body, `data-testid="top-cause"`) {
				t.Fatalf("example %q: status %d, no top cause", ex.Label, resp.StatusCode)
			}
		})
	}
}
