package rules_test

import (
	"fmt"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/rules"
)

// A public client redeems its authorization code without the PKCE
// code_verifier its authorization request committed to: Entra answers
// AADSTS501481.
func ExampleCheckCodeRedemption() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	app := &directory.Application{AppID: "22222222-2222-4222-8222-222222222222",
		PublicClient: directory.RedirectURIs{RedirectURIs: []string{"http://localhost"}}}
	code := &rules.CodeGrant{TenantID: "aaaaaaaa-0000-4000-8000-00000000000a", ClientAppID: app.AppID,
		RedirectURI: "http://localhost:8400", Challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", ChallengeMethod: "S256",
		Issued: now.Add(-30 * time.Second)}
	r := rules.CheckCodeRedemption(rules.CodeRedemption{Now: now, Grant: code, TenantID: code.TenantID, App: app,
		RedirectURI: "http://localhost:8400"})
	v := r.Verdict
	fmt.Println(v.ID, v.OAuthError, v.HTTPStatus)
	fmt.Println(v.Description())
	// Output:
	// code.pkce invalid_grant 400
	// AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.
}

// A refresh token last used 91 days ago has expired from inactivity.
func ExampleCheckRefreshRedemption() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	app := &directory.Application{AppID: "11111111-1111-4111-8111-111111111111"}
	issued := now.AddDate(0, 0, -91)
	r := rules.CheckRefreshRedemption(rules.RefreshRedemption{Now: now, App: app,
		Grant: &rules.RefreshGrant{ClientAppID: app.AppID, Issued: issued, LastUsed: issued}})
	fmt.Println(r.Verdict.Description())
	// Output:
	// AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2025-11-30T12:00:00.0000000Z and was inactive for 91.00:00:00.
}
