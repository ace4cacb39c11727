package rules

import (
	"fmt"
	"strings"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
)

// isEntraIssuer reports whether iss is an Entra token issuer (v1 or v2).
func isEntraIssuer(iss string) bool {
	return strings.HasPrefix(iss, "https://sts.windows.net/") || strings.HasPrefix(iss, "https://login.microsoftonline.com/")
}

// checkFederated applies the federated identity credential matching of
// client-assertion-rules.md §7: issuer (700211), subject (700213, 7002138
// when only the case differs, 7002137 for a managed identity subject),
// audience (700212), time window (700024), app-only Entra tokens (700229)
// and the signature against the external issuer's keys.
func checkFederated(r *Result, in AssertionInput, t *jose.JWT) {
	iss, sub := t.StringClaim("iss"), t.StringClaim("sub")
	auds := t.Audiences()
	aud := strings.Join(auds, ",")
	var fics []directory.FederatedIdentityCredential
	if in.App != nil {
		fics = in.App.FederatedIdentityCredentials
	}
	facts := []string{"iss", iss, "sub", sub, "aud", aud}
	fixFIC := "Make the app's federated identity credential match the token exactly (case-sensitive, trailing slash included): az ad app federated-credential list --id {appId}."
	if in.App == nil {
		r.add(skip("federated.match", "no application given (--app): the federated identity credentials were not compared").with(facts...))
		checkFederatedToken(r, in, t)
		return
	}
	var byIssuer []directory.FederatedIdentityCredential
	var near []string
	for _, f := range fics {
		if f.Issuer == iss {
			byIssuer = append(byIssuer, f)
		} else if strings.EqualFold(strings.TrimRight(f.Issuer, "/"), strings.TrimRight(iss, "/")) {
			near = append(near, fmt.Sprintf("%q (%s)", f.Issuer, f.Name))
		}
	}
	if len(byIssuer) == 0 {
		detail := fmt.Sprintf("no federated identity credential of app %s has issuer %q", in.App.AppID, iss)
		if len(near) > 0 {
			detail += "; differing only by case or a trailing slash: " + strings.Join(near, ", ")
		}
		r.add(fail("federated.issuer", errFICIssuer(iss), detail, fixFIC).with(facts...))
		return
	}
	r.add(pass("federated.issuer", "a federated identity credential has issuer "+iss))
	var bySubject []directory.FederatedIdentityCredential
	var caseOnly bool
	for _, f := range byIssuer {
		if f.Subject == sub {
			bySubject = append(bySubject, f)
		} else if strings.EqualFold(f.Subject, sub) {
			caseOnly = true
		}
	}
	if len(bySubject) == 0 {
		switch {
		case caseOnly:
			r.add(fail("federated.subject", errFICSubjectCase(sub), fmt.Sprintf("subject %q matches a credential only when case is ignored; matching is case-sensitive since August 2024", sub), fixFIC).with(facts...))
		case isEntraIssuer(iss) && strings.HasPrefix(sub, "/eid1/"):
			r.add(fail("federated.subject", errFICManagedIdentitySubject(sub, sub), fmt.Sprintf("managed identity subject %q matches no credential", sub), "Set the credential's subject to the managed identity's subject shown in the error.").with(facts...))
		default:
			var subs []string
			for _, f := range byIssuer {
				subs = append(subs, fmt.Sprintf("%q", f.Subject))
			}
			r.add(fail("federated.subject", errFICSubject(sub), fmt.Sprintf("subject %q is none of %s", sub, strings.Join(subs, ", ")), fixFIC).with(facts...))
		}
		return
	}
	r.add(pass("federated.subject", "a credential has subject "+sub))
	var match *directory.FederatedIdentityCredential
	for i, f := range bySubject {
		for _, a := range f.Audiences {
			for _, ta := range auds {
				if a == ta {
					match = &bySubject[i]
				}
			}
		}
	}
	if match == nil {
		r.add(fail("federated.audience", errFICAudience(aud), fmt.Sprintf("token audience %q is not the credential's audience %q", aud, strings.Join(bySubject[0].Audiences, ",")),
			"Request the external token for audience api://AzureADTokenExchange (or the credential's configured audience).").with(facts...))
		return
	}
	r.Credential = &CredentialMatch{Type: "federated", KeyID: match.ID, Name: match.Name}
	r.add(pass("federated.audience", "credential "+match.Name+" matches issuer, subject and audience"))
	checkFederatedToken(r, in, t)
}

// checkFederatedToken: the external token's own checks.
func checkFederatedToken(r *Result, in AssertionInput, t *jose.JWT) {
	if !checkTimeWindow(r, in.Now, in.skew(), t, "federated.time-window") {
		return
	}
	iss := t.StringClaim("iss")
	if isEntraIssuer(iss) {
		if _, hasScp := t.Claim("scp"); hasScp || t.StringClaim("idtyp") == "user" {
			r.add(fail("federated.token-type", errFICDelegatedToken(), "the Entra-issued token is a delegated (user) token", "Use an app-only token (a managed identity or client credentials token) as the federated credential."))
			return
		}
	}
	keys, ok := in.IssuerKeys[iss]
	if !ok {
		r.add(skip("federated.signature", "the issuer's signing keys were not given: the signature was not verified"))
		return
	}
	k, found := jose.KeyFor(keys, t)
	if !found || k.Public == nil {
		r.add(fail("federated.signature", entraError{700027, ErrInvalidClient, "Client assertion failed signature validation. [Reason - The key was not found.]"},
			fmt.Sprintf("kid %q is not in the issuer's key set", t.Kid()), "Check that the token comes from the configured issuer and that its keys are published at its jwks_uri."))
		return
	}
	if err := jose.Verify(t, k.Public, AllowedAssertionAlgs); err != nil {
		r.add(fail("federated.signature", entraError{700027, ErrInvalidClient, "Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]"},
			"the signature does not verify with the issuer's key "+k.Kid+": "+err.Error(), "The token was altered or signed by another key."))
		return
	}
	r.add(pass("federated.signature", "the signature verifies with the issuer's key "+k.Kid))
}
