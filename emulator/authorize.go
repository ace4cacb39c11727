package emulator

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules"
)

// userGrant is what an authorization code or a refresh token stands for.
type userGrant struct {
	tenantID, clientAppID, userID string
	redirectURI                   string
	scope                         string // as requested, resource scopes included
	challenge, challengeMethod    string
	nonce                         string
	issued, lastUsed              time.Time
	redeemed                      bool
}

// codeStore keeps authorization codes and refresh tokens (opaque handles
// to a userGrant), in memory.
type codeStore struct {
	mu      sync.Mutex
	codes   map[string]*userGrant
	refresh map[string]*userGrant
	devices map[string]*deviceGrant
	// validFrom is each user's TokensValidFrom (lower-case object id):
	// refresh tokens issued before it are revoked.
	validFrom map[string]time.Time
}

func newCodeStore() *codeStore {
	return &codeStore{codes: map[string]*userGrant{}, refresh: map[string]*userGrant{}, devices: map[string]*deviceGrant{}, validFrom: map[string]time.Time{}}
}

// prune drops used or expired codes and inactive refresh tokens once the
// store grows past a bound, so a long-running emulator does not grow
// without limit. The caller holds mu.
func (s *codeStore) prune(now time.Time) {
	const bound = 10000
	if len(s.codes) > bound {
		for k, g := range s.codes {
			if g.redeemed || now.Sub(g.issued) > rules.CodeLifetime {
				delete(s.codes, k)
			}
		}
	}
	if len(s.devices) > bound {
		for k, g := range s.devices {
			if !now.Before(g.expires) {
				delete(s.devices, k)
			}
		}
	}
	if len(s.refresh) > 10*bound {
		for k, g := range s.refresh {
			if now.Sub(g.lastUsed) > rules.RefreshTokenInactivity {
				delete(s.refresh, k)
			}
		}
	}
}

const authorizeVersion = "2.0"

var signInPage = template.Must(template.New("signin").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - aadsts emulator</title></head>
<body><main>
<h1>Sign in</h1>
<p>aadsts emulator, tenant {{.Tenant}}, application {{.App}}</p>
{{if .Error}}<p role="alert">{{.Error}}</p>{{end}}
<form method="post">
{{range $k, $v := .Params}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<label>User name <input name="login" autocomplete="username" value="{{.Login}}"></label>
<label>Password <input name="passwd" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form></main></body></html>`))

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in error - aadsts emulator</title></head>
<body><main><h1>Sorry, but we're having trouble signing you in.</h1>
<p>{{.Desc}}</p>
<p>Request Id: {{.Trace}}<br>Correlation Id: {{.Corr}}<br>Timestamp: {{.Time}}</p>
</main></body></html>`))

var formPostPage = template.Must(template.New("formpost").Parse(`<!doctype html>
<html><head><title>Working...</title></head><body onload="document.forms[0].submit()">
<form method="POST" action="{{.Action}}">{{range $k, $v := .Params}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<noscript><button type="submit">Continue</button></noscript></form></body></html>`))

// handleAuthorize serves the v2 authorize endpoint for response_type=code:
// a plain sign-in page (or Options.AutoUser), then a redirect with the code.
func (e *Emulator) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	ri := e.request(r)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	q := r.Form
	pageFail := func(status int, f Failure) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		errorPage.Execute(w, map[string]string{"Desc": "AADSTS" + strconv.Itoa(f.Code) + ": " + f.Message,
			"Trace": ri.traceID, "Corr": ri.correlationID, "Time": ri.now.Format(entraTimestamp)})
	}
	tenant, ok := e.dir.FindTenant(r.PathValue("tenant"))
	if !ok {
		pageFail(http.StatusBadRequest, e.tenantFailure(r.PathValue("tenant")))
		return
	}
	clientID, redirect := q.Get("client_id"), q.Get("redirect_uri")
	app, ok := tenant.FindApplication(clientID)
	if !ok {
		pageFail(http.StatusBadRequest, e.appFailure(tenant, clientID))
		return
	}
	if f := rules.CheckRedirectURI(app, redirect); f.Failed() {
		pageFail(http.StatusBadRequest, failureOf(f))
		return
	}
	back := func(params url.Values) {
		if st := q.Get("state"); st != "" {
			params.Set("state", st)
		}
		if q.Get("response_mode") == "form_post" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			flat := map[string]string{}
			for k := range params {
				flat[k] = params.Get(k)
			}
			formPostPage.Execute(w, map[string]any{"Action": redirect, "Params": flat})
			return
		}
		u, _ := url.Parse(redirect)
		uq := u.Query()
		for k, v := range params {
			uq[k] = v
		}
		u.RawQuery = uq.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
	backErr := func(f Failure) {
		back(url.Values{"error": {f.OAuthError}, "error_description": {"AADSTS" + strconv.Itoa(f.Code) + ": " + f.Message +
			"\r\nTrace ID: " + ri.traceID + "\r\nCorrelation ID: " + ri.correlationID + "\r\nTimestamp: " + ri.now.Format(entraTimestamp)}})
	}
	if f := rules.CheckResponseType(q.Get("response_type")); f.Failed() {
		backErr(failureOf(f))
		return
	}
	user := e.signedInUser(w, r, ri, tenant, app)
	if user == nil {
		return // the sign-in page was written
	}
	sr := rules.ParseDelegatedScope(q.Get("scope"))
	if sr.Resource != "" {
		resSP, resApp := e.resource(tenant, sr.Resource)
		clientSP, _ := tenant.FindServicePrincipal(app.AppID)
		cr := rules.CheckConsent(rules.ConsentInput{Tenant: tenant, Client: app, ClientSP: clientSP,
			ResourceSP: resSP, ResourceApp: resApp, UserID: user.ID, Values: sr.Values})
		if f := failureOfResult(cr.Result); f != nil {
			f.OAuthError = f.Suberror // at /authorize the suberror is the error
			backErr(*f)
			return
		}
	}
	code := "1.A" + randomID(48)
	e.codes.mu.Lock()
	e.codes.prune(ri.now)
	e.codes.codes[code] = &userGrant{tenantID: tenant.ID, clientAppID: app.AppID, userID: user.ID, redirectURI: redirect,
		scope: q.Get("scope"), challenge: q.Get("code_challenge"), challengeMethod: q.Get("code_challenge_method"),
		nonce: q.Get("nonce"), issued: ri.now}
	e.codes.mu.Unlock()
	back(url.Values{"code": {code}, "session_state": {newGUID()}})
}

// signedInUser returns the configured automatic user, or the user whose
// credentials were posted to the sign-in page; otherwise it writes the
// page and returns nil.
func (e *Emulator) signedInUser(w http.ResponseWriter, r *http.Request, ri *reqInfo, t *directory.Tenant, app *directory.Application) *directory.User {
	if u := e.autoUser(t); u != nil {
		return u
	}
	login, pass := r.PostForm.Get("login"), r.PostForm.Get("passwd")
	errText := ""
	if r.Method == http.MethodPost && login != "" {
		pr := rules.CheckPassword(rules.PasswordSignIn{Tenant: t, Username: login, Password: pass})
		if pr.User != nil {
			return pr.User
		}
		errText = pr.Verdict.Description()
	}
	params := map[string]string{}
	for k := range r.Form {
		if k != "login" && k != "passwd" {
			params[k] = r.Form.Get(k)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	if login == "" {
		login = r.Form.Get("login_hint")
	}
	signInPage.Execute(w, map[string]any{"Tenant": t.DisplayName, "App": app.DisplayName, "Error": errText, "Params": params, "Login": login})
	return nil
}

// redeemCode completes the authorization code grant.
func (e *Emulator) redeemCode(c *tokenCall, res *rules.RequestResult) (*grant, *Failure) {
	e.codes.mu.Lock()
	ug := e.codes.codes[c.form.Get("code")]
	in := rules.CodeRedemption{Now: c.ri.now, TenantID: res.Tenant.ID, App: res.App,
		RedirectURI: c.form.Get("redirect_uri"), CodeVerifier: c.form.Get("code_verifier"), Origin: c.r.Header.Get("Origin")}
	if ug != nil {
		in.Grant = &rules.CodeGrant{TenantID: ug.tenantID, ClientAppID: ug.clientAppID, RedirectURI: ug.redirectURI,
			Challenge: ug.challenge, ChallengeMethod: ug.challengeMethod, Issued: ug.issued, Redeemed: ug.redeemed}
	}
	fail := failureOfResult(rules.CheckCodeRedemption(in))
	if fail == nil {
		ug.redeemed = true
	}
	e.codes.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	return e.userGrantTokens(c, res, ug, "")
}

// redeemRefresh completes the refresh token grant.
func (e *Emulator) redeemRefresh(c *tokenCall, res *rules.RequestResult) (*grant, *Failure) {
	e.codes.mu.Lock()
	ug := e.codes.refresh[c.form.Get("refresh_token")]
	in := rules.RefreshRedemption{Now: c.ri.now, App: res.App}
	if ug != nil {
		in.Grant = &rules.RefreshGrant{ClientAppID: ug.clientAppID, Issued: ug.issued, LastUsed: ug.lastUsed}
		in.TokensValidFrom = e.codes.validFrom[strings.ToLower(ug.userID)]
	}
	fail := failureOfResult(rules.CheckRefreshRedemption(in))
	if fail == nil {
		ug.lastUsed = c.ri.now
	}
	e.codes.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	return e.userGrantTokens(c, res, ug, "")
}

// userGrantTokens resolves a delegated grant for the user of ug, for scope
// (the request's scope, or the grant's own when empty).
func (e *Emulator) userGrantTokens(c *tokenCall, res *rules.RequestResult, ug *userGrant, scope string) (*grant, *Failure) {
	if scope == "" {
		scope = c.form.Get("scope")
	}
	if scope == "" {
		scope = ug.scope
	}
	t := res.Tenant
	var user *directory.User
	for i := range t.Users {
		if strings.EqualFold(t.Users[i].ID, ug.userID) {
			user = &t.Users[i]
		}
	}
	if user == nil {
		return nil, codeInvalid()
	}
	sr := rules.ParseDelegatedScope(scope).OrDefault()
	g := &grant{tenant: t, client: res.App, user: user, acr: acrOf(res.Credential), nonce: ug.nonce,
		wantID: sr.OpenID, wantRT: sr.OfflineAccess, ug: ug}
	g.clientSP, _ = t.FindServicePrincipal(res.App.AppID)
	g.resourceSP, g.resApp = e.resource(t, sr.Resource)
	g.audience = sr.Resource
	cr := rules.CheckConsent(rules.ConsentInput{Tenant: t, Client: res.App, ClientSP: g.clientSP,
		ResourceSP: g.resourceSP, ResourceApp: g.resApp, UserID: user.ID, Values: sr.Values})
	if f := failureOfResult(cr.Result); f != nil {
		return nil, f
	}
	g.scopes = cr.Granted
	g.respScope = sr.ResponseScope(g.scopes)
	return g, nil
}

// onBehalfOf exchanges a user's access token for the middle tier (the
// client) for a token to a downstream resource.
func (e *Emulator) onBehalfOf(c *tokenCall, res *rules.RequestResult) (*grant, *Failure) {
	raw := c.form.Get("assertion")
	if f := failureOfResult(rules.CheckOBOAssertion(rules.OBOInput{Now: c.ri.now, Assertion: raw, App: res.App, Keys: e.keys.jwks(c.ri.now)})); f != nil {
		return nil, f
	}
	t, err := jose.Decode(raw)
	if err != nil { // accepted by the rules, so not reached
		return nil, codeInvalid()
	}
	app, oid := res.App, t.StringClaim("oid")
	ug := &userGrant{tenantID: res.Tenant.ID, clientAppID: app.AppID, userID: oid, scope: c.form.Get("scope"), issued: c.ri.now}
	g, fail := e.userGrantTokens(c, res, ug, c.form.Get("scope"))
	if g != nil {
		g.wantID = false
	}
	return g, fail
}

// RevokeSignInSessions revokes the refresh tokens user (an object id)
// holds at the emulator's current time, as Graph's revokeSignInSessions
// and a password reset do: redeeming one afterwards answers 50173. Tokens
// issued later are not affected.
func (e *Emulator) RevokeSignInSessions(user string) {
	now := e.clock.Now()
	e.codes.mu.Lock()
	e.codes.validFrom[strings.ToLower(user)] = now
	e.codes.mu.Unlock()
}

// refreshToken stores a refresh token for the grant's user.
func (e *Emulator) refreshToken(ri *reqInfo, g *grant) (string, error) {
	rt := "1.A" + randomID(96)
	ug := *g.ug
	ug.issued, ug.lastUsed, ug.redeemed = ri.now, ri.now, false
	e.codes.mu.Lock()
	e.codes.prune(ri.now)
	e.codes.refresh[rt] = &ug
	e.codes.mu.Unlock()
	return rt, nil
}
