package diagnose_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/diagnose"
	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules/scenarios"
)

func TestParseRequest(t *testing.T) {
	cases := []struct {
		name, text        string
		method, url, ct   string
		form              map[string]string
		basicUser         string
		wantErr, problems bool
	}{
		{name: "curl v2", text: `curl -X POST https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token \
  -H 'Content-Type: application/x-www-form-urlencoded' \
  -d 'client_id=11111111-1111-4111-8111-111111111111&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&grant_type=client_credentials' \
  --data-urlencode 'client_secret=a+b&c'`,
			method: "POST", url: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", ct: "application/x-www-form-urlencoded",
			form: map[string]string{"grant_type": "client_credentials", "scope": "https://graph.microsoft.com/.default", "client_secret": "a+b&c"}},
		{name: "curl plus not encoded", text: `curl https://login.microsoftonline.com/t/oauth2/v2.0/token -d "client_secret=a+b" -d grant_type=client_credentials`,
			method: "POST", form: map[string]string{"client_secret": "a b"}},
		{name: "curl basic auth", text: `curl -u 'app:s3cret' https://login.microsoftonline.com/t/oauth2/token -d grant_type=client_credentials`, method: "POST", basicUser: "app"},
		{name: "curl json", text: `curl https://login.microsoftonline.com/t/oauth2/v2.0/token -H "Content-Type: application/json" -d '{"grant_type":"client_credentials"}'`, ct: "application/json"},
		{name: "curl multipart", text: `curl https://login.microsoftonline.com/t/oauth2/v2.0/token -F grant_type=client_credentials`, ct: "multipart/form-data", problems: true},
		{name: "raw http", text: "POST /contoso.onmicrosoft.com/oauth2/v2.0/token HTTP/1.1\r\nHost: login.microsoftonline.com\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic YXBwOnMlMkIz\r\n\r\ngrant_type=client_credentials&scope=x%2F.default",
			method: "POST", url: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", basicUser: "app", form: map[string]string{"scope": "x/.default"}},
		{name: "form body", text: "grant_type=client_credentials&client_id=x\n", method: "POST", form: map[string]string{"client_id": "x"}},
		{name: "garbage", text: "hello world", wantErr: true},
		{name: "empty", text: "  ", wantErr: true},
		{name: "unterminated quote", text: "curl 'https://x", wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := diagnose.ParseRequest(c.text)
			if (err != nil) != c.wantErr {
				t.Fatalf("err %v", err)
			}
			if err != nil {
				return
			}
			if c.method != "" && p.Method != c.method || c.url != "" && p.URL != c.url || c.ct != "" && p.ContentType != c.ct || p.BasicUser != c.basicUser {
				t.Errorf("got %+v", p)
			}
			for k, v := range c.form {
				if p.Form.Get(k) != v {
					t.Errorf("form %s = %q, want %q", k, p.Form.Get(k), v)
				}
			}
			if c.problems && len(p.Problems) == 0 {
				t.Error("no problems named")
			}
		})
	}
}

func TestRequest(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	ep := s.TokenURL(scenarios.TenantID)
	cases := []struct {
		name, text string
		want       int
	}{
		{"scope without /.default", `curl ` + ep + ` -d grant_type=client_credentials -d client_id=` + scenarios.AppID + ` -d scope=https://graph.microsoft.com/User.Read --data-urlencode client_secret=` + scenarios.SecretValue, 1002012},
		{"common", `curl ` + s.TokenURL("common") + ` -d grant_type=client_credentials -d client_id=` + scenarios.AppID + ` -d scope=https://graph.microsoft.com/.default -d client_secret=x`, 9001023},
		{"json body", `curl ` + ep + ` -H "Content-Type: application/json" -d '{"grant_type":"client_credentials"}'`, 900144},
		{"no credential", `curl ` + ep + ` -d grant_type=client_credentials -d client_id=` + scenarios.AppID + ` -d scope=https://graph.microsoft.com/.default`, 7000216},
		{"ok (hint match)", `curl ` + ep + ` -d grant_type=client_credentials -d client_id=` + scenarios.AppID + ` -d scope=https://graph.microsoft.com/.default --data-urlencode client_secret=` + scenarios.SecretValue, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := diagnose.Request(diagnose.RequestOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Text: c.text, App: "app.json"})
			if err != nil {
				t.Fatal(err)
			}
			if r.EntraCode != c.want {
				t.Errorf("entra_code %d, want %d: %+v", r.EntraCode, c.want, r.Checks)
			}
			for f, o := range render(t, r) {
				if strings.Contains(o, scenarios.SecretValue) {
					t.Errorf("%s output holds the secret", f)
				}
			}
		})
	}
}

func FuzzParseRequest(f *testing.F) {
	f.Add("curl -X POST https://login.microsoftonline.com/t/oauth2/v2.0/token -d 'grant_type=client_credentials&client_id=x' -H 'Content-Type: application/x-www-form-urlencoded'")
	f.Add("POST /t/oauth2/token HTTP/1.1\r\nHost: login.microsoftonline.com\r\nAuthorization: Basic YTpi\r\n\r\ngrant_type=client_credentials&resource=https%3A%2F%2Fgraph.microsoft.com")
	f.Add("grant_type=client_credentials&client_id=x&scope=a%2F.default")
	f.Add(`curl "https://x/t/oauth2/v2.0/token" --data-urlencode "client_secret=a\"b" -u a:b -G -F x=y`)
	// Real request bodies recorded in shared/data/entra-responses.
	if entries, err := os.ReadDir(sharedData + "entra-responses"); err == nil {
		for _, e := range entries {
			if b, err := os.ReadFile(sharedData + "entra-responses/" + e.Name()); err == nil && len(b) < 4<<10 {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := diagnose.ParseRequest(text)
		if err != nil {
			return
		}
		if p.Form == nil || p.Query == nil {
			t.Fatalf("nil form or query: %+v", p)
		}
	})
}

// An on-behalf-of request whose user token was issued for Graph, not for
// the middle tier: 500131, judged offline without the issuer's keys.
func TestRequestOBOAudience(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	claims := map[string]any{"aud": "https://graph.microsoft.com", "scp": "User.Read", "oid": "0a0a0a0a-0000-4000-8000-000000000001",
		"exp": s.Now.Add(time.Hour).Unix(), "iss": "https://sts.windows.net/" + scenarios.TenantID + "/"}
	tok, err := jose.Sign(claims, map[string]any{"kid": "k"}, s.Cert.Key, "RS256")
	if err != nil {
		t.Fatal(err)
	}
	text := "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&requested_token_use=on_behalf_of&client_id=" + scenarios.AppID +
		"&scope=api%3A%2F%2Fdownstream%2F.default&client_secret=" + scenarios.SecretValue + "&assertion=" + tok
	r, err := diagnose.Request(diagnose.RequestOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Text: text, URL: s.TokenURL(scenarios.TenantID), App: "app.json"})
	if err != nil {
		t.Fatal(err)
	}
	if r.EntraCode != 500131 {
		t.Fatalf("entra_code %d, want 500131: %+v", r.EntraCode, r.Checks)
	}
	for f, out := range render(t, r) {
		if strings.Contains(out, tok) {
			t.Errorf("%s output holds the user token", f)
		}
	}
}
