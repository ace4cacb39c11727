package emulator

import (
	"crypto/rand"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/rules"
)

// deviceGrant is one pending device code sign-in.
type deviceGrant struct {
	userGrant
	userCode string
	expires  time.Time
	approved bool
}

// userCode is 9 characters from an alphabet without look-alikes, as the
// codes users type from another device.
func userCode() string {
	const alpha = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 9)
	rand.Read(b)
	for i := range b {
		b[i] = alpha[int(b[i])%len(alpha)]
	}
	return string(b)
}

// handleDeviceCode starts the device code flow:
// POST /{tenant}/oauth2/v2.0/devicecode with client_id and scope.
func (e *Emulator) handleDeviceCode(w http.ResponseWriter, r *http.Request) {
	ri := e.request(r)
	form := readForm(r)
	tenant, ok := e.dir.FindTenant(r.PathValue("tenant"))
	if !ok {
		e.writeFailure(w, ri, e.tenantFailure(r.PathValue("tenant")))
		return
	}
	app, ok := tenant.FindApplication(form.Get("client_id"))
	if !ok {
		e.writeFailure(w, ri, e.appFailure(tenant, form.Get("client_id")))
		return
	}
	dg := &deviceGrant{userGrant: userGrant{tenantID: tenant.ID, clientAppID: app.AppID, scope: form.Get("scope"), issued: ri.now},
		userCode: userCode(), expires: ri.now.Add(rules.DeviceCodeLifetime)}
	if u := e.autoUser(tenant); u != nil {
		dg.userID, dg.approved = u.ID, true
	}
	device := "DAQ" + randomID(96)
	e.codes.mu.Lock()
	e.codes.prune(ri.now)
	e.codes.devices[device] = dg
	e.codes.mu.Unlock()
	verify := ri.base + "/devicelogin"
	e.writeJSON(w, ri, http.StatusOK, struct {
		UserCode        string `json:"user_code"`
		DeviceCode      string `json:"device_code"`
		VerificationURI string `json:"verification_uri"`
		ExpiresIn       int    `json:"expires_in"`
		Interval        int    `json:"interval"`
		Message         string `json:"message"`
	}{dg.userCode, device, verify, int(rules.DeviceCodeLifetime / time.Second), e.opts.DeviceCodeInterval,
		"To sign in, use a web browser to open the page " + verify + " and enter the code " + dg.userCode + " to authenticate."}, 0, true)
}

// appFailure asks the rules what Entra answers for an unknown client id
// in tenant (700016).
func (e *Emulator) appFailure(t *directory.Tenant, clientID string) Failure {
	res := rules.CheckTokenRequest(rules.TokenRequest{Now: e.clock.Now(), Directory: e.dir,
		TokenEndpoint: "https://login.microsoftonline.com/" + t.ID + "/oauth2/v2.0/token",
		Form:          map[string][]string{"grant_type": {rules.GrantAuthorizationCode}, "client_id": {clientID}}})
	if res.Verdict != nil {
		return failureOf(*res.Verdict)
	}
	return *codeInvalid()
}

// autoUser returns the configured automatic user of tenant, if any.
func (e *Emulator) autoUser(t *directory.Tenant) *directory.User {
	if e.opts.AutoUser == "" {
		return nil
	}
	for i := range t.Users {
		if strings.EqualFold(t.Users[i].UserPrincipalName, e.opts.AutoUser) {
			return &t.Users[i]
		}
	}
	return nil
}

var deviceLoginPage = template.Must(template.New("devicelogin").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Enter code - aadsts emulator</title></head>
<body><main><h1>Enter code</h1>
{{if .Done}}<p role="status">You have signed in. You may now close this window.</p>{{else}}
{{if .Error}}<p role="alert">{{.Error}}</p>{{end}}
<form method="post">
<label>Code <input name="otc" autocomplete="one-time-code" value="{{.Code}}"></label>
<label>User name <input name="login" autocomplete="username"></label>
<label>Password <input name="passwd" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>{{end}}</main></body></html>`))

// handleDeviceLogin is the verification page: the user enters the code
// and signs in with a directory user's password.
func (e *Emulator) handleDeviceLogin(w http.ResponseWriter, r *http.Request) {
	ri := e.request(r)
	_ = r.ParseForm()
	data := map[string]any{"Code": r.Form.Get("otc")}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	if r.Method != http.MethodPost {
		deviceLoginPage.Execute(w, data)
		return
	}
	code := strings.ToUpper(strings.TrimSpace(r.PostForm.Get("otc")))
	e.codes.mu.Lock()
	defer e.codes.mu.Unlock()
	var dg *deviceGrant
	for _, g := range e.codes.devices {
		if g.userCode == code && (dg == nil || ri.now.Before(g.expires)) {
			dg = g
		}
	}
	var pending *rules.DeviceCodeGrant
	if dg != nil {
		pending = dg.rules()
	}
	if f := rules.CheckDeviceUserCode(ri.now, pending); f.Failed() {
		data["Error"] = f.Description()
		deviceLoginPage.Execute(w, data)
		return
	}
	t, _ := e.dir.FindTenant(dg.tenantID)
	pr := rules.CheckPassword(rules.PasswordSignIn{Tenant: t, Username: r.PostForm.Get("login"), Password: r.PostForm.Get("passwd")})
	if pr.User == nil {
		data["Error"] = pr.Verdict.Description()
		deviceLoginPage.Execute(w, data)
		return
	}
	dg.userID, dg.approved = pr.User.ID, true
	data["Done"] = true
	deviceLoginPage.Execute(w, data)
}

// rules is the pending sign-in as the rules see it.
func (dg *deviceGrant) rules() *rules.DeviceCodeGrant {
	return &rules.DeviceCodeGrant{ClientAppID: dg.clientAppID, Expires: dg.expires, Approved: dg.approved}
}

// redeemDeviceCode polls the device code grant.
func (e *Emulator) redeemDeviceCode(c *tokenCall, res *rules.RequestResult) (*grant, *Failure) {
	e.codes.mu.Lock()
	dg := e.codes.devices[c.form.Get("device_code")]
	in := rules.DeviceCodePoll{Now: c.ri.now, App: res.App}
	if dg != nil {
		in.Grant = dg.rules()
	}
	fail := failureOfResult(rules.CheckDeviceCodePoll(in))
	if fail == nil {
		delete(e.codes.devices, c.form.Get("device_code"))
	}
	e.codes.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	ug := dg.userGrant
	return e.userGrantTokens(c, res, &ug, ug.scope)
}
