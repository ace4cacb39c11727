package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules"
	"github.com/aadsts/aadsts/rules/scenarios"
)

func TestCheckOBOAssertion(t *testing.T) {
	now := suiteNow
	issuer, err := scenarios.NewRSACert("issuer", 2048, now.AddDate(0, -1, 0), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	other, err := scenarios.NewRSACert("other", 2048, now.AddDate(0, -1, 0), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	kid := cred.ThumbprintsOf(issuer.Cert).X5t
	keys := []jose.JWK{{Kid: kid, Kty: "RSA", Public: issuer.Cert.PublicKey}}
	app := &directory.Application{AppID: scenarios.APIAppID, DisplayName: "contoso-api", IdentifierURIs: []string{scenarios.APIURI}}
	user := map[string]any{"aud": scenarios.APIURI, "iss": "https://sts.windows.net/" + scenarios.TenantID + "/", "scp": "access_as_user", "oid": "0a0a0a0a-0000-4000-8000-000000000001",
		"tid": scenarios.TenantID, "nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(), "ver": "1.0"}
	mod := func(kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range user {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	sign := func(c scenarios.Cert, claims map[string]any) string {
		tok, err := jose.Sign(claims, map[string]any{"typ": "JWT", "kid": kid}, c.Key, "RS256")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	cases := []struct {
		name, tok string
		want      int
		check     string
	}{
		{"user token for the middle tier", sign(issuer, user), 0, ""},
		{"by app id", sign(issuer, mod("aud", scenarios.APIAppID)), 0, ""},
		{"malformed", "Bearer", 50027, "obo.structure"},
		{"other key", sign(other, user), 50013, "obo.signature"},
		{"expired", sign(issuer, mod("exp", now.Add(-time.Second).Unix())), 500133, "obo.time-window"},
		{"no exp", sign(issuer, mod("exp", nil)), 500133, "obo.time-window"},
		{"id token", sign(issuer, mod("scp", nil, "nonce", "n", "aud", "22222222-2222-4222-8222-222222222222")), 240002, "obo.token-type"},
		{"token for graph", sign(issuer, mod("aud", "https://graph.microsoft.com")), 500131, "obo.audience"},
		{"app-only token", sign(issuer, mod("scp", nil, "roles", []string{"Read.All"}, "idtyp", "app")), 50013, "obo.user"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rules.CheckOBOAssertion(rules.OBOInput{Now: now, Assertion: c.tok, App: app, Keys: keys})
			if r.Code() != c.want {
				t.Fatalf("code %d, want %d: %+v", r.Code(), c.want, r.Findings)
			}
			if c.want != 0 && (r.Verdict.ID != c.check || r.Verdict.OAuthError == "" || r.Verdict.HTTPStatus != 400) {
				t.Errorf("verdict %+v", r.Verdict)
			}
			// A missing exp is printed as Entra prints it: the Unix epoch.
			if c.want == 500133 && (!strings.Contains(r.Verdict.Message, "expiry time of assertion ") || strings.Contains(r.Verdict.Message, "0001-01-01")) {
				t.Errorf("message %q", r.Verdict.Message)
			}
		})
	}
}
