package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/aadsts/aadsts/rules/scenarios"
)

func TestDiagnoseRequestCLI(t *testing.T) {
	f := newDiagFixture(t)
	ep := f.suite.TokenURL(scenarios.TenantID)
	// The assertion's aud names sts.windows.net while the request goes to
	// login.microsoftonline.com: 700023, from stdin.
	curl := "curl -X POST " + ep + " -d grant_type=client_credentials -d client_id=" + scenarios.AppID +
		" -d scope=https%3A%2F%2Fgraph.microsoft.com%2F.default -d client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer -d client_assertion=" + f.tok["aud-host-alias"]
	code, out, errOut := runCLI(t, curl, "diagnose", "request", "--now", diagNow)
	if code != ExitFound || !strings.Contains(out, "AADSTS700023") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errOut, out)
	}
	// A raw HTTP request from a file, to /common: 9001023.
	raw := "POST /common/oauth2/v2.0/token HTTP/1.1\r\nHost: login.microsoftonline.com\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n" +
		"grant_type=client_credentials&client_id=" + scenarios.AppID + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=x"
	if err := os.WriteFile(f.path("req.http"), []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "", "diagnose", "request", f.path("req.http"), "-o", "json", "--now", diagNow)
	if code != ExitFound || !strings.Contains(out, `"entra_code": 9001023`) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	// A correct form body with --url and the app export: accepted.
	body := "grant_type=client_credentials&client_id=" + scenarios.AppID + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=" + scenarios.SecretValue
	code, out, _ = runCLI(t, body, "diagnose", "request", "--url", ep, "--app", f.path("app.json"), "--now", diagNow)
	if code != ExitOK || strings.Contains(out, scenarios.SecretValue) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
