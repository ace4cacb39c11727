package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/graphapi/graphtest"
)

// TestAuditLiveAgainstEmulator runs `aadsts audit --live` end to end: Azure
// Identity's client secret credential gets a token from the emulator, the
// Graph reader pages through the emulator's /v1.0 surface two items at a
// time with a 429 injected, and the findings come out as JSON.
func TestAuditLiveAgainstEmulator(t *testing.T) {
	dir, err := directory.LoadFile("../../examples/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := graphtest.Start(t, dir, "/v1.0/servicePrincipals")
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	secret := dir.Tenants[0].Applications[0].PasswordCredentials[0].SecretText
	vars := map[string]string{"AZURE_CLIENT_SECRET": secret}
	var out, errb bytes.Buffer
	code := run([]string{"audit", "--live", "--tenant", "contoso.onmicrosoft.com", "--credential", "secret",
		"--client-id", "aaaaaaaa-0000-4000-8000-000000000001", "--authority-host", srv.URL, "--graph-url", srv.URL + "/v1.0",
		"--ca-file", ca, "--page-size", "2", "--now", auditNow, "-o", "json"},
		&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }})
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	var doc struct {
		Findings []struct {
			Rule  string `json:"rule"`
			AppID string `json:"app_id"`
		} `json:"findings"`
		Summary struct {
			Applications int `json:"applications"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if doc.Summary.Applications != 5 {
		t.Fatalf("read %d applications, want 5", doc.Summary.Applications)
	}
	found := false
	for _, f := range doc.Findings {
		found = found || (f.Rule == "credential-expired" && f.AppID == "aaaaaaaa-0000-4000-8000-000000000011")
	}
	if !found {
		t.Fatalf("expired certificate not reported: %s", out.String())
	}
	if a, s := srv.Hits("/v1.0/applications"), srv.Hits("/v1.0/servicePrincipals"); a != 3 || s < 4 {
		t.Fatalf("Graph requests: %d to applications, %d to servicePrincipals; want 3 application pages and a throttled service principal page", a, s)
	}
	if strings.Contains(out.String()+errb.String(), secret) {
		t.Fatal("the client secret was printed")
	}
}
