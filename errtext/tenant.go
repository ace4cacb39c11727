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

var reTenantSegment = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]+`)

// tenantFromURL finds the tenant in the path of a token-service URL
// (https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token).
func tenantFromURL(t text) (string, int, bool) {
	low := t.low
	bestPos := -1
	var bestVal string
	for _, host := range stsHosts {
		for from := 0; from < len(low); {
			i := strings.Index(low[from:], host)
			if i < 0 {
				break
			}
			i += from
			from = i + len(host)
			if bestPos >= 0 && i > bestPos {
				break
			}
			seg := reTenantSegment.FindString(low[from:min(from+110, len(low))])
			seg = strings.TrimRight(seg, ".")
			if seg == "" || notTenants[seg] {
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
