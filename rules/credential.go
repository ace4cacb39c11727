package rules

import (
	"fmt"

	"github.com/aadsts/aadsts/directory"
)

// checkCredential: a public client must not send a credential (700025), a
// confidential one must send one (7000218), then the credential itself.
func checkCredential(res *RequestResult, in TokenRequest) bool {
	form := in.Form
	secret, hasSecret := form.Get("client_secret"), form.Has("client_secret")
	if in.BasicPassword != "" && !hasSecret {
		secret, hasSecret = in.BasicPassword, true
	}
	assertion, hasAssertion := form.Get("client_assertion"), form.Get("client_assertion") != ""
	aType := form.Get("client_assertion_type")
	app := res.App
	if app != nil && app.IsFallbackPublicClient != nil && *app.IsFallbackPublicClient && (hasSecret || hasAssertion) {
		res.add(fail("request.credential", errPublicClientCredential(), "the app is a public client (isFallbackPublicClient=true) and the request carries a credential",
			"Remove the credential from the request, or set 'Allow public client flows' to No for a confidential app."))
		return false
	}
	if hasAssertion && aType != AssertionTypeJWTBearer {
		detail := "client_assertion was sent without client_assertion_type"
		if aType != "" {
			detail = fmt.Sprintf("client_assertion_type is %q, not %s: Entra does not read the assertion (inferred)", aType, AssertionTypeJWTBearer)
		}
		e := errNoCredential()
		if res.GrantType == GrantClientCredentials {
			e = errNoCredentialClientCredentials()
		}
		res.add(fail("request.assertion-type", e, detail,
			"Send client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer with the assertion."))
		return false
	}
	if !hasSecret && !hasAssertion {
		if res.GrantType != GrantClientCredentials && (app == nil || publicCapable(app)) {
			res.add(skip("request.credential", "no client credential: a public client flow"))
			return true
		}
		e := errNoCredential()
		if res.GrantType == GrantClientCredentials {
			e = errNoCredentialClientCredentials()
		}
		res.add(fail("request.credential", e, "the request has neither client_secret nor client_assertion",
			"Send the client secret (client_secret) or a signed certificate assertion (client_assertion + client_assertion_type); a public client app must enable 'Allow public client flows'."))
		return false
	}
	if hasSecret && hasAssertion {
		res.add(warn("request.single-credential", "both client_secret and client_assertion were sent; Entra authenticates with the assertion (unverified)",
			"Send exactly one credential."))
	}
	var cr Result
	if hasAssertion {
		cr = checkAssertion(in, res, assertion)
	} else {
		cr = CheckSecret(SecretInput{Now: in.Now, App: app, ClientID: res.ClientID, Secret: secret})
	}
	res.merge(cr)
	return !res.failed()
}

// publicCapable reports whether an app may use user flows without a
// credential: public client flows allowed, or a mobile/desktop or SPA
// platform redirect URI registered.
func publicCapable(app *directory.Application) bool {
	return app.IsFallbackPublicClient != nil && *app.IsFallbackPublicClient ||
		len(app.PublicClient.RedirectURIs) > 0 || len(app.SPA.RedirectURIs) > 0
}
