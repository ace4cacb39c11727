package rules_test

import (
	"fmt"
	"net/url"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/rules"
)

// A client_credentials request whose scope lacks /.default: Entra answers
// AADSTS1002012 with invalid_scope.
func ExampleCheckTokenRequest() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	dir := &directory.Directory{Tenants: []directory.Tenant{{
		ID: "aaaaaaaa-0000-4000-8000-00000000000a", Domains: []string{"contoso.onmicrosoft.com"},
		Applications: []directory.Application{{AppID: "11111111-1111-4111-8111-111111111111", PasswordCredentials: []directory.PasswordCredential{{
			KeyID: "c0c0c0c0-0000-4000-8000-000000000001", Hint: "abc", SecretText: "abc1Q~example", Start: now.AddDate(0, -1, 0), End: now.AddDate(1, 0, 0),
		}}}},
	}}}
	res := rules.CheckTokenRequest(rules.TokenRequest{
		Now: now, Directory: dir,
		TokenEndpoint: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
		Form: url.Values{
			"grant_type": {"client_credentials"}, "client_id": {"11111111-1111-4111-8111-111111111111"},
			"client_secret": {"abc1Q~example"}, "scope": {"https://graph.microsoft.com/User.Read.All"},
		},
	})
	v := res.Verdict
	fmt.Println(v.ID, v.Code, v.OAuthError, v.HTTPStatus)
	fmt.Println(v.Description())
	fmt.Println(res.Credential.KeyID)
	// Output:
	// request.scope 1002012 invalid_scope 400
	// AADSTS1002012: The provided value for scope https://graph.microsoft.com/User.Read.All is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).
	// c0c0c0c0-0000-4000-8000-000000000001
}
