package rules

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/aadsts/aadsts/directory"
)

// RequestResult is the outcome of CheckTokenRequest.
type RequestResult struct {
	Result
	Endpoint Endpoint
	// Tenant and App are the directory objects the request resolved to
	// (nil when unknown).
	Tenant *directory.Tenant
	App    *directory.Application
	// GrantType, ClientID and Scopes as Entra read them.
	GrantType string
	ClientID  string
	Scopes    []string
	Resource  string
}

// knownGrants are the grant types Entra's token endpoint accepts.
var knownGrants = []string{
	GrantClientCredentials, GrantAuthorizationCode, GrantRefreshToken, GrantJWTBearer,
	GrantDeviceCode, GrantDeviceCodeShort, GrantPassword, GrantSAML11, GrantSAML2, GrantTokenExchange,
	"user_fic",
}

// CheckTokenRequest applies Entra's checks to a token request in the order
// Entra applies them (client-assertion-rules.md §5): parameters, tenant,
// application, presence of a credential, the credential itself (secret,
// certificate assertion or federated assertion), then scope or resource.
// The first failure is the verdict.
func CheckTokenRequest(in TokenRequest) RequestResult {
	var res RequestResult
	res.Endpoint = ParseEndpoint(in.TokenEndpoint)
	form := in.Form
	if !checkBody(&res, in) {
		return res
	}
	res.GrantType = form.Get("grant_type")
	res.ClientID = form.Get("client_id")
	if res.ClientID == "" && in.BasicUser != "" {
		res.ClientID = in.BasicUser
	}
	if !checkParams(&res, in) {
		return res
	}
	if !checkTenantAndApp(&res, in) {
		return res
	}
	if !checkCredential(&res, in) {
		return res
	}
	checkScope(&res, in)
	return res
}

// checkBody: POST with a form body (900144 'grant_type' otherwise, as for a
// JSON body or parameters in the query string).
func checkBody(res *RequestResult, in TokenRequest) bool {
	method := in.Method
	if method == "" {
		method = http.MethodPost
	}
	if !strings.EqualFold(method, http.MethodPost) {
		res.add(fail("request.method", entraError{900561, ErrInvalidRequest, "The endpoint only accepts POST requests. Received a " + strings.ToUpper(method) + " request."},
			fmt.Sprintf("the token endpoint was called with %s", strings.ToUpper(method)), "POST the request with a form-encoded body."))
		return false
	}
	if in.ContentType != "" {
		mt, _, _ := mime.ParseMediaType(in.ContentType)
		if mt != "application/x-www-form-urlencoded" {
			res.add(fail("request.content-type", errMissingParam("grant_type"),
				fmt.Sprintf("the body is %s, not application/x-www-form-urlencoded: Entra reads no parameter from it", mt),
				"Send the parameters form-encoded (Content-Type: application/x-www-form-urlencoded), not as JSON or multipart."))
			return false
		}
	}
	res.add(pass("request.body", "POST with a form-encoded body"))
	return true
}

// checkParams: grant_type, client_id, scope (v2) or resource (v1).
func checkParams(res *RequestResult, in TokenRequest) bool {
	form := in.Form
	need := []string{"grant_type", "client_id"}
	for _, name := range need {
		if name == "client_id" && res.ClientID != "" || form.Get(name) != "" {
			continue
		}
		detail := fmt.Sprintf("the form has no %q parameter", name)
		if in.Query.Get(name) != "" {
			detail += " (it is in the URL query string, where Entra does not read it)"
		}
		res.add(fail("request.params", errMissingParam(name), detail, fmt.Sprintf("Send %s in the form body.", name)))
		return false
	}
	grant := res.GrantType
	known := false
	for _, g := range knownGrants {
		known = known || g == grant
	}
	if !known {
		res.add(fail("request.grant-type", errUnsupportedGrant(grant), fmt.Sprintf("grant_type %q is not a grant Entra supports", grant),
			"Use client_credentials, authorization_code, refresh_token or urn:ietf:params:oauth:grant-type:jwt-bearer."))
		return false
	}
	for _, name := range grantParams[grant] {
		if form.Get(name) == "" {
			res.add(fail("request.params", errMissingParam(name), fmt.Sprintf("a %s request has no %q parameter", grant, name), fmt.Sprintf("Send %s in the form body.", name)))
			return false
		}
	}
	if grant == GrantClientCredentials {
		if res.Endpoint.V2 || !res.Endpoint.Token {
			if form.Get("scope") == "" {
				res.add(fail("request.params", errMissingParam("scope"), "a client_credentials request to the v2.0 endpoint has no scope",
					"Send scope={resource}/.default, for example https://graph.microsoft.com/.default."))
				return false
			}
		} else if form.Get("resource") == "" {
			res.add(fail("request.params", errMissingParam("resource"), "a client_credentials request to the v1 endpoint has no resource",
				"Send resource={App ID URI or app id}, or use the v2.0 endpoint with scope={resource}/.default."))
			return false
		}
	}
	res.Resource = form.Get("resource")
	res.Scopes = strings.Fields(form.Get("scope"))
	res.add(pass("request.params", fmt.Sprintf("grant_type=%s, client_id=%s", grant, res.ClientID)))
	return true
}

// grantParams are the parameters each grant requires besides grant_type
// and client_id (entra-protocol.md §6).
var grantParams = map[string][]string{
	GrantAuthorizationCode: {"code"},
	GrantRefreshToken:      {"refresh_token"},
	GrantJWTBearer:         {"assertion", "requested_token_use"},
	GrantDeviceCode:        {"device_code"},
	GrantDeviceCodeShort:   {"device_code"},
	GrantPassword:          {"username", "password"},
}

// checkTenantAndApp: tenant syntax (900023), tenant exists (90002), grant
// allowed on /common and /consumers (9001023), application exists (700016),
// service principal (7000229) and enabled (7000112).
func checkTenantAndApp(res *RequestResult, in TokenRequest) bool {
	seg := res.Endpoint.Tenant
	lower := strings.ToLower(seg)
	special := lower == TenantCommon || lower == TenantOrganizations || lower == TenantConsumers
	switch {
	case seg == "":
		res.add(skip("request.tenant", "no token endpoint URL: the tenant was not checked"))
	case special:
		if res.GrantType == GrantClientCredentials || lower == TenantConsumers && res.GrantType != GrantAuthorizationCode && res.GrantType != GrantRefreshToken {
			res.add(fail("request.tenant", errGrantOnCommon(), fmt.Sprintf("grant %s posted to /%s", res.GrantType, seg),
				"Post to the tenant-specific endpoint: https://login.microsoftonline.com/{tenant-id}/oauth2/v2.0/token."))
			return false
		}
		res.add(pass("request.tenant", "/"+seg+" endpoint"))
	case seg == "00000000-0000-0000-0000-000000000000":
		res.add(fail("request.tenant", errTenantEmptyGUID(seg), "the tenant segment is the empty GUID (an unset tenant id variable)",
			"Set the tenant id: the Directory (tenant) ID of the app's tenant."))
		return false
	case !isGUID(seg) && !isDNSName(seg):
		res.add(fail("request.tenant", errTenantMalformed(seg), fmt.Sprintf("tenant segment %q is neither a GUID nor a domain name", seg),
			"Use the tenant id (a GUID) or a verified domain such as contoso.onmicrosoft.com in the URL."))
		return false
	default:
		res.Tenant = findTenant(in.Directory, seg)
		if res.Tenant == nil {
			if in.Directory == nil {
				res.add(skip("request.tenant", "no directory given: the tenant was not looked up"))
				break
			}
			res.add(fail("request.tenant", errTenantNotFound(seg), fmt.Sprintf("no tenant with id or domain %q", seg),
				"Check the tenant id and the cloud (public, US Government, China) of the authority."))
			return false
		}
		res.add(pass("request.tenant", fmt.Sprintf("tenant %s (%s)", res.Tenant.ID, seg)).with("tenant_id", res.Tenant.ID))
	}
	return checkApp(res, in, special)
}

func checkApp(res *RequestResult, in TokenRequest, special bool) bool {
	t := res.Tenant
	if t == nil && special && in.Directory != nil {
		// A multi-tenant endpoint: the app is found in its home tenant.
		for i := range in.Directory.Tenants {
			if app := findApplication(&in.Directory.Tenants[i], res.ClientID); app != nil {
				t = &in.Directory.Tenants[i]
				break
			}
		}
	}
	if t == nil {
		res.add(skip("request.app", "the tenant is unknown: the application was not looked up"))
		return true
	}
	app := findApplication(t, res.ClientID)
	if app == nil {
		dirName := t.DisplayName
		if dirName == "" {
			dirName = t.ID
		}
		if dirName == "" {
			dirName = res.Endpoint.Tenant
		}
		res.add(fail("request.app", errAppNotFound(res.ClientID, dirName), fmt.Sprintf("no application with appId %s in tenant %s", res.ClientID, t.ID),
			"Check client_id (the Application (client) ID, not the object ID) and that the request goes to the app's tenant."))
		return false
	}
	res.App = app
	if res.Tenant == nil {
		res.Tenant = t
	}
	res.add(pass("request.app", fmt.Sprintf("application %q (%s)", app.DisplayName, app.AppID)).with("app_id", app.AppID))
	sp, _ := t.FindServicePrincipal(app.AppID)
	switch {
	case sp == nil && in.RequireServicePrincipal:
		res.add(fail("request.service-principal", errNoServicePrincipal(app.AppID, t.ID), "the application has no service principal in the tenant",
			"Create it: az ad sp create --id "+app.AppID))
		return false
	case sp != nil && !sp.Enabled():
		res.add(fail("request.service-principal", errAppDisabled(app.AppID, app.DisplayName), "the service principal has accountEnabled=false",
			"Enable the enterprise application (accountEnabled=true)."))
		return false
	}
	return true
}

// checkScope: scope forms for the grant and endpoint version (1002012,
// 70011, 700022, 901002) and that the resource exists (500011).
func checkScope(res *RequestResult, in TokenRequest) {
	if res.Endpoint.V2 && res.Resource != "" && res.GrantType == GrantClientCredentials && len(res.Scopes) == 0 {
		res.add(fail("request.scope", errResourceParamOnV2(), "the v2.0 endpoint got a v1 'resource' parameter",
			"Use scope={resource}/.default on the v2.0 endpoint, or post to the v1 endpoint (/oauth2/token)."))
		return
	}
	if res.GrantType != GrantClientCredentials {
		return
	}
	var resources []string
	if len(res.Scopes) == 0 {
		resources = []string{res.Resource}
	}
	scopeStr := strings.Join(res.Scopes, " ")
	for _, s := range res.Scopes {
		if oidcScopes[strings.ToLower(s)] {
			continue // MSAL appends openid profile offline_access; Entra tolerates them
		}
		r, ok := strings.CutSuffix(s, "/.default")
		if !ok {
			res.add(fail("request.scope", errScopeNoDefault(s), fmt.Sprintf("client_credentials scope %q has no /.default suffix", s),
				"Ask for {resource}/.default, for example https://graph.microsoft.com/.default; app permissions come from the app's role assignments."))
			return
		}
		if !looksLikeResource(r) {
			res.add(fail("request.scope", errScopeFormat(scopeStr), fmt.Sprintf("%q before /.default is neither a URI nor an application id", r),
				"Write the resource as its App ID URI (https://graph.microsoft.com) or application id GUID, then /.default."))
			return
		}
		resources = append(resources, r)
	}
	if distinct(resources) > 1 {
		res.add(fail("request.scope", errMultipleResources(scopeStr), fmt.Sprintf("scopes for %d resources in one request", distinct(resources)),
			"Request a token for one resource at a time."))
		return
	}
	if len(resources) == 0 {
		res.add(fail("request.scope", errScopeNoDefault(scopeStr), "only OpenID scopes were requested", "Ask for {resource}/.default."))
		return
	}
	r := resources[0]
	if res.Tenant != nil && len(res.Tenant.ServicePrincipals) > 0 && !resourceKnown(res.Tenant, r) {
		name := res.Tenant.DisplayName
		if name == "" {
			name = res.Tenant.ID
		}
		res.add(fail("request.resource", errResourceNotFound(r, name), fmt.Sprintf("no service principal in tenant %s has %q as a name or app id", res.Tenant.ID, r),
			"Check the resource's App ID URI (Expose an API) or application id, and that its service principal exists in this tenant."))
		return
	}
	res.add(pass("request.scope", "scope/resource "+r))
}

var oidcScopes = map[string]bool{"openid": true, "profile": true, "offline_access": true, "email": true}

func looksLikeResource(r string) bool {
	if isGUID(r) {
		return true
	}
	i := strings.Index(r, "://")
	return i > 0 && len(r) > i+3 || strings.HasPrefix(r, "api:") || strings.HasPrefix(r, "urn:")
}

func distinct(list []string) int {
	seen := map[string]bool{}
	for _, s := range list {
		seen[strings.TrimRight(strings.ToLower(s), "/")] = true
	}
	return len(seen)
}

// resourceKnown reports whether the tenant has the resource r: a service
// principal by app id or name, or an application by app id or identifier
// URI (its service principal may be missing from an export).
func resourceKnown(t *directory.Tenant, r string) bool {
	if _, ok := t.ServicePrincipalFor(r); ok {
		return true
	}
	norm := strings.TrimRight(r, "/")
	for _, app := range t.Applications {
		if strings.EqualFold(app.AppID, norm) {
			return true
		}
		for _, u := range app.IdentifierURIs {
			if strings.EqualFold(strings.TrimRight(u, "/"), norm) {
				return true
			}
		}
	}
	return false
}
