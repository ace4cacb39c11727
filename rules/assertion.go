package rules

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
)

// AssertionInput is a client assertion to check as Entra would.
type AssertionInput struct {
	Now  time.Time
	Skew time.Duration // DefaultSkew when zero
	// Assertion is the client_assertion value as received.
	Assertion string
	// ClientID is the client_id parameter ("" when not known: the app's
	// appId, else the assertion's own iss, is used).
	ClientID string
	// TokenEndpoint is the URL the assertion was posted to ("" when not
	// known: aud is then checked for shape only).
	TokenEndpoint string
	// Tenant and App are the directory objects (nil when unknown).
	Tenant *directory.Tenant
	App    *directory.Application
	// ExtraCerts verify the signature when the registered keyCredential
	// has no certificate bytes and the thumbprints match.
	ExtraCerts []*x509.Certificate
	// IssuerKeys are external issuers' signing keys (federated assertions).
	IssuerKeys map[string][]jose.JWK
}

func (in AssertionInput) skew() time.Duration {
	if in.Skew == 0 {
		return DefaultSkew
	}
	return in.Skew
}

// Assertion header problems Entra would not repair: it reads the parameter
// as it is. Other jose problems (padding, the standard alphabet) are
// tolerated by .NET's base64url decoder and only warned about.
var fatalTokenProblems = []string{"bearer-prefix", "quotes", "whitespace", "url-encoded", "double-encoded", "bom", "jwe"}

// checkAssertion runs CheckClientAssertion for a token request.
func checkAssertion(in TokenRequest, res *RequestResult, raw string) Result {
	return CheckClientAssertion(AssertionInput{
		Now: in.Now, Skew: in.Skew, Assertion: raw, ClientID: res.ClientID,
		TokenEndpoint: in.TokenEndpoint, Tenant: res.Tenant, App: res.App,
		ExtraCerts: in.ExtraCerts, IssuerKeys: in.IssuerKeys,
	})
}

// CheckClientAssertion applies Entra's checks to a client assertion, in
// Entra's order: JWS structure (50027), alg (5002738), a key identifier
// (5002723), iss and aud present (90014), then for a certificate assertion
// iss = client_id (700021), sub = iss (50048), aud = the endpoint called
// (700023), time window (700024), key registered (700027), key in its
// validity window (700027) and signature (700027); for a federated
// assertion (iss is not the client id) the federated identity credential
// matching of §7 (700211, 700213, 7002138, 7002137, 700212, 700024, 700229).
func CheckClientAssertion(in AssertionInput) Result {
	var r Result
	t, ok := assertionStructure(&r, in.Assertion)
	if !ok {
		return r
	}
	alg := t.Alg()
	if !slices.Contains(AllowedAssertionAlgs, alg) {
		shown := alg
		if shown == "" {
			shown = "none"
		}
		fix := "Sign with RS256 or PS256 using the certificate's RSA private key."
		if strings.HasPrefix(alg, "ES") {
			fix = "Entra accepts only RSA certificates for client assertions: create an RSA certificate (2048 bits or more) and sign with PS256 or RS256."
		} else if strings.HasPrefix(alg, "HS") {
			fix = "client_secret_jwt (HS256) is not supported by Entra: use a certificate (RS256/PS256) or send client_secret."
		}
		r.add(fail("assertion.alg", errAlg(shown), fmt.Sprintf("header alg is %q; allowed: %s", alg, strings.Join(AllowedAssertionAlgs, ", ")), fix).with("alg", alg))
		return r
	}
	r.add(pass("assertion.alg", "alg "+alg))
	if t.X5t() == "" && t.X5tS256() == "" && t.Kid() == "" {
		r.add(fail("assertion.kid", errNoKeyID(), "the header has none of x5t, x5t#S256 or kid",
			"Put the certificate thumbprint in the header: x5t = base64url(SHA-1 of the DER certificate), or x5t#S256 with PS256. MSAL does this for you."))
		return r
	}
	r.add(pass("assertion.kid", "the header names a key ("+strings.Join(headerIDNames(t), ", ")+")"))
	iss := t.StringClaim("iss")
	if iss == "" {
		r.add(fail("assertion.iss-sub", errMissingField("iss"), "the assertion has no iss claim", "Set iss and sub to the application (client) ID."))
		return r
	}
	if _, has := t.Claim("aud"); !has {
		r.add(fail("assertion.aud", errMissingField("aud"), "the assertion has no aud claim", "Set aud to the token endpoint URL you post to."))
		return r
	}
	if _, isArray := t.Claims["aud"].([]any); isArray {
		r.add(fail("assertion.aud", errMalformedJWT(), "aud is a JSON array; Entra wants a single string",
			"Set aud to one string: the token endpoint URL (some OIDC client libraries send [issuer, token_endpoint])."))
		return r
	}
	clientID := in.ClientID
	if clientID == "" && in.App != nil {
		clientID = in.App.AppID
	}
	if clientID == "" {
		clientID = iss
	}
	if !strings.EqualFold(iss, clientID) && (isFederatedIssuer(iss) || in.App != nil && len(in.App.FederatedIdentityCredentials) > 0) {
		checkFederated(&r, in, t)
		return r
	}
	checkCertificateAssertion(&r, in, t, clientID)
	return r
}

// assertionStructure decodes the assertion (50027 when it is not a JWS).
func assertionStructure(r *Result, raw string) (*jose.JWT, bool) {
	t, err := jose.Decode(raw)
	if err != nil {
		r.add(fail("assertion.structure", errMalformedJWT(), "the client_assertion is not a compact JWS: "+err.Error(),
			"Send the signed JWT itself (header.payload.signature, base64url), nothing around it."))
		return nil, false
	}
	for _, p := range t.Problems {
		if slices.Contains(fatalTokenProblems, p.ID) {
			r.add(fail("assertion.structure", errMalformedJWT(), p.Detail, "Send the JWT text exactly: no quotes, prefix, line breaks or extra encoding."))
			return nil, false
		}
	}
	r.add(pass("assertion.structure", "a compact JWS"))
	for _, p := range t.Problems {
		r.add(warn("assertion.encoding", p.Detail, "Encode JWT segments as unpadded base64url."))
	}
	return t, true
}

func headerIDNames(t *jose.JWT) []string {
	var n []string
	if t.X5t() != "" {
		n = append(n, "x5t")
	}
	if t.X5tS256() != "" {
		n = append(n, "x5t#S256")
	}
	if t.Kid() != "" {
		n = append(n, "kid")
	}
	return n
}

// isFederatedIssuer reports whether iss is an issuer URL rather than a
// client id: the mark of a workload identity federation token.
func isFederatedIssuer(iss string) bool {
	return strings.Contains(iss, "://")
}

func checkCertificateAssertion(r *Result, in AssertionInput, t *jose.JWT, clientID string) {
	iss, sub := t.StringClaim("iss"), t.StringClaim("sub")
	if !strings.EqualFold(iss, clientID) {
		r.add(fail("assertion.iss-sub", errIssMismatch(), fmt.Sprintf("iss %q is not the client_id %q", iss, clientID),
			"Set iss and sub to the application (client) ID you send as client_id.").with("iss", iss, "client_id", clientID))
		return
	}
	if sub != iss {
		r.add(fail("assertion.iss-sub", errSubMismatch(), fmt.Sprintf("sub %q differs from iss %q", sub, iss),
			"Set sub to the same value as iss: the application (client) ID.").with("iss", iss, "sub", sub))
		return
	}
	r.add(pass("assertion.iss-sub", "iss and sub are the client id "+iss))
	if !checkAudience(r, in, t) {
		return
	}
	if !checkTimeWindow(r, in.Now, in.skew(), t, "assertion.time-window") {
		return
	}
	checkKey(r, in, t)
}

// TimeVerdict is the outcome of judging a token's nbf/exp window at a
// moment, with a tolerated clock skew.
type TimeVerdict int

// TimeVerdict values.
const (
	InTime TimeVerdict = iota
	// Expired: exp is more than the skew before now, or missing.
	Expired
	// NotYetValid: nbf is more than the skew after now.
	NotYetValid
)

// JudgeTimes says whether a token valid from nbf (zero: no nbf, which
// never fails) until exp (zero: no exp, read as 1970-01-01 and so expired)
// is in time at now, allowing skew either way; expiry is judged first.
// It is the one lifetime rule both sides use: Entra on a client assertion
// or federated token (skew DefaultSkew; client-assertion-rules.md §8: exp
// > now − skew, nbf ≤ now + skew; anything but InTime is AADSTS700024)
// and Microsoft.IdentityModel on a token an API receives (skew
// DefaultLeeway; IDX10223 expired, IDX10222 not yet valid).
func JudgeTimes(now, nbf, exp time.Time, skew time.Duration) TimeVerdict {
	switch {
	case exp.IsZero() || now.After(exp.Add(skew)):
		return Expired
	case !nbf.IsZero() && nbf.After(now.Add(skew)):
		return NotYetValid
	}
	return InTime
}

// checkTimeWindow: exp must not be past and nbf not in the future, with
// skew (700024). A missing exp reads as the Unix epoch, as Entra prints it.
func checkTimeWindow(r *Result, now time.Time, skew time.Duration, t *jose.JWT, id string) bool {
	exp, hasExp := t.TimeClaim("exp")
	nbf, hasNbf := t.TimeClaim("nbf")
	// TimeClaim gives the zero time for an absent claim, as the verdict wants.
	verdict := JudgeTimes(now, nbf, exp, skew)
	epoch := time.Unix(0, 0).UTC()
	if !hasExp {
		exp = epoch
	}
	shownNbf := nbf
	if !hasNbf {
		shownNbf = epoch
	}
	facts := []string{"now", now.UTC().Format(time.RFC3339), "exp", fmtTime(exp), "nbf", fmtTime(nbf)}
	e := errTimeWindow(now, shownNbf, exp)
	switch {
	case !hasExp:
		r.add(fail(id, e, "the assertion has no exp claim (Entra reads it as 1970-01-01)", "Set exp, 5 to 10 minutes after nbf.").with(facts...))
		return false
	case verdict == Expired:
		r.add(fail(id, e, fmt.Sprintf("expired at %s, %s before now (skew allowed %s)", fmtTime(exp), now.Sub(exp).Round(time.Second), skew),
			"Build a fresh assertion for each request (do not cache one past exp), use UTC, and sync the clock (w32tm /resync, chronyc makestep).").with(facts...))
		return false
	case verdict == NotYetValid:
		r.add(fail(id, e, fmt.Sprintf("not valid before %s, %s after now (skew allowed %s)", fmtTime(nbf), nbf.Sub(now).Round(time.Second), skew),
			"The signing machine's clock is ahead, or nbf was built from local time instead of UTC: sync the clock and use UTC.").with(facts...))
		return false
	}
	r.add(pass(id, fmt.Sprintf("valid until %s (now %s)", fmtTime(exp), fmtTime(now))).with(facts...))
	return true
}
