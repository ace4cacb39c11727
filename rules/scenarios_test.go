package rules_test

import (
	"testing"
	"time"

	"github.com/aadsts/aadsts/rules"
	"github.com/aadsts/aadsts/rules/scenarios"
)

var suiteNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestScenarios(t *testing.T) {
	s, err := scenarios.New(scenarios.DefaultBaseURL, suiteNow)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, sc := range s.Scenarios {
		if seen[sc.Name] {
			t.Fatalf("duplicate scenario name %q", sc.Name)
		}
		seen[sc.Name] = true
		t.Run(sc.Name, func(t *testing.T) {
			res := rules.CheckTokenRequest(s.Request(sc))
			if got := res.Code(); got != sc.WantCode {
				t.Errorf("%s: entra code %d, want %d", sc.Rule, got, sc.WantCode)
				for _, f := range res.Findings {
					t.Logf("  %-28s %-4s %d %s", f.ID, f.Status, f.Code, f.Detail)
				}
			}
			if v := res.Verdict; v != nil {
				if v.Message == "" || v.OAuthError == "" || v.HTTPStatus == 0 {
					t.Errorf("verdict %s lacks message, error or status: %+v", v.ID, v)
				}
				if (v.OAuthError == rules.ErrInvalidClient) != (v.HTTPStatus == 401) {
					t.Errorf("verdict %s: %s with HTTP %d", v.ID, v.OAuthError, v.HTTPStatus)
				}
			}
		})
	}
}
