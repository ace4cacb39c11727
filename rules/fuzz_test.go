package rules_test

import (
	"net/url"
	"testing"

	"github.com/aadsts/aadsts/rules"
	"github.com/aadsts/aadsts/rules/scenarios"
)

// FuzzCheckTokenRequest feeds arbitrary form bodies and endpoint URLs (what
// the emulator receives from any client) to the rules: they must never
// panic, and a verdict always carries a code, an OAuth error and a status.
func FuzzCheckTokenRequest(f *testing.F) {
	s, err := scenarios.New(scenarios.DefaultBaseURL, suiteNow)
	if err != nil {
		f.Fatal(err)
	}
	for i, sc := range s.Scenarios {
		if i%3 == 0 {
			f.Add(sc.URL, sc.Form.Encode())
		}
	}
	f.Fuzz(func(t *testing.T, endpoint, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		res := rules.CheckTokenRequest(rules.TokenRequest{Now: suiteNow, Directory: s.Directory, TokenEndpoint: endpoint, Form: form, IssuerKeys: s.IssuerKeys})
		if v := res.Verdict; v != nil && (v.Code == 0 || v.OAuthError == "" || v.HTTPStatus == 0 || v.Message == "") {
			t.Fatalf("incomplete verdict %+v", v)
		}
	})
}
