package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
)

// OBOInput is the user assertion of an on-behalf-of request
// (grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer,
// requested_token_use=on_behalf_of): the access token the middle tier
// received, checked against the middle tier's application.
type OBOInput struct {
	Now time.Time
	// Assertion is the "assertion" parameter.
	Assertion string
	// App is the middle tier: the client of the OBO request.
	App *directory.Application
	// Keys are the signing keys of the issuer of the user token (Entra's,
	// or the emulator's). Nil skips the signature check (offline).
	Keys []jose.JWK
}

// CheckOBOAssertion applies the checks of client-assertion-rules.md §6 to
// an on-behalf-of user assertion: a JWS (50027), signed by the issuer's key
// (50013), not expired (500133, no skew), not an ID token (240002), for the
// middle tier as audience, by app id or one of its identifier URIs
// (500131), and a user token (50013).
func CheckOBOAssertion(in OBOInput) Result {
	var r Result
	t, err := jose.Decode(in.Assertion)
	if err != nil {
		r.add(fail("obo.structure", errMalformedJWT(), "the assertion is not a compact JWS: "+err.Error(), "Send the user's access token as it was received, without the Bearer prefix."))
		return r
	}
	r.add(pass("obo.structure", "a compact JWS"))
	k, found := jose.KeyFor(in.Keys, t)
	switch {
	case in.Keys == nil:
		r.add(skip("obo.signature", "the issuer's keys were not given: the signature was not verified"))
	case !found || k.Public == nil:
		r.add(fail("obo.signature", errOBOSignature("The key was not found."), fmt.Sprintf("kid %q is not one of the issuer's signing keys", t.Kid()),
			"Pass the access token Entra issued for your API; a token from another issuer, or one for Microsoft Graph, cannot be used."))
		return r
	case jose.Verify(t, k.Public, []string{"RS256"}) != nil:
		r.add(fail("obo.signature", errOBOSignature("The provided signature value did not match the expected signature value."), "the signature does not verify with key "+k.Kid,
			"The token was altered, or it carries a nonce header (a Graph token): request a token for your API."))
		return r
	default:
		r.add(pass("obo.signature", "signed by the issuer's key "+k.Kid))
	}
	exp, hasExp := t.TimeClaim("exp")
	if !hasExp {
		exp = time.Unix(0, 0).UTC() // printed as Entra prints a missing exp (§3.2)
	}
	if !in.Now.Before(exp) {
		r.add(fail("obo.time-window", errOBOExpired(in.Now, exp), fmt.Sprintf("the user token expired at %s", fmtTime(exp)),
			"Ask the client for a fresh access token before calling on-behalf-of (MSAL's AcquireTokenSilent on the client)."))
		return r
	}
	r.add(pass("obo.time-window", "valid until "+fmtTime(exp)))
	_, hasScp := t.Claim("scp")
	_, hasNonce := t.Claim("nonce")
	if !hasScp && (hasNonce || t.StringClaim("at_hash") != "" || t.StringClaim("c_hash") != "") && t.StringClaim("idtyp") != "app" {
		r.add(fail("obo.token-type", errOBOIDToken(), "the assertion is an ID token (nonce or at_hash, no scp)",
			"Send the access token the client got for your API, not its ID token."))
		return r
	}
	aud := t.StringClaim("aud")
	if in.App != nil && !audienceIsApp(aud, in.App) {
		r.add(fail("obo.audience", errOBOAudience(aud, in.App.AppID, in.App.DisplayName), fmt.Sprintf("the user token is for %q, not for the middle tier %s", aud, in.App.AppID),
			"The client must request a token for the middle tier's scope (api://{middle-tier-app-id}/...), not for the downstream API.").with("aud", aud))
		return r
	}
	r.add(pass("obo.audience", "the token is for the middle tier"))
	if t.StringClaim("idtyp") == "app" || t.StringClaim("oid") == "" || !hasScp && t.StringClaim("idtyp") != "user" {
		r.add(fail("obo.user", errOBONotUserToken(), "the assertion is an app-only token: on-behalf-of needs a user's delegated token",
			"Use the client credentials grant for app-only calls; on-behalf-of exchanges a user's token."))
		return r
	}
	r.add(pass("obo.user", "a delegated user token (oid "+t.StringClaim("oid")+")"))
	return r
}

// audienceIsApp reports whether aud names app: its app id or one of its
// identifier URIs (trailing slash ignored).
func audienceIsApp(aud string, app *directory.Application) bool {
	if strings.EqualFold(aud, app.AppID) {
		return true
	}
	for _, u := range app.IdentifierURIs {
		if strings.EqualFold(strings.TrimSuffix(aud, "/"), strings.TrimSuffix(u, "/")) {
			return true
		}
	}
	return false
}
