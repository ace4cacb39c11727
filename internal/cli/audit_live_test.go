package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/emulator"
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
	e, err := emulator.New(dir, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := emulator.NewTLSMaterial(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	hits := map[string]int{}
	throttled := false
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		first := !throttled && r.URL.Path == "/v1.0/servicePrincipals"
		if first {
			throttled = true
		}
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		e.Handler().ServeHTTP(w, r)
	}))
	srv.TLS = m.TLSConfig()
	srv.StartTLS()
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, m.CAPEM, 0o600); err != nil {
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
	mu.Lock()
	defer mu.Unlock()
	if hits["/v1.0/applications"] != 3 || hits["/v1.0/servicePrincipals"] < 4 {
		t.Fatalf("Graph requests %v: want 3 application pages and a throttled service principal page", hits)
	}
	if strings.Contains(out.String()+errb.String(), secret) {
		t.Fatal("the client secret was printed")
	}
}
