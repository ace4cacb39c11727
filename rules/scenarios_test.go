package rules_test

import (
	"testing"
	"time"

	"github.com/aadsts/aadsts/directory"
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

// The aud tenant against partial knowledge of the tenant (an export or a
// --tenant flag gives one form): a GUID and a domain can only be compared
// when the tenant's id and domains are both known.
func TestAudienceTenantForms(t *testing.T) {
	s, err := scenarios.New(scenarios.DefaultBaseURL, suiteNow)
	if err != nil {
		t.Fatal(err)
	}
	var guidAud, domainAud string
	for _, sc := range s.Scenarios {
		switch sc.Name {
		case "cert-rs256-x5t":
			guidAud = sc.Form.Get("client_assertion")
		case "cert-aud-verified-domain":
			domainAud = sc.Form.Get("client_assertion")
		}
	}
	full := &s.Directory.Tenants[0]
	idOnly := &directory.Tenant{ID: scenarios.TenantID}
	domainOnly := &directory.Tenant{Domains: []string{scenarios.TenantDomain}}
	other := &directory.Tenant{ID: scenarios.OtherTenant}
	guidURL, domainURL := s.TokenURL(scenarios.TenantID), s.TokenURL(scenarios.TenantDomain)
	cases := []struct {
		name     string
		tok, url string
		tenant   *directory.Tenant
		want     rules.Status
	}{
		{"guid aud, guid url", guidAud, guidURL, nil, rules.Pass},
		{"domain aud, guid url, full tenant", domainAud, guidURL, full, rules.Pass},
		{"guid aud, domain url, full tenant", guidAud, domainURL, full, rules.Pass},
		{"domain aud, guid url, id only", domainAud, guidURL, idOnly, rules.Warn},
		{"guid aud, domain url, domain only", guidAud, domainURL, domainOnly, rules.Warn},
		{"no url, domain aud, id only", domainAud, "", idOnly, rules.Warn},
		{"no url, guid aud, other tenant", guidAud, "", other, rules.Fail},
		{"no url, guid aud, domain only", guidAud, "", domainOnly, rules.Warn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rules.CheckClientAssertion(rules.AssertionInput{Now: suiteNow, Assertion: c.tok, TokenEndpoint: c.url, Tenant: c.tenant})
			f, ok := findingOf(r.Findings, "assertion.aud")
			if !ok || f.Status != c.want {
				t.Errorf("assertion.aud %+v, want %s", f, c.want)
			}
		})
	}
}
