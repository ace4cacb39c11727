package errtext

import (
	"regexp"
	"strings"
)

// stsHosts are the hosts of Entra's token service in the public and
// national clouds; the first path segment after them names the tenant.
var stsHosts = []string{
	"login.microsoftonline.com/", "login.microsoft.com/", "login.windows.net/",
	"login.microsoftonline.us/", "login.chinacloudapi.cn/", "login.partner.microsoftonline.cn/",
	"login.microsoftonline.de/", "login.windows-ppe.net/", "sts.windows.net/",
}

// notTenants are first path segments that are pages, not tenants.
var notTenants = map[string]bool{
	"error": true, "oauth2": true, "te": true, "kmsi": true, "login.srf": true, "appverify": true,
	"favicon.ico": true, "forgetuser": true, "logout.srf": true, "cookiesdisabled": true,
	"jsdisabled": true, "getcredentialtype": true, "your_tenant": true, "{tenant}": true,
	"tenant_id": true, "{tenantid}": true, "<tenant>": true, "<tenant-id>": true,
}

// reTenantSegment is a tenant ID or domain, or a CI mask ("***") standing
// for one.
var reTenantSegment = regexp.MustCompile(`^(?:\*{3,}|[a-z0-9][a-z0-9._-]+)`)

// authorityPaths are what follows the tenant in an authority or one of its
// endpoints. A segment followed by anything else is not read as a tenant:
// "https://login.microsoftonline.com/common/oauth2/nativeclient" is a
// redirect URI, not the authority the request went to.
var authorityPaths = []string{
	"/oauth2/token", "/oauth2/authorize", "/oauth2/devicecode", "/oauth2/logout",
	"/oauth2/v2.0/token", "/oauth2/v2.0/authorize", "/oauth2/v2.0/devicecode", "/oauth2/v2.0/logout",
	"/v2.0", "/saml2", "/saml", "/wsfed", "/federationmetadata", "/discovery", "/.well-known",
	"/reprocess", "/login", "/kmsi",
}

// endsAuthority reports whether rest, the text after a tenant segment,
// continues the URL as an authority: the URL ends there (an authority
// alone), or goes on with one of the authority's endpoints.
func endsAuthority(rest string) bool {
	if rest == "" {
		return true
	}
	if rest[0] == '/' && (len(rest) == 1 || !isURLByte(rest[1])) {
		return true
	}
	if !isURLByte(rest[0]) {
		return true
	}
	for _, p := range authorityPaths {
		if strings.HasPrefix(rest, p) && (len(rest) == len(p) || !isWordByte(rest[len(p)])) {
			return true
		}
	}
	return false
}

// isURLByte: a byte that may go on a URL's path.
func isURLByte(c byte) bool {
	return isWordByte(c) || strings.IndexByte("-._~/?#%=&+@!$*", c) >= 0
}

// tenantFromURL finds the tenant in the path of a token-service URL
// (https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token).
func tenantFromURL(t text) (string, int, bool) {
	low := t.low
	bestPos := -1
	var bestVal string
	for _, host := range stsHosts {
		for from, tries := 0, 0; from < len(low) && tries < maxTries; tries++ {
			i := strings.Index(low[from:], host)
			if i < 0 {
				break
			}
			i += from
			from = i + len(host)
			if bestPos >= 0 && i > bestPos {
				break
			}
			if issuerQuoted(low, i) {
				continue
			}
			seg := reTenantSegment.FindString(low[from:min(from+110, len(low))])
			seg = strings.TrimRight(seg, ".")
			if seg == "" || notTenants[seg] {
				continue
			}
			if !endsAuthority(low[from+len(seg) : min(from+len(seg)+40, len(low))]) {
				continue
			}
			if bestPos < 0 || from < bestPos {
				bestPos, bestVal = from, t.orig[from:from+len(seg)]
			}
			break
		}
	}
	return bestVal, bestPos, bestPos >= 0
}

// issuerQuoted reports whether the URL whose host starts at i is quoted as
// an identity provider ("User account '{EmailHidden}' from identity
// provider 'https://sts.windows.net/<tenant>/' does not exist in tenant"):
// that is the user's home tenant as an issuer, not the tenant the request
// went to.
func issuerQuoted(low string, i int) bool {
	before := low[max(0, i-40):i]
	return strings.Contains(before, "identity provider")
}
