package rules

import (
	"crypto/x509"
	"net/url"
	"strings"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
)

// DefaultSkew is the clock skew Entra is assumed to tolerate on assertion
// times (client-assertion-rules.md §3.2: not documented, ±5 minutes).
const DefaultSkew = 5 * time.Minute

// Client assertion type and grant types Entra knows.
const (
	AssertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	GrantClientCredentials = "client_credentials"
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
	GrantDeviceCodeShort   = "device_code"
	GrantPassword          = "password"
	GrantSAML11            = "urn:ietf:params:oauth:grant-type:saml1_1-bearer"
	GrantSAML2             = "urn:ietf:params:oauth:grant-type:saml2-bearer"
	GrantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
)

// TokenRequest is a token request as Entra receives it, already parsed.
type TokenRequest struct {
	// Now is the server's current time; Skew the tolerated clock skew
	// (DefaultSkew when zero).
	Now  time.Time
	Skew time.Duration
	// Directory holds the tenants Entra knows (nil: none).
	Directory *directory.Directory
	// TokenEndpoint is the URL the request was posted to, such as
	// https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token.
	TokenEndpoint string
	// Method and ContentType of the HTTP request ("" means POST with a
	// form body).
	Method      string
	ContentType string
	// Form is the decoded form body; Query the URL query.
	Form  url.Values
	Query url.Values
	// BasicUser and BasicPassword come from an "Authorization: Basic"
	// header (client_secret_basic), already URL-decoded.
	BasicUser, BasicPassword string
	// IssuerKeys are the signing keys of external issuers, by issuer, for
	// federated assertions (Entra downloads them; the caller does here).
	IssuerKeys map[string][]jose.JWK
	// ExtraCerts are certificates the caller holds (a user's --cert) used
	// to verify a signature when the registered keyCredential carries no
	// certificate bytes (Graph lists return "key": null). A certificate is
	// used only when its thumbprint matches the registered key.
	ExtraCerts []*x509.Certificate
	// RequireServicePrincipal makes a missing service principal for the
	// client app fail with 7000229 (enforced by Entra since 2024). Off by
	// default because exported directories often omit service principals.
	RequireServicePrincipal bool
}

func (r *TokenRequest) skew() time.Duration {
	if r.Skew == 0 {
		return DefaultSkew
	}
	return r.Skew
}

// Endpoint is a parsed token endpoint URL.
type Endpoint struct {
	Scheme, Host string
	// Tenant is the tenant path segment as written.
	Tenant string
	// V2 is true for /oauth2/v2.0/token.
	V2 bool
	// Token is true when the path is a token endpoint.
	Token bool
}

// ParseEndpoint splits a token endpoint URL into host, tenant segment and
// version. It never fails: fields it cannot find stay empty.
func ParseEndpoint(raw string) Endpoint {
	var e Endpoint
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return e
	}
	e.Scheme, e.Host = u.Scheme, strings.ToLower(u.Host)
	parts := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if len(parts) > 0 {
		e.Tenant, _ = url.PathUnescape(parts[0])
	}
	rest := strings.ToLower(strings.Join(parts[min(1, len(parts)):], "/"))
	switch rest {
	case "oauth2/v2.0/token":
		e.Token, e.V2 = true, true
	case "oauth2/token":
		e.Token = true
	}
	return e
}

// Special tenant path segments.
const (
	TenantCommon        = "common"
	TenantOrganizations = "organizations"
	TenantConsumers     = "consumers"
)

// findTenant returns the tenant of dir whose id or domain is segment.
func findTenant(dir *directory.Directory, segment string) *directory.Tenant {
	if dir == nil || segment == "" {
		return nil
	}
	t, _ := dir.FindTenant(segment)
	return t
}

// findApplication returns the application of t with client id appID.
func findApplication(t *directory.Tenant, appID string) *directory.Application {
	if t == nil {
		return nil
	}
	a, _ := t.FindApplication(appID)
	return a
}

func isGUID(s string) bool { return cred.IsGUID(s) }

// isDNSName reports whether s is syntactically a DNS name with a dot.
func isDNSName(s string) bool {
	if len(s) == 0 || len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
