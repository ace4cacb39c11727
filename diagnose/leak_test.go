package diagnose_test

import (
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/aadsts/aadsts/diagnose"
	"github.com/aadsts/aadsts/rules/scenarios"
)

// No output format ever holds the secret, the private key, the PFX password
// or a whole token, whatever the outcome.
func TestNoSecretsInOutput(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	block, _ := pem.Decode(fs["key.pem"])
	keyB64 := base64.StdEncoding.EncodeToString(block.Bytes)
	forbidden := map[string]string{
		"secret":       scenarios.SecretValue,
		"plus secret":  scenarios.SecretPlusValue,
		"pfx password": pfxPassword,
		"key start":    keyB64[:40],
		"key middle":   keyB64[len(keyB64)/2 : len(keyB64)/2+40],
	}
	var reports []*diagnose.Report
	for _, sc := range s.Scenarios {
		tok := sc.Form.Get("client_assertion")
		if tok == "" {
			continue
		}
		forbidden["assertion "+sc.Name] = tok
		for _, o := range []diagnose.AssertionOptions{
			{Assertion: tok, Cert: "cert.pem", Key: "key.pem", App: "app.json", TokenEndpoint: sc.URL, Error: "AADSTS7000215: Invalid client secret provided. " + scenarios.SecretValue},
			{Assertion: tok, PFX: "app.pfx", PFXPassword: pfxPassword},
		} {
			o.Env = diagnose.Env{Now: s.Now, ReadFile: fs.read}
			if r, err := diagnose.Assertion(o); err == nil {
				reports = append(reports, r)
			} else if strings.Contains(err.Error(), pfxPassword) || strings.Contains(err.Error(), tok) {
				t.Fatalf("error leaks: %v", err)
			}
		}
		text := "curl " + sc.URL + " --data-urlencode client_assertion=" + tok + " -d client_secret=" + scenarios.SecretValue + " -d grant_type=client_credentials -d client_id=" + scenarios.AppID
		if r, err := diagnose.Request(diagnose.RequestOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Text: text, App: "app.json"}); err == nil {
			reports = append(reports, r)
		}
	}
	for _, v := range []string{scenarios.SecretValue, scenarios.SecretPlusValue, " " + scenarios.SecretValue + "\n"} {
		fs["s"] = []byte(v)
		r, err := diagnose.Secret(diagnose.SecretOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, SecretFile: "s", App: "app.json"})
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r)
	}
	for fsName, raw := range map[string]string{"basic": "POST /" + scenarios.TenantID + "/oauth2/v2.0/token HTTP/1.1\r\nHost: login.microsoftonline.com\r\nAuthorization: Basic " +
		base64.StdEncoding.EncodeToString([]byte(scenarios.AppID+":"+scenarios.SecretValue)) + "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\ngrant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"} {
		r, err := diagnose.Request(diagnose.RequestOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Text: raw, App: "app.json"})
		if err != nil {
			t.Fatalf("%s: %v", fsName, err)
		}
		reports = append(reports, r)
	}
	if len(reports) < 50 {
		t.Fatalf("only %d reports", len(reports))
	}
	for _, r := range reports {
		for format, out := range render(t, r) {
			for what, v := range forbidden {
				if strings.Contains(out, v) {
					t.Fatalf("%s output of a %s report holds the %s", format, r.Kind, what)
				}
			}
		}
	}
}

// A short secret is not shown through its hint.
func TestShortSecretHidden(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	const short = "abcdefgh"
	fs["s"] = []byte(short)
	r, err := diagnose.Secret(diagnose.SecretOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, SecretFile: "s", App: "app.json"})
	if err != nil {
		t.Fatal(err)
	}
	text := "curl " + s.TokenURL(scenarios.TenantID) + " -d grant_type=client_credentials -d client_id=" + scenarios.AppID + " -d client_secret=" + short
	r2, err := diagnose.Request(diagnose.RequestOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	for _, rep := range []*diagnose.Report{r, r2} {
		for f, out := range render(t, rep) {
			if strings.Contains(out, short[:3]+"…") || strings.Contains(out, short) {
				t.Errorf("%s output of a %s report shows the short secret", f, rep.Kind)
			}
		}
	}
}

// A value pasted where a JWT or a file name goes is not echoed whole in the
// usage error, even when it looks like a path (a pre-2021 secret holds '/').
func TestUsageErrorHidesPastedValue(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	cases := []struct{ name, value string }{
		{"legacy secret with slash", "k3Jd/9aQ+u1mZ0pLr7sT2vW4xY6zA8bC0dE2fG4hI6k="},
		{"path-like long value", "some/dir/" + strings.Repeat("x", 40) + ".jwt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := diagnose.Assertion(diagnose.AssertionOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, Assertion: c.value})
			if err == nil || !errors.Is(err, diagnose.ErrUsage) {
				t.Fatalf("err %v, want a usage error", err)
			}
			if strings.Contains(err.Error(), c.value) || strings.Contains(err.Error(), c.value[:20]) {
				t.Fatalf("error echoes the value: %v", err)
			}
		})
	}
}
