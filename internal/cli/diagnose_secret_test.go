package cli

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/aadsts/aadsts/rules/scenarios"
)

func TestDiagnoseSecretCLI(t *testing.T) {
	f := newDiagFixture(t)
	cases := []struct {
		name, secret string
		exit, code   int
	}{
		{"current", scenarios.SecretValue, ExitOK, 0},
		{"expired", scenarios.SecretExpiredValue, ExitFound, 7000222},
		{"secret id", scenarios.SecretKeyID, ExitFound, 7000215},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(f.path("s.txt"), []byte(c.secret), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, "", "diagnose", "secret", "--secret-file", f.path("s.txt"), "--app", f.path("app.json"), "--now", diagNow, "-o", "json")
			if code != c.exit {
				t.Fatalf("exit %d, want %d: %s %s", code, c.exit, errOut, out)
			}
			var r struct {
				EntraCode int `json:"entra_code"`
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil || r.EntraCode != c.code {
				t.Fatalf("entra_code %d (err %v), want %d", r.EntraCode, err, c.code)
			}
		})
	}
}
