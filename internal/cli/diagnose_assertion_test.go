package cli

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/aadsts/aadsts/rules/scenarios"
)

const diagNow = "2026-03-01T12:00:00Z"

// diagFixture writes the scenario suite's certificate, key, PFX, app
// export and secret to a temporary directory.
type diagFixture struct {
	dir   string
	suite *scenarios.Suite
	tok   map[string]string
}

const testPFXPassword = "cli-Pfx-passw0rd"

func newDiagFixture(t *testing.T) *diagFixture {
	t.Helper()
	now, _ := time.Parse(time.RFC3339, diagNow)
	s, err := scenarios.New(scenarios.DefaultBaseURL, now)
	if err != nil {
		t.Fatal(err)
	}
	f := &diagFixture{dir: t.TempDir(), suite: s, tok: map[string]string{}}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(s.Cert.Key)
	pfx, err := pkcs12.Modern.Encode(s.Cert.Key, s.Cert.Cert, nil, testPFXPassword)
	if err != nil {
		t.Fatal(err)
	}
	app, _ := s.Directory.Tenants[0].FindApplication(scenarios.AppID)
	appJSON, _ := json.Marshal(app)
	for name, data := range map[string][]byte{
		"cert.pem":     pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Cert.Cert.Raw}),
		"key.pem":      pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
		"app.pfx":      pfx,
		"app.json":     appJSON,
		"password.txt": []byte(testPFXPassword + "\n"),
		"secret.txt":   []byte(scenarios.SecretValue),
	} {
		if err := os.WriteFile(filepath.Join(f.dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, sc := range s.Scenarios {
		if tok := sc.Form.Get("client_assertion"); tok != "" {
			f.tok[sc.Name] = tok
			_ = os.WriteFile(filepath.Join(f.dir, sc.Name+".jwt"), []byte(tok+"\n"), 0o600)
		}
	}
	return f
}

func (f *diagFixture) path(name string) string { return filepath.Join(f.dir, name) }

func TestDiagnoseAssertionCLI(t *testing.T) {
	f := newDiagFixture(t)
	ep := f.suite.TokenURL(scenarios.TenantID)
	cases := []struct {
		name     string
		args     []string
		exit     int
		wantCode int
	}{
		{"accepted from file", []string{"--assertion", f.path("cert-ps256-x5t#S256.jwt"), "--cert", f.path("cert.pem"), "--app", f.path("app.json"), "--token-endpoint", ep}, ExitOK, 0},
		{"accepted with pfx", []string{"--assertion", f.tok["cert-rs256-x5t"], "--pfx", f.path("app.pfx"), "--password-file", f.path("password.txt"), "--app", f.path("app.json"), "--tenant", scenarios.TenantID, "--client-id", scenarios.AppID, "--token-endpoint", ep}, ExitOK, 0},
		{"key not registered", []string{"--assertion", f.path("key-not-registered.jwt"), "--app", f.path("app.json"), "--token-endpoint", ep}, ExitFound, 700027},
		{"expired", []string{"--assertion", f.path("expired.jwt"), "--app", f.path("app.json"), "--token-endpoint", ep}, ExitFound, 700024},
		{"wrong host", []string{"--assertion", f.path("aud-host-alias.jwt"), "--token-endpoint", ep}, ExitFound, 700023},
		{"now moves the window", []string{"--assertion", f.path("expired.jwt"), "--token-endpoint", ep, "--now", "2026-03-01T11:04:00Z"}, ExitOK, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"diagnose", "assertion", "-o", "json"}, c.args...)
			if !containsFlag(args, "--now") {
				args = append(args, "--now", diagNow)
			}
			code, out, errOut := runCLI(t, "", args...)
			if code != c.exit {
				t.Fatalf("exit %d, want %d; stderr %s; stdout %s", code, c.exit, errOut, out)
			}
			var r struct {
				EntraCode int `json:"entra_code"`
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			if r.EntraCode != c.wantCode {
				t.Fatalf("entra_code %d, want %d", r.EntraCode, c.wantCode)
			}
		})
	}
}

func containsFlag(args []string, flag string) bool {
	for _, a := range args {
		if a == flag {
			return true
		}
	}
	return false
}

func TestDiagnoseUsageErrors(t *testing.T) {
	f := newDiagFixture(t)
	for _, args := range [][]string{
		{"diagnose", "assertion"},
		{"diagnose", "assertion", "--assertion", f.path("nope.jwt")},
		{"diagnose", "assertion", "--assertion", f.tok["expired"], "-o", "yaml"},
		{"diagnose", "assertion", "--assertion", f.tok["expired"], "--now", "yesterday"},
		{"diagnose", "assertion", "--assertion", f.tok["expired"], "--pfx", f.path("app.pfx")},
		{"diagnose", "secret"},
		{"diagnose", "secret", "--secret-env", "UNSET_VARIABLE_FOR_TEST"},
		{"diagnose", "token"},
		{"diagnose", "request", f.path("nope.txt")},
		{"diagnose", "request"},
	} {
		code, _, errOut := runCLI(t, "not a request", args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, ExitUsage, errOut)
		}
	}
}

// No output format of any diagnose command holds the secret, the private
// key, the PFX password or a whole assertion.
func TestDiagnoseCLINoSecrets(t *testing.T) {
	f := newDiagFixture(t)
	keyPEM, _ := os.ReadFile(f.path("key.pem"))
	block, _ := pem.Decode(keyPEM)
	keyLines := strings.Split(string(keyPEM), "\n")
	ep := f.suite.TokenURL(scenarios.TenantID)
	curl := "curl " + ep + " --data-urlencode client_secret=" + scenarios.SecretValue + " -d grant_type=client_credentials -d client_id=" + scenarios.AppID + " -d scope=https://graph.microsoft.com/.default"
	for _, output := range []string{"text", "json", "markdown"} {
		for _, args := range [][]string{
			{"diagnose", "assertion", "--assertion", f.tok["wrong-private-key"], "--key", f.path("key.pem"), "--cert", f.path("cert.pem"), "--app", f.path("app.json"), "--token-endpoint", ep},
			{"diagnose", "assertion", "--assertion", f.tok["cert-rs256-x5t"], "--pfx", f.path("app.pfx"), "--password-file", f.path("password.txt")},
			{"diagnose", "secret", "--secret-file", f.path("secret.txt"), "--app", f.path("app.json")},
			{"diagnose", "request", "-"},
		} {
			args = append(args, "-o", output, "--now", diagNow)
			var out, errb bytes.Buffer
			run(args, &env{stdin: strings.NewReader(curl), stdout: &out, stderr: &errb, getenv: func(k string) string {
				if k == "AADSTS_PFX_PASSWORD" {
					return testPFXPassword
				}
				return ""
			}})
			all := out.String() + errb.String()
			for what, v := range map[string]string{"secret": scenarios.SecretValue, "password": testPFXPassword, "key line": keyLines[2], "assertion": f.tok["wrong-private-key"]} {
				if strings.Contains(all, v) {
					t.Errorf("%v: output holds the %s", args[:2], what)
				}
			}
			_ = block
		}
	}
}
