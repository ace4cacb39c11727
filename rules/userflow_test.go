package rules_test

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/rules"
	"github.com/aadsts/aadsts/rules/scenarios"
)

const (
	webRedirect = "https://app.contoso.example/signin-oidc"
	spaRedirect = "https://spa.contoso.example/"
	userID      = "0a0a0a0a-0000-4000-8000-000000000001"
	userUPN     = "alex@" + scenarios.TenantDomain
	verifier    = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)

// userflowApp is a web app with SPA and native (loopback) redirect URIs.
func userflowApp() *directory.Application {
	return &directory.Application{AppID: scenarios.AppID, DisplayName: "contoso-web",
		Web:          directory.WebApplication{RedirectURIs: []string{webRedirect}},
		SPA:          directory.RedirectURIs{RedirectURIs: []string{spaRedirect}},
		PublicClient: directory.RedirectURIs{RedirectURIs: []string{"http://localhost/callback"}}}
}

// checkVerdict fails t unless r's verdict is want (0: accepted) from check
// id, with an OAuth error, a status and a message.
func checkVerdict(t *testing.T, r rules.Result, want int, id string) {
	t.Helper()
	if r.Code() != want {
		t.Fatalf("code %d, want %d: %+v", r.Code(), want, r.Findings)
	}
	if want == 0 {
		return
	}
	v := r.Verdict
	if v.ID != id || v.OAuthError == "" || v.HTTPStatus != 400 || v.Message == "" || v.Fix == "" {
		t.Errorf("verdict %+v", v)
	}
}

func TestCheckRedirectURI(t *testing.T) {
	app := userflowApp()
	cases := []struct {
		name, uri string
		ok        bool
	}{
		{"web", webRedirect, true},
		{"spa", spaRedirect, true},
		{"loopback any port", "http://localhost:53127/callback", true},
		{"loopback trailing slash", "http://localhost:8400/callback/", true},
		{"loopback other path", "http://localhost:8400/other", false},
		{"loopback other host", "http://127.0.0.1:8400/callback", false},
		{"https loopback is exact", "https://localhost:8400/callback", false},
		{"trailing slash on web", webRedirect + "/", false},
		{"case differs", strings.ToUpper(webRedirect), false},
		{"empty", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := rules.CheckRedirectURI(app, c.uri)
			if f.Failed() == c.ok {
				t.Fatalf("%+v", f)
			}
			if !c.ok && (f.Code != 50011 || !strings.Contains(f.Message, "'"+c.uri+"'") || !strings.Contains(f.Message, scenarios.AppID)) {
				t.Errorf("%+v", f)
			}
		})
	}
}

func TestCheckResponseType(t *testing.T) {
	if f := rules.CheckResponseType("code"); f.Failed() {
		t.Fatalf("%+v", f)
	}
	f := rules.CheckResponseType("id_token token")
	if f.Code != 700054 || f.OAuthError != rules.ErrUnsupportedResponseType || f.Description() != "AADSTS700054: response_type 'id_token token' is not enabled for the application." {
		t.Fatalf("%+v", f)
	}
}

func TestCheckConsent(t *testing.T) {
	client := userflowApp()
	clientSP := &directory.ServicePrincipal{ID: "c1c1c1c1-0000-4000-8000-000000000001", AppID: client.AppID}
	apiSP := &directory.ServicePrincipal{ID: "a1a1a1a1-0000-4000-8000-000000000001", AppID: scenarios.APIAppID,
		OAuth2PermissionScopes: []directory.PermissionScope{{ID: "5c0e0000-0000-4000-8000-000000000001", Value: "access_as_user"}, {ID: "5c0e0000-0000-4000-8000-000000000002", Value: "Admin.Write"}}}
	apiApp := &directory.Application{AppID: scenarios.APIAppID, IdentifierURIs: []string{scenarios.APIURI}}
	preAuth := &directory.Application{AppID: scenarios.APIAppID, API: directory.APIApplication{PreAuthorizedApplications: []directory.PreAuthorizedApplication{
		{AppID: client.AppID, DelegatedPermissionIDs: []string{"5c0e0000-0000-4000-8000-000000000002"}}}}}
	grant := func(consentType, principal, scope string) *directory.Tenant {
		return &directory.Tenant{ID: scenarios.TenantID, OAuth2PermissionGrants: []directory.OAuth2PermissionGrant{
			{ClientID: clientSP.ID, ResourceID: apiSP.ID, ConsentType: consentType, PrincipalID: principal, Scope: scope}}}
	}
	none := &directory.Tenant{ID: scenarios.TenantID}
	cases := []struct {
		name     string
		tenant   *directory.Tenant
		resApp   *directory.Application
		clientSP *directory.ServicePrincipal
		values   []string
		want     int
		granted  string
	}{
		{"admin consent", grant("AllPrincipals", "", "access_as_user"), apiApp, clientSP, []string{"access_as_user"}, 0, "access_as_user"},
		{"user's own consent", grant("Principal", userID, "access_as_user"), apiApp, clientSP, []string{"access_as_user"}, 0, "access_as_user"},
		{"another user's consent", grant("Principal", "0b0b0b0b-0000-4000-8000-000000000002", "access_as_user"), apiApp, clientSP, []string{"access_as_user"}, 65001, ""},
		{".default is every granted scope", grant("AllPrincipals", "", "access_as_user Admin.Write"), apiApp, clientSP, []string{".default"}, 0, "Admin.Write access_as_user"},
		{"one scope missing", grant("AllPrincipals", "", "access_as_user"), apiApp, clientSP, []string{"access_as_user", "Admin.Write"}, 65001, ""},
		{"pre-authorized", none, preAuth, clientSP, []string{"Admin.Write"}, 0, "Admin.Write"},
		{"no grant", none, apiApp, clientSP, []string{"access_as_user"}, 65001, ""},
		{"client has no service principal", grant("AllPrincipals", "", "access_as_user"), apiApp, nil, []string{"access_as_user"}, 65001, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rules.CheckConsent(rules.ConsentInput{Tenant: c.tenant, Client: client, ClientSP: c.clientSP, ResourceSP: apiSP,
				ResourceApp: c.resApp, UserID: userID, Values: c.values})
			checkVerdict(t, r.Result, c.want, "userflow.consent")
			if got := strings.Join(r.Granted, " "); got != c.granted {
				t.Errorf("granted %q, want %q", got, c.granted)
			}
			if c.want != 0 {
				want := "The user or administrator has not consented to use the application with ID '" + client.AppID + "' named 'contoso-web'."
				if !strings.HasPrefix(r.Verdict.Message, want) || r.Verdict.Suberror() != "consent_required" || r.Verdict.OAuthError != rules.ErrInvalidGrant {
					t.Errorf("%+v", r.Verdict)
				}
			}
		})
	}
	if r := rules.CheckConsent(rules.ConsentInput{Tenant: none, Client: client, Values: []string{"access_as_user"}}); r.Code() != 65001 {
		t.Errorf("unknown resource: %+v", r.Findings)
	}
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func TestPKCEVerifies(t *testing.T) {
	cases := []struct {
		name, challenge, method, verifier string
		ok                                bool
	}{
		{"RFC 7636 appendix B", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", verifier, true},
		{"no PKCE", "", "", "", true},
		{"no PKCE, verifier sent", "", "", verifier, true},
		{"verifier missing", s256(verifier), "S256", "", false},
		{"other verifier", s256(verifier), "S256", verifier + "x", false},
		{"plain", verifier, "plain", verifier, true},
		{"method defaults to S256", s256(verifier), "", verifier, true},
		{"plain challenge checked as S256", verifier, "S256", verifier, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := rules.PKCEVerifies(c.challenge, c.method, c.verifier); got != c.ok {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestCheckCodeRedemption(t *testing.T) {
	now := suiteNow
	app := userflowApp()
	code := func(mod func(*rules.CodeGrant)) *rules.CodeGrant {
		g := &rules.CodeGrant{TenantID: scenarios.TenantID, ClientAppID: app.AppID, RedirectURI: webRedirect,
			Challenge: s256(verifier), ChallengeMethod: "S256", Issued: now.Add(-time.Minute)}
		if mod != nil {
			mod(g)
		}
		return g
	}
	req := func(g *rules.CodeGrant, mod func(*rules.CodeRedemption)) rules.CodeRedemption {
		in := rules.CodeRedemption{Now: now, Grant: g, TenantID: scenarios.TenantID, App: app, RedirectURI: webRedirect, CodeVerifier: verifier}
		if mod != nil {
			mod(&in)
		}
		return in
	}
	spa := code(func(g *rules.CodeGrant) { g.RedirectURI = spaRedirect })
	cases := []struct {
		name string
		in   rules.CodeRedemption
		want int
		id   string
	}{
		{"redeemed once, in time", req(code(nil), nil), 0, ""},
		{"unknown code", req(nil, nil), 70000, "code.known"},
		{"another client's code", req(code(func(g *rules.CodeGrant) { g.ClientAppID = scenarios.APIAppID }), nil), 70000, "code.known"},
		{"another tenant's code", req(code(nil), func(in *rules.CodeRedemption) { in.TenantID = scenarios.OtherTenant }), 70000, "code.known"},
		{"already redeemed", req(code(func(g *rules.CodeGrant) { g.Redeemed = true }), nil), 54005, "code.redeemed"},
		{"expired", req(code(func(g *rules.CodeGrant) { g.Issued = now.Add(-rules.CodeLifetime - time.Second) }), nil), 70000, "code.expired"},
		{"at the end of its lifetime", req(code(func(g *rules.CodeGrant) { g.Issued = now.Add(-rules.CodeLifetime) }), nil), 0, ""},
		{"redirect URI differs", req(code(nil), func(in *rules.CodeRedemption) { in.RedirectURI = spaRedirect }), 50011, "code.redirect-uri"},
		{"verifier missing", req(code(nil), func(in *rules.CodeRedemption) { in.CodeVerifier = "" }), 501481, "code.pkce"},
		{"verifier of another sign-in", req(code(nil), func(in *rules.CodeRedemption) { in.CodeVerifier = strings.Repeat("a", 43) }), 501481, "code.pkce"},
		{"browser redeems a web code", req(code(nil), func(in *rules.CodeRedemption) { in.Origin = "https://app.contoso.example" }), 9002326, "code.cross-origin"},
		{"browser redeems a SPA code", req(spa, func(in *rules.CodeRedemption) { in.RedirectURI, in.Origin = spaRedirect, "https://spa.contoso.example" }), 0, ""},
		// Two faults: the earlier check wins.
		{"redeemed and expired", req(code(func(g *rules.CodeGrant) { g.Redeemed, g.Issued = true, now.Add(-time.Hour) }), nil), 54005, "code.redeemed"},
		{"wrong redirect and verifier", req(code(nil), func(in *rules.CodeRedemption) { in.RedirectURI, in.CodeVerifier = spaRedirect, "" }), 50011, "code.redirect-uri"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkVerdict(t, rules.CheckCodeRedemption(c.in), c.want, c.id)
		})
	}
	if r := rules.CheckCodeRedemption(rules.CodeRedemption{}); r.Code() != 70000 {
		t.Errorf("no app, no grant: %+v", r.Findings)
	}
}

func TestCheckRefreshRedemption(t *testing.T) {
	now := suiteNow
	app := userflowApp()
	issued := time.Date(2025, 11, 20, 9, 30, 15, 0, time.UTC)
	rt := func(lastUsed time.Time) *rules.RefreshGrant {
		return &rules.RefreshGrant{ClientAppID: app.AppID, Issued: issued, LastUsed: lastUsed}
	}
	cases := []struct {
		name      string
		grant     *rules.RefreshGrant
		validFrom time.Time
		want      int
		id        string
		msg       string
	}{
		{"used yesterday", rt(now.AddDate(0, 0, -1)), time.Time{}, 0, "", ""},
		{"unknown", nil, time.Time{}, 9002313, "refresh.known", ""},
		{"another client's", &rules.RefreshGrant{ClientAppID: scenarios.APIAppID, LastUsed: now}, time.Time{}, 9002313, "refresh.known", ""},
		{"inactive past 90 days", rt(issued), time.Time{}, 700082, "refresh.inactive",
			"The refresh token has expired due to inactivity. The token was issued on 2025-11-20T09:30:15.0000000Z and was inactive for 101.02:29:45."},
		{"revoked after issue", rt(now.Add(-time.Hour)), issued.Add(time.Hour), 50173, "refresh.revoked",
			"The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '2025-11-20T09:30:15.0000000Z' and the TokensValidFrom date (before which tokens are not valid) for this user is '2025-11-20T10:30:15.0000000Z'."},
		{"revoked before issue", rt(now.Add(-time.Hour)), issued.Add(-time.Hour), 0, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rules.CheckRefreshRedemption(rules.RefreshRedemption{Now: now, Grant: c.grant, App: app, TokensValidFrom: c.validFrom})
			checkVerdict(t, r, c.want, c.id)
			if c.msg != "" && r.Verdict.Message != c.msg {
				t.Errorf("message\n got %s\nwant %s", r.Verdict.Message, c.msg)
			}
		})
	}
}

func TestCheckDeviceCodePoll(t *testing.T) {
	now := suiteNow
	app := userflowApp()
	pending := &rules.DeviceCodeGrant{ClientAppID: app.AppID, Expires: now.Add(time.Minute)}
	approved := &rules.DeviceCodeGrant{ClientAppID: app.AppID, Expires: now.Add(time.Minute), Approved: true}
	expired := &rules.DeviceCodeGrant{ClientAppID: app.AppID, Expires: now, Approved: true}
	cases := []struct {
		name  string
		grant *rules.DeviceCodeGrant
		want  int
		oauth string
	}{
		{"approved", approved, 0, ""},
		{"pending", pending, 70016, "authorization_pending"},
		{"expired", expired, 70019, "expired_token"},
		{"unknown", nil, 70018, "bad_verification_code"},
		{"another client's", &rules.DeviceCodeGrant{ClientAppID: scenarios.APIAppID, Expires: now.Add(time.Minute)}, 70018, "bad_verification_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rules.CheckDeviceCodePoll(rules.DeviceCodePoll{Now: now, Grant: c.grant, App: app})
			if r.Code() != c.want || c.want != 0 && (r.Verdict.OAuthError != c.oauth || r.Verdict.HTTPStatus != 400) {
				t.Fatalf("%+v", r.Findings)
			}
		})
	}
	for name, g := range map[string]*rules.DeviceCodeGrant{"none": nil, "expired": expired} {
		if f := rules.CheckDeviceUserCode(now, g); f.Code != 70018 {
			t.Errorf("user code, %s: %+v", name, f)
		}
	}
	if f := rules.CheckDeviceUserCode(now, pending); f.Failed() {
		t.Errorf("user code: %+v", f)
	}
}

func TestCheckPassword(t *testing.T) {
	const password = "Correct-Horse-Battery-9"
	tenant := &directory.Tenant{ID: scenarios.TenantID, Users: []directory.User{
		{ID: userID, UserPrincipalName: userUPN, PasswordProfile: &directory.PasswordProfile{Password: password}},
		{ID: "0b0b0b0b-0000-4000-8000-000000000002", UserPrincipalName: "nopass@" + scenarios.TenantDomain},
		{ID: "0c0c0c0c-0000-4000-8000-000000000003", UserPrincipalName: "gone@" + scenarios.TenantDomain, AccountEnabled: new(false),
			PasswordProfile: &directory.PasswordProfile{Password: password}},
	}}
	cases := []struct {
		name, user, pass string
		want             int
	}{
		{"right password", userUPN, password, 0},
		{"upn case differs", strings.ToUpper(userUPN), password, 0},
		{"wrong password", userUPN, "wrong", 50126},
		{"password case differs", userUPN, strings.ToLower(password), 50126},
		{"user without password", "nopass@" + scenarios.TenantDomain, "", 50126},
		{"unknown user", "nobody@" + scenarios.TenantDomain, password, 50034},
		{"disabled, right password", "gone@" + scenarios.TenantDomain, password, 50057},
		{"disabled, wrong password", "gone@" + scenarios.TenantDomain, "wrong", 50126},
		{"empty", "", "", 50034},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rules.CheckPassword(rules.PasswordSignIn{Tenant: tenant, Username: c.user, Password: c.pass})
			if r.Code() != c.want || (r.User != nil) != (c.want == 0) {
				t.Fatalf("%+v user %v", r.Findings, r.User)
			}
			for _, f := range r.Findings {
				if strings.Contains(f.Message+f.Detail, password) {
					t.Errorf("the password appears in %s", f.ID)
				}
			}
		})
	}
	r := rules.CheckPassword(rules.PasswordSignIn{Tenant: tenant, Username: "nobody@" + scenarios.TenantDomain})
	if want := "AADSTS50034: The user account does not exist in the " + scenarios.TenantDomain + " directory. To sign into this application, the account must be added to the directory."; r.Verdict.Description() != want {
		t.Errorf("%s", r.Verdict.Description())
	}
}

func TestParseDelegatedScope(t *testing.T) {
	cases := []struct {
		name, scope, resource, values, response string
		openid, offline                         bool
	}{
		{"api scope with OIDC", scenarios.APIURI + "/access_as_user openid profile offline_access", scenarios.APIURI, "access_as_user",
			scenarios.APIURI + "/access_as_user openid profile offline_access", true, true},
		{"bare Graph names", "User.Read Mail.Read", "https://graph.microsoft.com", "User.Read Mail.Read",
			"https://graph.microsoft.com/User.Read https://graph.microsoft.com/Mail.Read", false, false},
		{"app id .default", scenarios.APIAppID + "/.default", scenarios.APIAppID, ".default", scenarios.APIAppID + "/access_as_user", false, false},
		{"OIDC only defaults to Graph User.Read", "OpenID Profile", "https://graph.microsoft.com", "User.Read",
			"https://graph.microsoft.com/User.Read openid profile", true, false},
		{"first resource wins", "https://graph.microsoft.com/User.Read " + scenarios.APIURI + "/x", "https://graph.microsoft.com", "User.Read x",
			"https://graph.microsoft.com/User.Read", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := rules.ParseDelegatedScope(c.scope).OrDefault()
			if d.Resource != c.resource || strings.Join(d.Values, " ") != c.values || d.OpenID != c.openid || d.OfflineAccess != c.offline {
				t.Fatalf("%+v", d)
			}
			granted := d.Values
			if c.values == ".default" {
				granted = []string{"access_as_user"}
			}
			if c.name == "first resource wins" {
				granted = granted[:1]
			}
			if got := d.ResponseScope(granted); got != c.response {
				t.Errorf("response scope %q, want %q", got, c.response)
			}
		})
	}
}
