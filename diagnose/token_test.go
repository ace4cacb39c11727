package diagnose_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/diagnose"
)

const sharedData = "../../shared/data/"

// The real 2014 v1 tokens verify against the 2014 key set with now in 2014.
func TestTokenReal2014(t *testing.T) {
	keys := sharedData + "oidc/identitymodel-tests_JsonWebKeySet_aad-2012-2014-keys.json"
	if _, err := os.Stat(keys); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	cases := []struct {
		file, aud string
		now       time.Time
	}{
		{"tokens/aad-v1-2014_access-token_aud-graph.windows.net_tenant-72f988bf.jwt", "https://graph.windows.net", time.Date(2014, 7, 21, 19, 0, 0, 0, time.UTC)},
		{"tokens/aad-v1-2014_id-token_tenant-add29489_cyrano.jwt", "fe78e0b4-6fe7-47e6-812c-fb75cee266a4", time.Date(2014, 12, 22, 17, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			r, err := diagnose.Token(diagnose.TokenOptions{Env: diagnose.Env{Now: c.now}, Token: sharedData + c.file, JWKS: keys, Audiences: []string{c.aud}})
			if err != nil {
				t.Fatal(err)
			}
			if r.Failed() {
				t.Fatalf("failed: %+v", r.Checks)
			}
			out := render(t, r)
			tok, _ := os.ReadFile(sharedData + c.file)
			for f, o := range out {
				if strings.Contains(o, strings.TrimSpace(string(tok))) {
					t.Errorf("%s output holds the whole token", f)
				}
			}
			// Today: expired, IDX10223.
			r, err = diagnose.Token(diagnose.TokenOptions{Env: diagnose.Env{Now: c.now.AddDate(10, 0, 0)}, Token: sharedData + c.file, JWKS: keys})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Failed() || r.IDX != "IDX10223" || r.EntraCode != 0 {
				t.Errorf("ten years later: idx %q failed %v", r.IDX, r.Failed())
			}
		})
	}
}
