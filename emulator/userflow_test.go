package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"

	"github.com/aadsts/aadsts/emulator"
	"github.com/aadsts/aadsts/emulator/fixture"
	"github.com/aadsts/aadsts/jose"
)

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more"

func challenge(v string) string {
	s := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(s[:])
}

// authorize runs the authorize endpoint without following the redirect.
func authorize(t *testing.T, s *emulator.TestServer, scope, redirect string) (int, url.Values, string) {
	t.Helper()
	return authorizeFor(t, s, fixture.WebAppID, scope, redirect)
}

func authorizeFor(t *testing.T, s *emulator.TestServer, clientID, scope, redirect string) (int, url.Values, string) {
	t.Helper()
	q := url.Values{"client_id": {clientID}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {scope}, "state": {"st4te"}, "code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}
	client := *s.Client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Get(s.Authority(fixture.TenantID) + "/oauth2/v2.0/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusFound {
		return resp.StatusCode, nil, body
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, u.Query(), body
}

func TestAuthorizationCodeRefreshAndOBO(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{AutoUser: fixture.UserUPN})
	apiScope := fixture.APIURI + "/" + fixture.APIScope
	tokenPath := "/" + fixture.TenantID + "/oauth2/v2.0/token"

	code, q, _ := authorize(t, s, apiScope+" openid offline_access", fixture.RedirectURI)
	if code != http.StatusFound || q.Get("code") == "" || q.Get("state") != "st4te" {
		t.Fatalf("authorize: %d %v", code, q)
	}
	// MSAL Go redeems the code with the PKCE verifier.
	cred, _ := confidential.NewCredFromSecret(f.WebSecret)
	app := msalClient(t, s, fixture.TenantID, fixture.WebAppID, cred)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := app.AcquireTokenByAuthCode(ctx, q.Get("code"), fixture.RedirectURI, []string{apiScope}, confidential.WithChallenge(verifier))
	if err != nil {
		t.Fatalf("AcquireTokenByAuthCode: %v", err)
	}
	at, _ := jose.Decode(res.AccessToken)
	if at.StringClaim("scp") != fixture.APIScope || at.StringClaim("oid") != fixture.UserID || at.StringClaim("aud") != fixture.APIAppID ||
		at.StringClaim("preferred_username") != fixture.UserUPN {
		t.Fatalf("user access token claims: %s", at.ClaimsJSON)
	}
	if res.IDToken.Oid != fixture.UserID || res.Account.PreferredUsername != fixture.UserUPN {
		t.Fatalf("id token: %+v", res.IDToken)
	}
	// A second redemption of the same code.
	_, body := post(t, s, tokenPath, url.Values{"grant_type": {"authorization_code"}, "client_id": {fixture.WebAppID},
		"client_secret": {f.WebSecret}, "code": {q.Get("code")}, "redirect_uri": {fixture.RedirectURI}, "code_verifier": {verifier}})
	if !strings.HasPrefix(body["error_description"].(string), "AADSTS54005:") {
		t.Fatalf("second redemption: %v", body["error_description"])
	}
	// A wrong verifier, then the right one, then refresh.
	_, q, _ = authorize(t, s, apiScope+" offline_access", fixture.RedirectURI)
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {fixture.WebAppID}, "client_secret": {f.WebSecret},
		"code": {q.Get("code")}, "redirect_uri": {fixture.RedirectURI}, "code_verifier": {"wrong-verifier-wrong-verifier-wrong-verifier"}}
	if _, body := post(t, s, tokenPath, form); !strings.HasPrefix(body["error_description"].(string), "AADSTS501481:") {
		t.Fatalf("wrong verifier: %v", body["error_description"])
	}
	_, q, _ = authorize(t, s, apiScope+" offline_access", fixture.RedirectURI)
	form.Set("code", q.Get("code"))
	form.Set("code_verifier", verifier)
	resp, body := post(t, s, tokenPath, form)
	rt, _ := body["refresh_token"].(string)
	if resp.StatusCode != 200 || rt == "" || body["scope"] != apiScope+" offline_access" {
		t.Fatalf("redeem: %d %v", resp.StatusCode, body["_raw"])
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {fixture.WebAppID}, "client_secret": {f.WebSecret},
		"refresh_token": {rt}, "scope": {apiScope + " offline_access"}}
	if resp, body := post(t, s, tokenPath, refresh); resp.StatusCode != 200 || body["access_token"] == nil {
		t.Fatalf("refresh: %d %v", resp.StatusCode, body["_raw"])
	}
	userToken := body["access_token"].(string)

	// On-behalf-of: the API exchanges the user's token for Graph.
	obo := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "client_id": {fixture.APIAppID},
		"client_secret": {f.APISecret}, "assertion": {userToken}, "requested_token_use": {"on_behalf_of"},
		"scope": {"https://graph.microsoft.com/User.Read"}}
	resp, body = post(t, s, tokenPath, obo)
	if resp.StatusCode != 200 {
		t.Fatalf("OBO: %d %v", resp.StatusCode, body["_raw"])
	}
	gt, _ := jose.Decode(body["access_token"].(string))
	if gt.StringClaim("aud") != "https://graph.microsoft.com" || gt.StringClaim("scp") != "User.Read" || gt.StringClaim("oid") != fixture.UserID {
		t.Fatalf("OBO token: %s", gt.ClaimsJSON)
	}
	// The Graph token is not for the API: 500131.
	obo.Set("assertion", body["access_token"].(string))
	if _, body := post(t, s, tokenPath, obo); !strings.HasPrefix(body["error_description"].(string), "AADSTS500131:") {
		t.Fatalf("OBO with a foreign token: %v", body["error_description"])
	}
	// A refresh token issued before the user's sessions were revoked is
	// refused (50173); one issued afterwards works.
	s.Clock().SetOffset(time.Minute)
	s.RevokeSignInSessions(fixture.UserID)
	if _, body := post(t, s, tokenPath, refresh); !strings.HasPrefix(body["error_description"].(string), "AADSTS50173:") {
		t.Fatalf("revoked refresh: %v", body["error_description"])
	}
	// Refresh tokens die after 90 days of inactivity.
	s.Clock().SetOffset(91 * 24 * time.Hour)
	if _, body := post(t, s, tokenPath, refresh); !strings.HasPrefix(body["error_description"].(string), "AADSTS700082:") {
		t.Fatalf("stale refresh: %v", body["error_description"])
	}
}

func TestAuthorizeFailures(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{AutoUser: fixture.UserUPN})
	code, _, body := authorize(t, s, fixture.APIURI+"/"+fixture.APIScope, "https://evil.example/cb")
	if code != 400 || !strings.Contains(body, "AADSTS50011:") {
		t.Fatalf("redirect mismatch: %d %s", code, body)
	}
	code, q, _ := authorize(t, s, "https://graph.microsoft.com/Application.Read.All", fixture.RedirectURI)
	if code != http.StatusFound || q.Get("error") != "consent_required" || !strings.HasPrefix(q.Get("error_description"), "AADSTS65001:") {
		t.Fatalf("no consent: %d %v", code, q)
	}
}

func TestSignInPage(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{})
	code, _, page := authorize(t, s, fixture.APIURI+"/"+fixture.APIScope, fixture.RedirectURI)
	if code != 200 || !strings.Contains(page, `name="passwd"`) {
		t.Fatalf("sign-in page: %d", code)
	}
	client := *s.Client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	q := url.Values{"client_id": {fixture.WebAppID}, "response_type": {"code"}, "redirect_uri": {fixture.RedirectURI},
		"scope": {fixture.APIURI + "/" + fixture.APIScope}, "login": {fixture.UserUPN}}
	q.Set("passwd", "wrong")
	resp, err := client.PostForm(s.Authority(fixture.TenantID)+"/oauth2/v2.0/authorize", q)
	if err != nil {
		t.Fatal(err)
	}
	if body := readAll(t, resp); resp.StatusCode != 200 || !strings.Contains(body, "AADSTS50126") {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	resp.Body.Close()
	q.Set("passwd", fixture.UserPassword)
	resp, err = client.PostForm(s.Authority(fixture.TenantID)+"/oauth2/v2.0/authorize", q)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.Contains(loc, "code=") {
		t.Fatalf("sign-in: %d %q", resp.StatusCode, loc)
	}
}

func TestSinglePageAppCrossOriginRedemption(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	s := emulator.NewTestServer(t, f.Dir, emulator.Options{AutoUser: fixture.UserUPN})
	tokenPath := "/" + fixture.TenantID + "/oauth2/v2.0/token"
	req, _ := http.NewRequest(http.MethodOptions, s.URL+tokenPath, nil)
	req.Header.Set("Origin", "https://spa.contoso.example")
	req.Header.Set("Access-Control-Request-Headers", "client-request-id,x-client-sku")
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") == "" ||
		resp.Header.Get("Access-Control-Allow-Headers") != "client-request-id,x-client-sku" {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	scope := fixture.APIURI + "/" + fixture.APIScope
	_, q, _ := authorizeFor(t, s, fixture.CLIAppID, scope, fixture.SPARedirectURI)
	resp, body := post(t, s, tokenPath, url.Values{"grant_type": {"authorization_code"}, "client_id": {fixture.CLIAppID},
		"code": {q.Get("code")}, "redirect_uri": {fixture.SPARedirectURI}, "code_verifier": {verifier}, "scope": {scope}},
		"Origin", "https://spa.contoso.example")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("SPA redemption: %d %v", resp.StatusCode, body["_raw"])
	}
	_, q, _ = authorize(t, s, scope, fixture.RedirectURI)
	_, body = post(t, s, tokenPath, url.Values{"grant_type": {"authorization_code"}, "client_id": {fixture.WebAppID},
		"client_secret": {f.WebSecret}, "code": {q.Get("code")}, "redirect_uri": {fixture.RedirectURI}, "code_verifier": {verifier}},
		"Origin", "https://web.contoso.example")
	if !strings.HasPrefix(body["error_description"].(string), "AADSTS9002326:") {
		t.Fatalf("web redirect redeemed cross-origin: %v", body["error_description"])
	}
}
