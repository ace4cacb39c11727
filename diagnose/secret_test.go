package diagnose_test

import (
	"strings"
	"testing"

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
