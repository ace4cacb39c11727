package emulator

import (
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/rules"
)

// maxFormBytes bounds a token request body.
const maxFormBytes = 1 << 20

// tokenCall is one token request on its way through the emulator.
type tokenCall struct {
	ri      *reqInfo
	r       *http.Request
	v1      bool
	form    url.Values
	started time.Time
	si      SignIn
	tenant  *directory.Tenant // once the rules resolved it
}

// handleToken serves /{tenant}/oauth2/v2.0/token (version 2) and
// /{tenant}/oauth2/token (version 1): faults first, then every check by
// the rules package, then the grant.
func (e *Emulator) handleToken(version int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" {
			// Browsers (single-page apps) call the token endpoint
			// cross-origin; which redemptions are allowed is decided below.
			w.Header().Set("Access-Control-Allow-Origin", "*")
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
				if h := r.Header.Get("Access-Control-Request-Headers"); h != "" {
					w.Header().Set("Access-Control-Allow-Headers", h)
				}
				w.Header().Set("Access-Control-Max-Age", "86400")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		c := &tokenCall{ri: e.request(r), r: r, v1: version == 1, started: time.Now()}
		c.form = readForm(r)
		user, pass := basicAuth(r)
		clientID := c.form.Get("client_id")
		if clientID == "" {
			clientID = user
		}
		c.si = e.newSignIn(c, clientID)
		if f, ok := e.faults.take(clientID); ok {
			if f.Latency > 0 {
				select {
				case <-time.After(time.Duration(f.Latency)):
				case <-r.Context().Done():
					return
				}
			}
			if fail, ok := f.failure(); ok {
				e.fail(w, c, fail)
				return
			}
		}
		in := rules.TokenRequest{
			Now: c.ri.now, Directory: e.dir,
			TokenEndpoint: c.ri.base + r.URL.EscapedPath(),
			Method:        r.Method, ContentType: r.Header.Get("Content-Type"),
			Form: c.form, Query: r.URL.Query(),
			BasicUser: user, BasicPassword: pass,
			IssuerKeys:              e.issuerKeys(r.Context(), c.form),
			RequireServicePrincipal: !e.opts.AllowMissingServicePrincipal,
		}
		res := rules.CheckTokenRequest(in)
		c.tenant = res.Tenant
		e.fillSignIn(&c.si, &res)
		if res.Verdict != nil {
			e.fail(w, c, failureOf(*res.Verdict))
			return
		}
		var g *grant
		var fail *Failure
		switch res.GrantType {
		case rules.GrantClientCredentials:
			g, fail = e.clientCredentials(c, &res)
		case rules.GrantAuthorizationCode:
			g, fail = e.redeemCode(c, &res)
		case rules.GrantRefreshToken:
			g, fail = e.redeemRefresh(c, &res)
		case rules.GrantJWTBearer:
			g, fail = e.onBehalfOf(c, &res)
		case rules.GrantPassword:
			g, fail = e.redeemPassword(c, &res)
		case rules.GrantDeviceCode, rules.GrantDeviceCodeShort:
			g, fail = e.redeemDeviceCode(c, &res)
		default:
			fail = &Failure{Code: 70003, OAuthError: "unsupported_grant_type",
				Message: "The app requested an unsupported grant type '" + res.GrantType + "'."}
		}
		if fail != nil {
			e.fail(w, c, *fail)
			return
		}
		e.issue(w, c, g)
	}
}

// errInternal answers a failure of the emulator itself.
var errInternal = Failure{Code: 50000, OAuthError: "temporarily_unavailable", Status: http.StatusInternalServerError,
	Message: "There was an error issuing a token or an authorization code. Please try again."}

// failureOf renders a rules verdict as the emulator's failure.
func failureOf(f rules.Finding) Failure {
	return Failure{Code: f.Code, OAuthError: f.OAuthError, Message: f.Message, Status: f.HTTPStatus, Suberror: f.Suberror()}
}

// readForm reads the form body of a form-encoded POST; anything else
// yields an empty form, which the rules then answer as Entra does.
func readForm(r *http.Request) url.Values {
	if r.Method != http.MethodPost {
		return url.Values{}
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return url.Values{}
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxFormBytes))
	if err != nil {
		return url.Values{}
	}
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return url.Values{}
	}
	return v
}

// basicAuth reads client_secret_basic: both halves are form-URL-encoded
// before base64 (RFC 6749 §2.3.1).
func basicAuth(r *http.Request) (user, pass string) {
	u, p, ok := r.BasicAuth()
	if !ok {
		return "", ""
	}
	if d, err := url.QueryUnescape(u); err == nil {
		u = d
	}
	if d, err := url.QueryUnescape(p); err == nil {
		p = d
	}
	return u, p
}

// fail writes a failure and records the failed sign-in.
func (e *Emulator) fail(w http.ResponseWriter, c *tokenCall, f Failure) {
	e.writeFailure(w, c.ri, f)
	c.si.Status = SignInStatus{ErrorCode: f.Code, FailureReason: f.Message}
	if c.tenant != nil && c.si.ResourceID != "" {
		if sp, _ := e.resource(c.tenant, c.si.ResourceID); sp != nil {
			c.si.ResourceID, c.si.ResourceDisplayName, c.si.ResourceServicePrincipalID = sp.AppID, sp.DisplayName, sp.ID
		}
	}
	c.si.ProcessingTimeInMilliseconds = int(time.Since(c.started) / time.Millisecond)
	e.record(c.r.Context(), c.si)
}

// issue signs the tokens of an accepted grant, writes the response and
// records the successful sign-in.
func (e *Emulator) issue(w http.ResponseWriter, c *tokenCall, g *grant) {
	g.v1 = c.v1
	at, uti, exp, err := e.accessToken(c.ri, g)
	var rt, idt string
	if err == nil && g.user != nil {
		if g.wantRT {
			rt, err = e.refreshToken(c.ri, g)
		}
		if err == nil && g.wantID {
			idt, err = e.idToken(c.ri, g)
		}
	}
	if err != nil {
		e.logf("trace %s: sign token: %v", c.ri.traceID, err)
		e.fail(w, c, errInternal)
		return
	}
	e.writeJSON(w, c.ri, http.StatusOK, e.tokenResponse(c.ri, g, at, exp, rt, idt), 0, true)
	c.si.UniqueTokenIdentifier = uti
	c.si.ResourceID = g.resourceSP.AppID
	c.si.ResourceDisplayName = g.resourceSP.DisplayName
	c.si.ResourceServicePrincipalID = g.resourceSP.ID
	c.si.ProcessingTimeInMilliseconds = int(time.Since(c.started) / time.Millisecond)
	e.record(c.r.Context(), c.si)
}

// clientCredentials resolves the app-only grant the rules accepted.
func (e *Emulator) clientCredentials(c *tokenCall, res *rules.RequestResult) (*grant, *Failure) {
	g := &grant{tenant: res.Tenant, client: res.App, acr: acrOf(res.Credential)}
	g.clientSP, _ = res.Tenant.FindServicePrincipal(res.App.AppID)
	g.audience = requestedResource(res)
	g.resourceSP, g.resApp = e.resource(res.Tenant, g.audience)
	if g.resourceSP == nil {
		// The rules accepted the scope, so this is the emulator's own fault.
		e.logf("trace %s: no resource in an accepted request", c.ri.traceID)
		return nil, &errInternal
	}
	return g, nil
}

// requestedResource is the resource named by the v1 resource parameter or
// the v2 scope's /.default entry.
func requestedResource(res *rules.RequestResult) string {
	return resourceOf(res.Scopes, res.Resource)
}

// resourceOf returns the resource of the first "{resource}/.default" scope,
// else resource.
func resourceOf(scopes []string, resource string) string {
	for _, s := range scopes {
		if r, ok := strings.CutSuffix(s, "/.default"); ok {
			return r
		}
	}
	return resource
}

func acrOf(m *rules.CredentialMatch) string {
	if m == nil {
		return "0"
	}
	if m.Type == "secret" {
		return "1"
	}
	return "2"
}

// resource finds the service principal (and registration, when the
// tenant holds it) of a resource named by app id, servicePrincipalName or
// identifierUri. A resource known only by name (the rules accept a few
// first-party resources in every tenant) gets a stand-in principal.
func (e *Emulator) resource(t *directory.Tenant, name string) (*directory.ServicePrincipal, *directory.Application) {
	if sp, ok := t.ServicePrincipalFor(name); ok {
		app, _ := t.FindApplication(sp.AppID)
		return sp, app
	}
	norm := strings.TrimSuffix(name, "/")
	for i := range t.Applications {
		a := &t.Applications[i]
		match := strings.EqualFold(a.AppID, norm)
		for _, u := range a.IdentifierURIs {
			match = match || strings.EqualFold(strings.TrimSuffix(u, "/"), norm)
		}
		if match {
			if sp, ok := t.FindServicePrincipal(a.AppID); ok {
				return sp, a
			}
			return &directory.ServicePrincipal{AppID: a.AppID, DisplayName: a.DisplayName, AppRoles: a.AppRoles}, a
		}
	}
	if name == "" {
		return nil, nil
	}
	return &directory.ServicePrincipal{AppID: name, DisplayName: name}, nil
}

// newSignIn starts the sign-in record of a token request.
func (e *Emulator) newSignIn(c *tokenCall, clientID string) SignIn {
	ip, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		ip = c.r.RemoteAddr
	}
	return SignIn{
		ID: c.ri.traceID, CreatedDateTime: c.ri.now, AppID: clientID,
		IPAddress: ip, CorrelationID: c.ri.correlationID, OriginalRequestID: c.ri.traceID,
		ClientCredentialType: "none", SignInEventTypes: []string{"servicePrincipal"},
		AuthenticationProtocol: "none", ConditionalAccessStatus: "notApplied",
		TokenIssuerType: "AzureAD", ClientAppUsed: "", UserAgent: c.r.UserAgent(),
		ResourceID: resourceParam(c.form),
	}
}

func resourceParam(form url.Values) string {
	return resourceOf(strings.Fields(form.Get("scope")), form.Get("resource"))
}

// fillSignIn copies what the rules resolved into the sign-in record.
func (e *Emulator) fillSignIn(si *SignIn, res *rules.RequestResult) {
	if res.Tenant != nil {
		si.ResourceTenantID = res.Tenant.ID
		si.HomeTenantID = res.Tenant.ID
	}
	if res.App != nil {
		si.AppID = res.App.AppID
		si.AppDisplayName = res.App.DisplayName
		if res.Tenant != nil {
			if sp, ok := res.Tenant.FindServicePrincipal(res.App.AppID); ok {
				si.ServicePrincipalID = sp.ID
				si.ServicePrincipalName = sp.DisplayName
			}
		}
	}
	if m := res.Credential; m != nil {
		switch m.Type {
		case "secret":
			si.ClientCredentialType = "clientSecret"
		case "certificate":
			si.ClientCredentialType = "certificate"
			si.ServicePrincipalCredentialThumbprint = m.Thumbprint
		case "federated":
			si.ClientCredentialType = "federatedIdentityCredential"
			id := m.KeyID
			si.FederatedCredentialID = &id
		}
		if m.Type != "federated" {
			si.ServicePrincipalCredentialKeyID = m.KeyID
		}
	} else if c := credentialKind(res); c != "" {
		si.ClientCredentialType = c
	}
	if res.GrantType == rules.GrantClientCredentials {
		si.AuthenticationProtocol = "none"
	} else {
		si.AuthenticationProtocol = "oAuth2"
	}
}

// credentialKind names the credential a failed request presented.
func credentialKind(res *rules.RequestResult) string {
	for _, f := range res.Findings {
		switch {
		case strings.HasPrefix(f.ID, "secret."):
			return "clientSecret"
		case strings.HasPrefix(f.ID, "assertion."):
			return "clientAssertion"
		case strings.HasPrefix(f.ID, "fic."):
			return "federatedIdentityCredential"
		}
	}
	return ""
}
