package rules

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
)

// User flows: the checks Entra makes when a user signs in (authorize,
// consent, username/password) and when the grant a sign-in produced is
// redeemed (authorization code, refresh token, device code: see
// userflow_grant.go). The caller keeps the state (codes, refresh tokens,
// pending device codes) and passes it in as plain values; these functions
// only decide.

// Lifetimes Entra applies to user-flow grants.
const (
	// CodeLifetime is how long an authorization code can be redeemed.
	CodeLifetime = 10 * time.Minute
	// RefreshTokenInactivity is the default inactivity window of a
	// refresh token (700082 past it).
	RefreshTokenInactivity = 90 * 24 * time.Hour
	// DeviceCodeLifetime is how long a device code can be polled
	// (typically 15 minutes; unverified).
	DeviceCodeLifetime = 15 * time.Minute
)

// ErrUnsupportedResponseType is the OAuth error of 700054 at /authorize.
const ErrUnsupportedResponseType = "unsupported_response_type"

func errRedirectMismatch(uri, appID string) entraError {
	return entraError{50011, ErrInvalidRequest, fmt.Sprintf("The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.", uri, appID)}
}

func errResponseType(rt string) entraError {
	return entraError{700054, ErrUnsupportedResponseType, fmt.Sprintf("response_type '%s' is not enabled for the application.", rt)}
}

func errConsent(appID, name string) entraError {
	return entraError{65001, ErrInvalidGrant, fmt.Sprintf("The user or administrator has not consented to use the application with ID '%s' named '%s'. Send an interactive authorization request for this user and resource.", appID, name)}
}

func errBadPassword() entraError {
	return entraError{50126, ErrInvalidGrant, "Error validating credentials due to invalid username or password."}
}

// errUserNotFound is 50034 as recorded (2018): tenant is the directory's
// name as the user typed its domain.
func errUserNotFound(tenant string) entraError {
	return entraError{50034, ErrInvalidGrant, fmt.Sprintf("The user account does not exist in the %s directory. To sign into this application, the account must be added to the directory.", tenant)}
}

// RedirectRegistered reports whether uri is a redirect URI of app (web,
// single-page application or public client), compared exactly. A
// registered http loopback URI (localhost, 127.0.0.1, [::1]) matches any
// port, as native apps listen on a port of their choosing (RFC 8252 §7.3).
func RedirectRegistered(app *directory.Application, uri string) bool {
	if slices.Contains(app.Web.RedirectURIs, uri) || slices.Contains(app.SPA.RedirectURIs, uri) ||
		slices.Contains(app.PublicClient.RedirectURIs, uri) {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || !isLoopbackHost(u.Hostname()) {
		return false
	}
	for _, reg := range slices.Concat(app.Web.RedirectURIs, app.PublicClient.RedirectURIs) {
		r, err := url.Parse(reg)
		if err == nil && r.Scheme == "http" && isLoopbackHost(r.Hostname()) && r.Hostname() == u.Hostname() &&
			strings.TrimSuffix(r.Path, "/") == strings.TrimSuffix(u.Path, "/") {
			return true
		}
	}
	return false
}

func isLoopbackHost(h string) bool { return h == "localhost" || h == "127.0.0.1" || h == "::1" }

// CheckRedirectURI is the redirect URI check Entra makes at /authorize and
// again when the code is redeemed (50011).
func CheckRedirectURI(app *directory.Application, uri string) Finding {
	const id = "userflow.redirect-uri"
	if RedirectRegistered(app, uri) {
		return pass(id, "the redirect URI is registered on the application")
	}
	return fail(id, errRedirectMismatch(uri, app.AppID), fmt.Sprintf("%q is not one of the application's redirect URIs", uri),
		"Add the exact URI (scheme, host, port, path, trailing slash) to the app's Authentication blade under the platform that sends it, or send one that is registered.").with("redirect_uri", uri)
}

// CheckResponseType checks the response_type of an authorization request:
// the authorization code flow ("code") only.
func CheckResponseType(responseType string) Finding {
	const id = "userflow.response-type"
	if responseType == "code" {
		return pass(id, "response_type=code")
	}
	return fail(id, errResponseType(responseType), fmt.Sprintf("response_type %q is not the authorization code flow", responseType),
		"Use response_type=code (with PKCE); the implicit grant must be enabled on the app for id_token or token.")
}

// ConsentInput is the evidence for a delegated permission check: who asks
// (client), for whom (user), on which resource, for which scope values.
type ConsentInput struct {
	Tenant *directory.Tenant
	Client *directory.Application
	// ClientSP and ResourceSP are the service principals of the client
	// and of the resource in Tenant; a nil one has no grants.
	ClientSP, ResourceSP *directory.ServicePrincipal
	// ResourceApp is the resource's registration when it is in Tenant
	// (its preAuthorizedApplications count as consent).
	ResourceApp *directory.Application
	UserID      string
	// Values are the scope values on the resource ("access_as_user",
	// "User.Read", or ".default" for every granted scope).
	Values []string
}

// ConsentResult is the outcome of CheckConsent.
type ConsentResult struct {
	Result
	// Granted are the scope values the token carries, sorted, when
	// accepted.
	Granted []string
}

// CheckConsent decides whether the user (or an administrator for every
// user) consented to the client's delegated scopes on the resource, or
// the resource pre-authorized the client (65001, suberror
// consent_required, when a requested value is missing).
func CheckConsent(in ConsentInput) ConsentResult {
	const id = "userflow.consent"
	granted := grantedScopes(in)
	var out ConsentResult
	var missing []string
	for _, v := range in.Values {
		if v == ".default" {
			for s := range granted {
				out.Granted = append(out.Granted, s)
			}
			continue
		}
		if !granted[v] {
			missing = append(missing, v)
			continue
		}
		out.Granted = append(out.Granted, v)
	}
	if len(missing) > 0 {
		out.Granted = nil
		out.add(fail(id, errConsent(in.Client.AppID, in.Client.DisplayName), "no consent for "+strings.Join(missing, " "),
			"Sign the user in interactively to consent, or have an administrator grant consent for the tenant (or pre-authorize the client on the API).").with("missing", strings.Join(missing, " ")))
		return out
	}
	slices.Sort(out.Granted)
	out.Granted = slices.Compact(out.Granted)
	out.add(pass(id, "consented: "+strings.Join(out.Granted, " ")))
	return out
}

// grantedScopes collects admin consent (AllPrincipals), the user's own
// consent (Principal) and pre-authorization by the resource.
func grantedScopes(in ConsentInput) map[string]bool {
	granted := map[string]bool{}
	if in.ResourceSP == nil {
		return granted
	}
	if in.ClientSP != nil && in.Tenant != nil {
		for _, g := range in.Tenant.OAuth2PermissionGrants {
			if !strings.EqualFold(g.ClientID, in.ClientSP.ID) || !strings.EqualFold(g.ResourceID, in.ResourceSP.ID) {
				continue
			}
			if g.ConsentType == "AllPrincipals" || strings.EqualFold(g.PrincipalID, in.UserID) {
				for _, s := range strings.Fields(g.Scope) {
					granted[s] = true
				}
			}
		}
	}
	if in.ResourceApp == nil {
		return granted
	}
	for _, pa := range in.ResourceApp.API.PreAuthorizedApplications {
		if !strings.EqualFold(pa.AppID, in.Client.AppID) {
			continue
		}
		for _, id := range pa.DelegatedPermissionIDs {
			for _, s := range in.ResourceSP.OAuth2PermissionScopes {
				if strings.EqualFold(s.ID, id) {
					granted[s.Value] = true
				}
			}
		}
	}
	return granted
}

// Suberror is the "suberror" member Entra sends with the finding's error:
// consent_required for a missing consent (65001), "" otherwise.
func (f Finding) Suberror() string {
	if f.Failed() && f.ID == "userflow.consent" {
		return "consent_required"
	}
	return ""
}
