package diagnose_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/diagnose"
	"github.com/aadsts/aadsts/rules/scenarios"
)

// With an export (hints only, no secret values), secrets are matched by
// hint and their window checked.
func TestSecret(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	cases := []struct {
		name, secret string
		wantCode     int
		wantCheck    string
		failed       bool
	}{
		{"current secret", scenarios.SecretValue, 0, "secret.match", false},
		{"expired secret", scenarios.SecretExpiredValue, 7000222, "secret.expired", true},
		{"secret id", scenarios.SecretKeyID, 7000215, "secret.value", true},
		{"unknown hint", "Zzz9Q~not.one.of.the.registered.secrets.0", 7000215, "secret.match", true},
		{"trailing newline", scenarios.SecretValue + "\n", 0, "secret.shape", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs["s"] = []byte(c.secret)
			r, err := diagnose.Secret(diagnose.SecretOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, SecretFile: "s", App: "app.json"})
			if err != nil {
				t.Fatal(err)
			}
			if r.EntraCode != c.wantCode || r.Failed() != c.failed {
				t.Errorf("entra_code %d failed %v, want %d %v", r.EntraCode, r.Failed(), c.wantCode, c.failed)
			}
			found := false
			for _, ch := range r.Checks {
				found = found || ch.ID == c.wantCheck
			}
			if !found {
				t.Errorf("no check %s in %+v", c.wantCheck, r.Checks)
			}
			for f, out := range render(t, r) {
				if strings.Contains(out, strings.TrimSpace(c.secret)) && c.name != "secret id" {
					t.Errorf("%s output holds the secret", f)
				}
			}
		})
	}
}

func TestSecretFromEnv(t *testing.T) {
	s := testSuite(t)
	fs := files(t, s)
	env := map[string]string{"MY_SECRET": scenarios.SecretValue}
	r, err := diagnose.Secret(diagnose.SecretOptions{Env: diagnose.Env{Now: s.Now, ReadFile: fs.read}, SecretEnv: "MY_SECRET", Getenv: func(k string) string { return env[k] }, App: "app.json"})
	if err != nil || r.Failed() {
		t.Fatalf("err %v, report %+v", err, r)
	}
	if _, err := diagnose.Secret(diagnose.SecretOptions{SecretEnv: "NOT_SET", Getenv: func(string) string { return "" }}); err == nil {
		t.Fatal("an empty variable is not a usage error")
	}
}

// A real `az ad app list` recording with two secrets (hints jis and yXo,
// ending 2023-05-07 and 2024-05-07): secrets are matched by hint and
// judged by each one's window.
func TestSecretRealGraphList(t *testing.T) {
	name := sharedData + "apps/azure-cli_msgraph-v1.0_applications-list_2-passwordCredentials.response.json"
	if _, err := os.Stat(name); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	cases := []struct {
		name, secret string
		now          time.Time
		code         int
		keyID        string
	}{
		{"key1 in 2023", "yXo8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", at("2023-06-01T00:00:00Z"), 0, "73c912d2-fd2d-42a0-b3ae-2e45d006b8bc"},
		{"key2 after its end", "jis8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", at("2023-06-01T00:00:00Z"), 7000222, "58ed553a-d3af-4520-8d81-4775274faac5"},
		{"key1 in 2025", "yXo8Q~aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", at("2025-01-01T00:00:00Z"), 7000222, "73c912d2-fd2d-42a0-b3ae-2e45d006b8bc"},
		{"the secret id of key2", "58ed553a-d3af-4520-8d81-4775274faac5", at("2023-01-01T00:00:00Z"), 7000215, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"S": c.secret}
			r, err := diagnose.Secret(diagnose.SecretOptions{Env: diagnose.Env{Now: c.now}, SecretEnv: "S", Getenv: func(k string) string { return env[k] }, App: name})
			if err != nil {
				t.Fatal(err)
			}
			if r.EntraCode != c.code {
				t.Fatalf("entra_code %d, want %d: %+v", r.EntraCode, c.code, r.Checks)
			}
			if c.keyID != "" && (r.Credential == nil || r.Credential.KeyID != c.keyID) {
				t.Errorf("credential %+v, want %s", r.Credential, c.keyID)
			}
		})
	}
}
