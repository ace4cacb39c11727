package rules_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules"
)

const sharedData = "../../shared/data/"

func readShared(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(sharedData + name)
	if err != nil {
		t.Skipf("shared sample %s not available: %v", name, err)
	}
	return b
}

func findingOf(fs []rules.Finding, id string) (rules.Finding, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f, true
		}
	}
	return rules.Finding{}, false
}

// The real 2014 v1 tokens verify against the 2014 key set with now in 2014.
func TestRealTokens2014(t *testing.T) {
	keys, err := jose.ParseJWKS(readShared(t, "oidc/identitymodel-tests_JsonWebKeySet_aad-2012-2014-keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file, aud, tenant string
		now               time.Time
	}{
		{"tokens/aad-v1-2014_access-token_aud-graph.windows.net_tenant-72f988bf.jwt", "https://graph.windows.net", "72f988bf-86f1-41af-91ab-2d7cd011db47", time.Unix(1405969000, 0)},
		{"tokens/aad-v1-2014_id-token_tenant-add29489_cyrano.jwt", "fe78e0b4-6fe7-47e6-812c-fb75cee266a4", "add29489-7269-41f4-8841-b63c95564420", time.Unix(1419269000, 0)},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			tok := strings.TrimSpace(string(readShared(t, c.file)))
			in := rules.TokenInput{Now: c.now, Token: tok, Audiences: []string{c.aud}, TenantID: c.tenant, Keys: keys}
			res := rules.CheckToken(in)
			for _, id := range []string{"token.signature", "token.issuer", "token.audience", "token.lifetime"} {
				f, ok := findingOf(res.Findings, id)
				if !ok || f.Status != rules.Pass {
					t.Errorf("%s: %+v", id, f)
				}
			}
			// The same token a year later: expired, IDX10223.
			in.Now = c.now.Add(365 * 24 * time.Hour)
			f, _ := findingOf(rules.CheckToken(in).Findings, "token.lifetime")
			if f.Status != rules.Fail || f.IDX != "IDX10223" {
				t.Errorf("a year later: %+v, want IDX10223", f)
			}
			// Against v2 metadata: IDX10205 naming the version mismatch.
			in.Now, in.Issuer = c.now, "https://login.microsoftonline.com/{tenantid}/v2.0"
			f, _ = findingOf(rules.CheckToken(in).Findings, "token.issuer")
			if f.IDX != "IDX10205" || !strings.Contains(f.Detail, "v1 token") {
				t.Errorf("v2 metadata: %+v", f)
			}
			// Wrong audience: IDX10214.
			in.Issuer, in.Audiences = "", []string{"api://other"}
			f, _ = findingOf(rules.CheckToken(in).Findings, "token.audience")
			if f.IDX != "IDX10214" {
				t.Errorf("audience: %+v", f)
			}
			// Tampered: IDX10503.
			parts := strings.Split(tok, ".")
			in.Audiences = []string{c.aud}
			in.Token = parts[0] + "." + parts[1][:len(parts[1])-4] + "AAAA." + parts[2]
			res = rules.CheckToken(in)
			if f, _ := findingOf(res.Findings, "token.signature"); f.IDX != "IDX10503" {
				if g, _ := findingOf(res.Findings, "token.structure"); g.Status != rules.Fail {
					t.Errorf("tampered: %+v", f)
				}
			}
			// Key not in the set: IDX10511.
			in.Token, in.Keys = tok, []jose.JWK{}
			if f, _ := findingOf(rules.CheckToken(in).Findings, "token.kid"); f.IDX != "IDX10511" {
				t.Errorf("empty key set: %+v", f)
			}
		})
	}
}

func TestJudgeTimes(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	skew := rules.DefaultSkew
	cases := []struct {
		name     string
		nbf, exp time.Time
		want     rules.TimeVerdict
	}{
		{"inside", now.Add(-time.Minute), now.Add(time.Minute), rules.InTime},
		{"no nbf", time.Time{}, now.Add(time.Minute), rules.InTime},
		{"no exp", now.Add(-time.Minute), time.Time{}, rules.Expired},
		{"expired within skew", now.Add(-time.Hour), now.Add(-skew), rules.InTime},
		{"expired past skew", now.Add(-time.Hour), now.Add(-skew - time.Second), rules.Expired},
		{"nbf within skew", now.Add(skew), now.Add(time.Hour), rules.InTime},
		{"nbf past skew", now.Add(skew + time.Second), now.Add(time.Hour), rules.NotYetValid},
		{"both: expiry first", now.Add(time.Hour), now.Add(-time.Hour), rules.Expired},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := rules.JudgeTimes(now, c.nbf, c.exp, skew); got != c.want {
				t.Fatalf("got %d, want %d", got, c.want)
			}
		})
	}
}
