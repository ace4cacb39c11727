package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aadsts/aadsts/jose"
)

// DefaultLeeway is Microsoft.IdentityModel's default clock skew.
const DefaultLeeway = 5 * time.Minute

// NotBeforeBackdate is how far before issuance Entra sets nbf (and iat)
// in the tokens it issues (client-assertion-rules.md §3.2).
const NotBeforeBackdate = 5 * time.Minute

// TokenInput is a token an API received, and what the API validates it
// against.
type TokenInput struct {
	Now    time.Time
	Leeway time.Duration // DefaultLeeway when zero
	// Token is the JWT as received.
	Token string
	// Audiences the API accepts (its app id GUID, its App ID URI...).
	Audiences []string
	// TenantID is the tenant the API expects ("" for multi-tenant).
	TenantID string
	// Issuer is the metadata's issuer, possibly with "{tenantid}".
	// MetadataV2 says whether the metadata is the v2.0 document.
	Issuer     string
	MetadataV2 bool
	// Keys is the JWKS the API uses (nil: not given).
	Keys []jose.JWK
	// Nonce is the nonce the client sent when asking for an ID token.
	Nonce string
	// AcceptedVersion is 1 or 2 when the API accepts only that token
	// version (0: either).
	AcceptedVersion int
}

// TokenResult is the outcome of CheckToken.
type TokenResult struct {
	Result
	// Version is "1.0" or "2.0" (from ver); AppOnly is true for tokens
	// without scp (client credentials).
	Version string
	AppOnly bool
}

func idxFail(id, idx, detail, fix string) Finding {
	return Finding{ID: id, Status: Fail, IDX: idx, Detail: detail, Fix: fix}
}

// CheckToken validates a token the way an API using Microsoft.IdentityModel
// would, and names the IDX error each failure produces: structure
// (IDX14100), Graph nonce tokens, version, issuer against the metadata
// (IDX10205), audience (IDX10214), lifetime (IDX10223, IDX10222, IDX10225),
// kid in the key set (IDX10511), signature (IDX10503, IDX10504), ID token
// nonce (IDX21321), and reports scp/roles.
func CheckToken(in TokenInput) TokenResult {
	var r TokenResult
	leeway := in.Leeway
	if leeway == 0 {
		leeway = DefaultLeeway
	}
	t, err := jose.Decode(in.Token)
	if err != nil {
		r.add(idxFail("token.structure", "IDX14100", "not a signed JWT: "+err.Error(), "Pass the access token (three base64url segments), not an encrypted token, a reference token or the whole response."))
		return r
	}
	r.add(pass("token.structure", "a compact JWS"))
	for _, p := range t.Problems {
		r.add(warn("token.encoding", p.Detail, "Send the token exactly as issued."))
	}
	r.Version = t.StringClaim("ver")
	_, hasScp := t.Claim("scp")
	r.AppOnly = !hasScp
	if _, ok := t.Header["nonce"]; ok {
		r.add(idxFail("token.graph-nonce", "IDX10511", "the header has a nonce: a token for Microsoft Graph (or another first-party API), which only that API can verify",
			"Do not validate Graph tokens in your API: request a token for your own API's scope (api://{your-app-id}/.default or a scope it exposes)."))
	}
	checkTokenVersion(&r, in, t)
	checkTokenIssuer(&r, in, t)
	checkTokenAudience(&r, in, t)
	checkTokenLifetime(&r, in.Now, leeway, t)
	checkTokenSignature(&r, in, t)
	if in.Nonce != "" {
		if got := t.StringClaim("nonce"); got != in.Nonce {
			r.add(idxFail("token.nonce", "IDX21321", fmt.Sprintf("nonce claim %q is not the nonce sent", got), "Compare against the nonce of this sign-in (stored in the session or cookie)."))
		} else {
			r.add(pass("token.nonce", "nonce matches"))
		}
	}
	roles, scp := t.StringsClaim("roles"), t.StringsClaim("scp")
	switch {
	case hasScp:
		r.add(pass("token.permissions", "delegated token: scp "+strings.Join(scp, " ")+rolesNote(roles)).with("scp", strings.Join(scp, " ")))
	case len(roles) > 0:
		r.add(pass("token.permissions", "app-only token: roles "+strings.Join(roles, " ")).with("roles", strings.Join(roles, " ")))
	default:
		r.add(warn("token.permissions", "app-only token without roles: the client app has no application permission (app role) assigned on this API",
			"Grant the client an application permission of the API and admin-consent it, then get a new token."))
	}
	return r
}

func rolesNote(roles []string) string {
	if len(roles) == 0 {
		return ""
	}
	return "; roles " + strings.Join(roles, " ")
}

func checkTokenVersion(r *TokenResult, in TokenInput, t *jose.JWT) {
	v := r.Version
	if v == "" {
		r.add(warn("token.version", "no ver claim", ""))
		return
	}
	want := ""
	switch in.AcceptedVersion {
	case 1:
		want = "1.0"
	case 2:
		want = "2.0"
	}
	if want != "" && v != want {
		r.add(idxFail("token.version", "IDX10205", fmt.Sprintf("token version %s, the API accepts %s", v, want),
			"The resource app decides the version: set api.requestedAccessTokenVersion (manifest accessTokenAcceptedVersion) on the API's app registration, or accept both issuers."))
		return
	}
	r.add(pass("token.version", "version "+v))
}

// ExpectedIssuer returns the issuer a token of version ver from tenant
// tid has: v1 https://sts.windows.net/{tid}/, v2 https://login.microsoftonline.com/{tid}/v2.0.
func ExpectedIssuer(ver, tid string) string {
	if ver == "1.0" {
		return "https://sts.windows.net/" + tid + "/"
	}
	return "https://login.microsoftonline.com/" + tid + "/v2.0"
}

func checkTokenIssuer(r *TokenResult, in TokenInput, t *jose.JWT) {
	iss, tid := t.StringClaim("iss"), t.StringClaim("tid")
	if in.TenantID != "" && !isGUID(in.TenantID) {
		r.add(warn("token.tenant", fmt.Sprintf("--tenant %q is not a tenant id (GUID): tokens carry the GUID, so it was not compared", in.TenantID), "Give the tenant id (Directory (tenant) ID in the portal)."))
		in.TenantID = ""
	}
	if in.TenantID != "" && tid != "" && !strings.EqualFold(tid, in.TenantID) {
		r.add(idxFail("token.tenant", "IDX10205", fmt.Sprintf("token tenant %s, expected %s", tid, in.TenantID),
			"Get the token from the API's tenant, or configure the API as multi-tenant and validate the issuer per tenant."))
	}
	want := in.Issuer
	if strings.Contains(want, "{tenantid}") {
		if !isGUID(tid) {
			r.add(idxFail("token.issuer", "IDX10205", "the metadata issuer is a {tenantid} template and the token has no GUID tid", "Validate tokens from Entra only."))
			return
		}
		want = strings.ReplaceAll(want, "{tenantid}", tid)
	}
	if want == "" {
		if in.TenantID == "" {
			r.add(skip("token.issuer", "no metadata and no tenant: the issuer was not compared").with("iss", iss))
			return
		}
		want = ExpectedIssuer(r.Version, in.TenantID)
	}
	if iss == want {
		r.add(pass("token.issuer", "issuer "+iss).with("iss", iss))
		return
	}
	detail := fmt.Sprintf("issuer %q is not %q", iss, want)
	fix := "Validate against the metadata of the token's version and tenant."
	v1Tok, v2Meta := strings.HasPrefix(iss, "https://sts.windows.net/"), strings.HasSuffix(want, "/v2.0")
	switch {
	case v1Tok && v2Meta:
		detail += ": a v1 token checked against v2 metadata"
		fix = "Set the API's requestedAccessTokenVersion (accessTokenAcceptedVersion) to 2 to get v2 tokens, or also accept https://sts.windows.net/{tid}/ as issuer."
	case !v1Tok && strings.HasPrefix(want, "https://sts.windows.net/"):
		detail += ": a v2 token checked against v1 metadata"
		fix = "Use the v2.0 metadata (…/v2.0/.well-known/openid-configuration), or accept both issuers."
	}
	r.add(idxFail("token.issuer", "IDX10205", detail, fix).with("iss", iss, "expected", want))
}

func checkTokenAudience(r *TokenResult, in TokenInput, t *jose.JWT) {
	auds := t.Audiences()
	if len(in.Audiences) == 0 {
		r.add(skip("token.audience", "no --audience: the audience was not compared").with("aud", strings.Join(auds, ",")))
		return
	}
	for _, a := range auds {
		for _, w := range in.Audiences {
			if a == w {
				r.add(pass("token.audience", "audience "+a))
				return
			}
		}
	}
	detail := fmt.Sprintf("aud %q is none of %s", strings.Join(auds, ","), strings.Join(in.Audiences, ", "))
	fix := "Accept the audience the token carries, or request the token for the API's own scope."
	for _, a := range auds {
		for _, w := range in.Audiences {
			switch {
			case isGUID(a) && !isGUID(w):
				detail += fmt.Sprintf(": the token names the API by app id (%s), as v2 tokens do; the API expects its App ID URI", a)
				fix = "Add the API's application (client) ID to the valid audiences (v2 tokens carry the GUID)."
			case !isGUID(a) && isGUID(w):
				detail += ": the token names the API by App ID URI, as v1 tokens do; the API expects its app id GUID"
				fix = "Add the App ID URI to the valid audiences, or set requestedAccessTokenVersion to 2."
			case strings.TrimRight(a, "/") == strings.TrimRight(w, "/"):
				detail += ": they differ only by a trailing slash"
			}
		}
	}
	if slices.Contains(auds, "00000003-0000-0000-c000-000000000000") || slices.Contains(auds, "https://graph.microsoft.com") {
		detail += "; this is a Microsoft Graph token"
		fix = "Request a token for your API (api://{app-id}/.default), not for Graph."
	}
	r.add(idxFail("token.audience", "IDX10214", detail, fix).with("aud", strings.Join(auds, ",")))
}

func checkTokenLifetime(r *TokenResult, now time.Time, leeway time.Duration, t *jose.JWT) {
	exp, hasExp := t.TimeClaim("exp")
	nbf, _ := t.TimeClaim("nbf")
	facts := []string{"now", fmtTime(now), "exp", fmtTime(exp), "nbf", fmtTime(nbf)}
	verdict := JudgeTimes(now, nbf, exp, leeway)
	switch {
	case !hasExp:
		r.add(idxFail("token.lifetime", "IDX10225", "no exp claim", "").with(facts...))
	case verdict == Expired:
		r.add(idxFail("token.lifetime", "IDX10223", fmt.Sprintf("expired at %s (%s ago, leeway %s)", fmtTime(exp), now.Sub(exp).Round(time.Second), leeway),
			"Get a new token (MSAL's AcquireTokenSilent refreshes it); check the API server's clock.").with(facts...))
	case verdict == NotYetValid:
		r.add(idxFail("token.lifetime", "IDX10222", fmt.Sprintf("not valid before %s (leeway %s)", fmtTime(nbf), leeway),
			"The API server's clock is behind: sync it.").with(facts...))
	default:
		r.add(pass("token.lifetime", fmt.Sprintf("valid until %s", fmtTime(exp))).with(facts...))
	}
}

func checkTokenSignature(r *TokenResult, in TokenInput, t *jose.JWT) {
	alg := t.Alg()
	if alg == "" || alg == "none" || len(t.Signature) == 0 {
		r.add(idxFail("token.signature", "IDX10504", "the token is unsigned (alg none or an empty signature): v1 id_tokens from the token endpoint are like this", "Validate a signed token; do not accept unsigned ones."))
		return
	}
	if in.Keys == nil {
		r.add(skip("token.signature", "no key set (--jwks or --metadata): the signature was not verified"))
		return
	}
	k, ok := jose.KeyFor(in.Keys, t)
	if !ok || k.Public == nil {
		r.add(idxFail("token.kid", "IDX10511", fmt.Sprintf("kid %q is not in the key set (%d keys); older Microsoft.IdentityModel versions log this as IDX10501", firstNonEmptyString(t.Kid(), t.X5t()), len(in.Keys)),
			"Refresh the keys from jwks_uri (they rotate); an app with claims mapping signs with app-specific keys: use the metadata with ?appid={app-id}."))
		return
	}
	r.add(pass("token.kid", "kid "+k.Kid+" is in the key set"))
	if err := jose.Verify(t, k.Public, []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}); err != nil {
		r.add(idxFail("token.signature", "IDX10503", "the signature does not verify with key "+k.Kid+": "+err.Error(),
			"The token was altered, or it is a Graph token with a nonce header; validate only tokens issued for your API."))
		return
	}
	r.add(pass("token.signature", "signature verifies with key "+k.Kid))
}

func firstNonEmptyString(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
