package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
)

// User-flow checks (authorize, code redemption, PKCE, refresh, on-behalf-of
// consent). Package rules covers client authentication and token requests
// but not these yet; they live here, each in one function, until rules
// takes them over. Message texts are Entra's as recorded in
// shared/data/entra-responses and shared/spec.

var oidcScopeNames = map[string]bool{"openid": true, "profile": true, "email": true, "offline_access": true}

// scopeRequest is a v2 delegated scope string split into the resource it
// names and the scope values on that resource.
type scopeRequest struct {
	resource string   // App ID URI or app id; Graph when only bare names
	values   []string // e.g. access_as_user, or ".default"
	oidc     []string // openid, profile, email, offline_access as asked
	openid   bool
	offline  bool
}

// responseScope is the token response's scope member for granted values.
func (sr scopeRequest) responseScope(granted []string) string {
	var out []string
	for _, v := range granted {
		out = append(out, strings.TrimSuffix(sr.resource, "/")+"/"+v)
	}
	return strings.Join(append(out, sr.oidc...), " ")
}

func parseScopes(scope string) scopeRequest {
	var sr scopeRequest
	for _, s := range strings.Fields(scope) {
		low := strings.ToLower(s)
		switch {
		case oidcScopeNames[low]:
			sr.openid = sr.openid || low == "openid"
			sr.offline = sr.offline || low == "offline_access"
			sr.oidc = append(sr.oidc, low)
			continue
		}
		res, val := "https://graph.microsoft.com", s
		if i := strings.LastIndex(s, "/"); i > 0 && (strings.Contains(s, "://") || directory.IsGUID(s[:i])) {
			res, val = s[:i], s[i+1:]
		}
		if sr.resource == "" {
			sr.resource = res
		}
		sr.values = append(sr.values, val)
	}
	return sr
}

// redirectAllowed reports whether uri is registered on the app (web, SPA
// or public client), compared exactly as Entra does.
// A registered http loopback URI (localhost, 127.0.0.1, [::1]) matches
// any port, as native apps listen on a port of their choosing (RFC 8252
// §7.3).
func redirectAllowed(app *directory.Application, uri string) bool {
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

func failRedirect(appID, uri string) *Failure {
	return &Failure{Code: 50011, OAuthError: "invalid_request",
		Message: "The redirect URI '" + uri + "' specified in the request does not match the redirect URIs configured for the application '" + appID + "'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this."}
}

// consented returns the delegated scopes granted to the client on the
// resource for the user: admin consent (AllPrincipals), the user's own
// consent (Principal), or pre-authorization by the resource. ".default"
// asks for every granted scope. nil means a requested scope is missing.
func consented(t *directory.Tenant, clientSP, resourceSP *directory.ServicePrincipal, resApp *directory.Application, clientAppID, userID string, values []string) []string {
	granted := map[string]bool{}
	for _, g := range t.OAuth2PermissionGrants {
		if clientSP == nil || !strings.EqualFold(g.ClientID, clientSP.ID) || !strings.EqualFold(g.ResourceID, resourceSP.ID) {
			continue
		}
		if g.ConsentType == "AllPrincipals" || strings.EqualFold(g.PrincipalID, userID) {
			for _, s := range strings.Fields(g.Scope) {
				granted[s] = true
			}
		}
	}
	if resApp != nil {
		for _, pa := range resApp.API.PreAuthorizedApplications {
			if !strings.EqualFold(pa.AppID, clientAppID) {
				continue
			}
			for _, id := range pa.DelegatedPermissionIDs {
				for _, s := range resourceSP.OAuth2PermissionScopes {
					if strings.EqualFold(s.ID, id) {
						granted[s.Value] = true
					}
				}
			}
		}
	}
	var out []string
	for _, v := range values {
		if v == ".default" {
			for s := range granted {
				out = append(out, s)
			}
			continue
		}
		if !granted[v] {
			return nil
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func failConsent(appID, appName string) *Failure {
	return &Failure{Code: 65001, OAuthError: "invalid_grant", Suberror: "consent_required",
		Message: "The user or administrator has not consented to use the application with ID '" + appID + "' named '" + appName + "'. Send an interactive authorization request for this user and resource."}
}

// pkceOK checks the code_verifier against the authorize request's challenge.
func pkceOK(challenge, method, verifier string) bool {
	if challenge == "" {
		return true
	}
	if verifier == "" {
		return false
	}
	want := verifier
	if !strings.EqualFold(method, "plain") {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

var (
	failPKCE = &Failure{Code: 501481, OAuthError: "invalid_grant",
		Message: "The Code_Verifier does not match the code_challenge supplied in the authorization request."}
	failCodeRedeemed = &Failure{Code: 54005, OAuthError: "invalid_grant",
		Message: "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."}
	failCodeExpired = &Failure{Code: 70000, OAuthError: "invalid_grant",
		Message: "The provided value for the 'code' parameter is not valid. The code has expired."}
	failCodeInvalid = &Failure{Code: 70000, OAuthError: "invalid_grant",
		Message: "The provided value for the 'code' parameter is not valid."}
	failRefreshInvalid = &Failure{Code: 9002313, OAuthError: "invalid_grant",
		Message: "Invalid request. Request is malformed or invalid."}
	failBadPassword = &Failure{Code: 50126, OAuthError: "invalid_grant",
		Message: "Error validating credentials due to invalid username or password."}
)

func failRefreshInactive(issued time.Time, inactive time.Duration) *Failure {
	days := int(inactive / (24 * time.Hour))
	rest := inactive - time.Duration(days)*24*time.Hour
	return &Failure{Code: 700082, OAuthError: "invalid_grant",
		Message: "The refresh token has expired due to inactivity. The token was issued on " + issued.UTC().Format("2006-01-02T15:04:05.0000000Z") +
			" and was inactive for " + fmt.Sprintf("%02d", days) + "." + time.Time{}.Add(rest).Format("15:04:05") + "."}
}

func failOBOAudience(aud, appID, name string) *Failure {
	return &Failure{Code: 500131, OAuthError: "invalid_grant",
		Message: "Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '" + aud + "' and the expected audience is '" + appID + "' or one of the Application Uris of this application with App ID '" + appID + "'(" + name + "). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion."}
}

func failOBOExpired(now, exp time.Time) *Failure {
	return &Failure{Code: 500133, OAuthError: "invalid_grant",
		Message: "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: " +
			now.UTC().Format("2006-01-02T15:04:05.0000000Z") + ", expiry time of assertion " + exp.UTC().Format("2006-01-02T15:04:05.0000000Z") + "."}
}

var failOBOSignature = &Failure{Code: 50013, OAuthError: "invalid_grant", Message: "Assertion failed signature validation."}

// crossOriginAllowed reports whether a browser (an Origin header) may
// redeem a code for redirect: only for a redirect URI registered as a
// single-page application.
func crossOriginAllowed(app *directory.Application, redirect string) bool {
	return slices.Contains(app.SPA.RedirectURIs, redirect)
}

var failCrossOrigin = &Failure{Code: 9002326, OAuthError: "invalid_request",
	Message: "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type."}
