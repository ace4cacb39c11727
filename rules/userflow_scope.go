package rules

import "strings"

// graphResource is the resource a bare delegated scope value names.
const graphResource = "https://graph.microsoft.com"

// DelegatedScope is a v2.0 delegated scope parameter as Entra reads it:
// the OpenID Connect values, and the values on the one resource the
// others name.
type DelegatedScope struct {
	// Resource is the App ID URI or application id the scope values are
	// on; Microsoft Graph for bare names (User.Read); "" when only OpenID
	// values were asked.
	Resource string
	// Values are the scope values on Resource ("access_as_user",
	// ".default").
	Values []string
	// OIDC are the OpenID Connect values as asked, lower-cased.
	OIDC []string
	// OpenID and OfflineAccess say whether an ID token and a refresh
	// token were asked for.
	OpenID, OfflineAccess bool
}

// ParseDelegatedScope splits a delegated scope parameter: "openid",
// "profile", "email" and "offline_access" are OpenID Connect values; a
// value with a URI or application id prefix ("api://contoso-api/read",
// "{app-id}/.default") names that resource; a bare value is Microsoft
// Graph's. The first resource named is the token's resource.
func ParseDelegatedScope(scope string) DelegatedScope {
	var d DelegatedScope
	for _, s := range strings.Fields(scope) {
		if low := strings.ToLower(s); oidcScopes[low] {
			d.OpenID = d.OpenID || low == "openid"
			d.OfflineAccess = d.OfflineAccess || low == "offline_access"
			d.OIDC = append(d.OIDC, low)
			continue
		}
		res, val := graphResource, s
		if i := strings.LastIndex(s, "/"); i > 0 && (strings.Contains(s, "://") || isGUID(s[:i])) {
			res, val = s[:i], s[i+1:]
		}
		if d.Resource == "" {
			d.Resource = res
		}
		d.Values = append(d.Values, val)
	}
	return d
}

// OrDefault is d with Microsoft Graph User.Read as the resource when only
// OpenID Connect values were asked: Entra then issues an access token for
// Graph.
func (d DelegatedScope) OrDefault() DelegatedScope {
	if d.Resource == "" {
		d.Resource, d.Values = graphResource, []string{"User.Read"}
	}
	return d
}

// ResponseScope is the token response's "scope" member for the granted
// values: each prefixed with the resource, then the OpenID Connect values.
func (d DelegatedScope) ResponseScope(granted []string) string {
	out := make([]string, 0, len(granted)+len(d.OIDC))
	for _, v := range granted {
		out = append(out, strings.TrimSuffix(d.Resource, "/")+"/"+v)
	}
	return strings.Join(append(out, d.OIDC...), " ")
}
