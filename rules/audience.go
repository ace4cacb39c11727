package rules

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
)

// EntraHosts are the login hosts of the Entra clouds (entra-protocol.md §1).
var EntraHosts = []string{
	"login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net",
	"login.microsoftonline.us", "login.usgovcloudapi.net", "login-us.microsoftonline.com",
	"login.partner.microsoftonline.cn", "login.chinacloudapi.cn", "login.microsoftonline.de",
	"login.sovcloud-identity.fr", "login.sovcloud-identity.de", "login.sovcloud-identity.sg",
}

// checkAudience: aud must be the token endpoint the request was sent to,
// same host (case-insensitive), v1 or v2 path, tenant as GUID or verified
// domain of the tenant (700023). Without the endpoint, aud is checked for
// shape: an Entra host, a token path and a specific tenant.
func checkAudience(r *Result, in AssertionInput, t *jose.JWT) bool {
	aud := t.StringClaim("aud")
	got := ParseEndpoint(aud)
	u, perr := url.Parse(aud)
	bad := func(detail, fix string) bool {
		f := fail("assertion.aud", errAudience(), detail, fix).with("aud", aud)
		if in.TokenEndpoint != "" {
			f = f.with("token_endpoint", in.TokenEndpoint)
		}
		r.add(f)
		return false
	}
	fix := "Set aud to exactly the token endpoint you post to, e.g. https://login.microsoftonline.com/{tenant-id}/oauth2/v2.0/token (same host, tenant id or verified domain, no query)."
	if perr != nil || !got.Token || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(u.Path, "/") {
		return bad(fmt.Sprintf("aud %q is not a token endpoint URL", aud), fix)
	}
	lower := strings.ToLower(got.Tenant)
	if lower == TenantCommon || lower == TenantOrganizations || lower == TenantConsumers {
		return bad(fmt.Sprintf("aud names the /%s endpoint; it must name the tenant", got.Tenant), fix)
	}
	if in.TokenEndpoint == "" {
		if got.Host == "sts.windows.net" {
			return bad("aud is on sts.windows.net, the v1 issuer host; clients post to login.microsoftonline.com, and aud must name the host posted to", fix)
		}
		if !slices.Contains(EntraHosts, got.Host) && !strings.HasSuffix(got.Host, ".login.microsoft.com") {
			r.add(warn("assertion.aud", fmt.Sprintf("aud host %s is not an Entra login host; without --token-endpoint it cannot be compared", got.Host), fix).with("aud", aud))
			return true
		}
		if in.Tenant != nil && !tenantNames(in.Tenant, got.Tenant) {
			full := in.Tenant.ID != "" && len(in.Tenant.Domains) > 0
			sameForm := isGUID(got.Tenant) == (in.Tenant.ID != "")
			if full || sameForm {
				return bad(fmt.Sprintf("aud names tenant %q, not the tenant given (%s)", got.Tenant, strings.Join(append([]string{in.Tenant.ID}, in.Tenant.Domains...), ", ")), fix)
			}
		}
		r.add(warn("assertion.aud", "aud has the shape of an Entra token endpoint; give the URL posted to (--token-endpoint) to compare it exactly", "").with("aud", aud))
		return true
	}
	want := ParseEndpoint(in.TokenEndpoint)
	if got.Host != want.Host || !strings.EqualFold(got.Scheme, want.Scheme) {
		return bad(fmt.Sprintf("aud host %s differs from the host posted to, %s: aliases route to the same service but are not accepted in aud", got.Host, want.Host), fix)
	}
	// Both the tenant's id and its domains are known only from a full
	// directory (the emulator's); an export or --tenant gives one form.
	known := in.Tenant != nil && in.Tenant.ID != "" && len(in.Tenant.Domains) > 0
	switch {
	case strings.EqualFold(got.Tenant, want.Tenant):
	case known && tenantNames(in.Tenant, got.Tenant):
	case !known && isGUID(got.Tenant) != isGUID(want.Tenant):
		r.add(warn("assertion.aud", fmt.Sprintf("aud names tenant %q and the URL %q: one is a GUID and one a domain, which Entra accepts when both are the same tenant", got.Tenant, want.Tenant), "").with("aud", aud))
		return true
	default:
		return bad(fmt.Sprintf("aud names tenant %q but the request went to tenant %q", got.Tenant, want.Tenant), fix)
	}
	r.add(pass("assertion.aud", "aud is the token endpoint posted to").with("aud", aud))
	return true
}

// tenantNames reports whether segment is t's id or one of its domains.
func tenantNames(t *directory.Tenant, segment string) bool {
	if strings.EqualFold(t.ID, segment) {
		return true
	}
	for _, d := range t.Domains {
		if strings.EqualFold(d, segment) {
			return true
		}
	}
	return false
}
