package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const auditNow = "2026-11-22T12:00:00Z"

func TestAuditCommand(t *testing.T) {
	example := "../../examples/directory.json"
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		contains []string
		absent   []string
	}{
		{name: "json contract", args: []string{"audit", "--now", auditNow, "-o", "json", example}, code: ExitOK,
			contains: []string{`"findings"`, `"rule":"credential-expired"`, `"app_id":"aaaaaaaa-0000-4000-8000-000000000011"`, `"key_id"`}},
		{name: "fail-on critical", args: []string{"audit", "--now", auditNow, "--fail-on", "critical", example}, code: ExitFound},
		{name: "fail-on critical when only warnings", args: []string{"audit", "--now", "2022-06-01T00:00:00Z", "--fail-on", "critical", "--min-severity", "info", example}, code: ExitOK},
		{name: "warn days honoured", args: []string{"audit", "--now", auditNow, "--warn-days", "5", "--critical-days", "2", "-o", "text", example}, code: ExitOK,
			absent: []string{"credential-expiring"}},
		{name: "critical days honoured", args: []string{"audit", "--now", auditNow, "--critical-days", "10", "-o", "text", example}, code: ExitOK,
			contains: []string{"critical\tcredential-expiring"}},
		{name: "lifetime policy flag", args: []string{"audit", "--now", "2026-03-02T00:00:00Z", "--max-secret-lifetime", "90d", "-o", "text", example}, code: ExitOK,
			contains: []string{"secret-lifetime-exceeds-policy"}},
		{name: "lifetime policy hours", args: []string{"audit", "--now", "2026-03-02T00:00:00Z", "--max-secret-lifetime", "8760h", "-o", "text", example}, code: ExitOK,
			absent: []string{"secret-lifetime-exceeds-policy"}},
		{name: "stdin", args: []string{"audit", "--now", auditNow, "-o", "csv"}, stdin: `[{"keyId":"k","displayName":"ci","endDateTime":"2026-11-25T00:00:00Z"}]`, code: ExitOK,
			contains: []string{"rule,severity,app_id", "credential-expiring,critical"}},
		{name: "markdown", args: []string{"audit", "--now", auditNow, "-o", "markdown", example}, code: ExitOK, contains: []string{"# App registration audit", "**Fix:**"}},
		{name: "sarif", args: []string{"audit", "--now", auditNow, "-o", "sarif", example}, code: ExitOK, contains: []string{`"version": "2.1.0"`}},
		{name: "table", args: []string{"audit", "--now", auditNow, "-o", "table", example}, code: ExitOK, contains: []string{"SEVERITY", "1295 days ago"}},
		{name: "bad output", args: []string{"audit", "-o", "yaml", example}, code: ExitUsage},
		{name: "bad now", args: []string{"audit", "--now", "yesterday", example}, code: ExitUsage},
		{name: "bad fail-on", args: []string{"audit", "--fail-on", "sometimes", example}, code: ExitUsage},
		{name: "critical above warn", args: []string{"audit", "--warn-days", "3", "--critical-days", "9", example}, code: ExitUsage},
		{name: "missing file", args: []string{"audit", "no-such-file.json"}, code: ExitUsage},
		{name: "not json", args: []string{"audit"}, stdin: "hello", code: ExitUsage},
		{name: "live needs tenant", args: []string{"audit", "--live"}, code: ExitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			for _, c := range tc.contains {
				if !strings.Contains(out, c) {
					t.Errorf("output lacks %q:\n%s", c, out)
				}
			}
			for _, c := range tc.absent {
				if strings.Contains(out, c) {
					t.Errorf("output has %q:\n%s", c, out)
				}
			}
			if strings.Contains(out+errOut, "NOT-REAL") {
				t.Fatal("a secret from the directory file was printed")
			}
		})
	}
}

func TestAuditReadsSharedApps(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/data/apps/*.json")
	if len(files) == 0 {
		t.Skip("no shared samples")
	}
	args := append([]string{"audit", "--now", auditNow, "-o", "json"}, files...)
	code, out, errOut := runCLI(t, "", args...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) == 0 {
		t.Fatal("no findings from the 2022 samples")
	}
	if !strings.Contains(errOut, "first-party") {
		t.Errorf("first-party catalog not named: %s", errOut)
	}
}

func TestAuditNotify(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	code, _, errOut := runCLI(t, "", "audit", "--now", auditNow, "-o", "json", "--notify", srv.URL+"/hook", "--notify-format", "slack", "../../examples/directory.json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 || !strings.Contains(bodies[0], `"blocks"`) || !strings.Contains(bodies[0], "contoso-web") {
		t.Fatalf("webhook got %v", bodies)
	}
	if !strings.Contains(errOut, "posted 2 expiry reminder") {
		t.Fatalf("stderr %q", errOut)
	}
}

func TestAuditMergesFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "apps.json")
	s := filepath.Join(dir, "sps.json")
	os.WriteFile(a, []byte(`[{"appId":"11111111-0000-4000-8000-000000000001","displayName":"client","requiredResourceAccess":[{"resourceAppId":"22222222-0000-4000-8000-000000000002","resourceAccess":[{"id":"x","type":"Scope"}]}]}]`), 0o600)
	os.WriteFile(s, []byte(`[{"appId":"22222222-0000-4000-8000-000000000002","displayName":"api","servicePrincipalNames":["api://x"],"appRoles":[{"id":"r","value":"Jobs.Run"}],"oauth2PermissionScopes":[]}]`), 0o600)
	code, out, errOut := runCLI(t, "", "audit", "--now", auditNow, "-o", "text", a, s)
	if code != ExitOK || !strings.Contains(out, "delegated-permission-not-exposed") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}
