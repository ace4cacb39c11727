package inspect

import (
	"fmt"
	"github.com/aadsts/aadsts/cred"
	"sort"
	"strings"
	"time"

	"github.com/aadsts/aadsts/jose"
)

// Token describes a JWT (or the header of a JWE) without its raw text.
type Token struct {
	Redacted string  `json:"redacted"`
	Header   []Field `json:"header"`
	Claims   []Field `json:"claims"`
	// Version is "1.0" or "2.0" (from ver, else from the issuer), or "".
	Version string `json:"version,omitempty"`
	// Type is "access-token", "id-token", "client-assertion" or "".
	Type string `json:"type,omitempty"`
	// Flow is "app-only" or "delegated" for access tokens.
	Flow string `json:"flow,omitempty"`
	// Status is "valid", "expired" or "not-yet-valid" by exp/nbf.
	Status    string   `json:"status,omitempty"`
	Validity  string   `json:"validity,omitempty"`
	Notes     []string `json:"notes,omitempty"`
	Signature string   `json:"signature"`
	// SignatureValid is set when a key given alongside (a JWKS, a
	// certificate, a key, or the token's own x5c) was tried.
	SignatureValid *bool `json:"signature_valid,omitempty"`
}

// Field is one header member or claim with its meaning.
type Field struct {
	Name    string     `json:"name"`
	Value   any        `json:"value"`
	Time    *time.Time `json:"time,omitempty"`
	When    string     `json:"when,omitempty"`
	Meaning string     `json:"meaning,omitempty"`
}

const msaTenant = "9188040d-6c67-4c5b-b112-36a304b66dad"
const graphAppID = "00000003-0000-0000-c000-000000000000"

var claimMeaning = map[string]string{
	"aud": "audience: the API the token is for", "iss": "issuer: who minted it", "sub": "subject",
	"exp": "expires", "nbf": "not valid before", "iat": "issued at", "auth_time": "user authenticated at",
	"tid": "tenant ID", "oid": "object ID of the user or service principal", "appid": "client (application) ID of the caller (v1)",
	"azp": "client (application) ID of the caller (v2)", "appidacr": "how the client authenticated: 0 public, 1 secret, 2 certificate",
	"azpacr": "how the client authenticated: 0 public, 1 secret, 2 certificate", "scp": "delegated permissions (scopes)",
	"roles": "application permissions or app roles", "idtyp": "identity type: app or user", "ver": "token version",
	"nonce": "nonce echoed from the sign-in request", "upn": "user principal name", "unique_name": "user name (v1)",
	"preferred_username": "user name (v2, not for authorization)", "jti": "token ID", "uti": "token ID (Entra internal)",
	"x5t": "SHA-1 thumbprint of the signing certificate (base64url)", "x5t#S256": "SHA-256 thumbprint of the signing certificate (base64url)",
	"kid": "key ID: which key of the issuer signed it", "alg": "signing algorithm", "typ": "type", "x5c": "the signing certificate chain",
	"amr": "how the user authenticated", "idp": "identity provider", "acr": "authentication context class", "wids": "directory role template IDs",
	"groups": "group object IDs", "hasgroups": "too many groups to list: query Graph", "_claim_names": "group overage: groups must be fetched from Graph",
	"c_hash": "hash of the authorization code", "at_hash": "hash of the access token", "pwd_exp": "seconds until the password expires",
}

func tokenReport(r *Report, t *jose.JWT, now time.Time) {
	tok := &Token{Redacted: t.Redacted(), Signature: "not verified: give the key set or certificate too (aadsts inspect token.jwt keys.json)"}
	r.jwt = t
	for _, n := range t.HeaderNames() {
		tok.Header = append(tok.Header, Field{Name: n, Value: redactHeader(n, t.Header[n]), Meaning: claimMeaning[n]})
	}
	for _, n := range t.ClaimNames() {
		f := Field{Name: n, Value: t.Claims[n], Meaning: claimMeaning[n]}
		switch n {
		case "exp", "nbf", "iat", "auth_time":
			if ts, ok := t.TimeClaim(n); ok {
				f.Time, f.When = &ts, Relative(ts, now)
			}
		}
		tok.Claims = append(tok.Claims, f)
	}
	for _, p := range t.Problems {
		r.Problems = append(r.Problems, Problem(p))
	}
	thumbProblems, thumbNotes := headerThumbprints(t)
	r.Problems = append(r.Problems, thumbProblems...)
	r.Token = tok
	if t.Claims == nil {
		r.Kind, r.Summary = KindJWE, "an encrypted token (JWE): only its recipient can read the claims"
		tok.Signature = "not applicable"
		return
	}
	explainToken(tok, t, now)
	tok.Notes = append(tok.Notes, thumbNotes...)
	r.Kind = KindJWT
	r.Summary = strings.TrimSpace(fmt.Sprintf("a v%s %s", orDash(tok.Version), orWord(tok.Type, "JWT")))
	if tok.Flow != "" {
		r.Summary += " (" + tok.Flow + ")"
	}
}

func redactHeader(name string, v any) any {
	if name != "x5c" {
		return v
	}
	list, _ := v.([]any)
	return fmt.Sprintf("%d certificate(s)", len(list))
}

func orDash(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

func orWord(s, w string) string {
	if s == "" {
		return w
	}
	return s
}

// explainToken fills in the Entra meaning of a decoded token.
func explainToken(tok *Token, t *jose.JWT, now time.Time) {
	note := func(format string, a ...any) { tok.Notes = append(tok.Notes, fmt.Sprintf(format, a...)) }
	iss := t.StringClaim("iss")
	switch ver := t.StringClaim("ver"); {
	case ver != "":
		tok.Version = ver
	case strings.HasPrefix(iss, "https://sts.windows.net/"):
		tok.Version = "1.0"
	case strings.HasSuffix(iss, "/v2.0"):
		tok.Version = "2.0"
	}
	if strings.HasPrefix(iss, "https://sts.windows.net/") {
		note("issuer sts.windows.net: a v1.0 token (an API that expects v2.0 issuers must also accept this form, or set accessTokenAcceptedVersion to 2 in the API's manifest)")
	} else if strings.HasPrefix(iss, "https://login.microsoftonline.com/") && strings.HasSuffix(iss, "/v2.0") {
		note("issuer login.microsoftonline.com/{tenant}/v2.0: a v2.0 token")
	}
	_, hasScp := t.Claim("scp")
	_, hasRoles := t.Claim("roles")
	client := t.StringClaim("appid")
	if client == "" {
		client = t.StringClaim("azp")
	}
	switch {
	case t.Claims["nonce"] != nil || t.Claims["c_hash"] != nil || t.Claims["at_hash"] != nil:
		tok.Type = "id-token"
	case hasScp || hasRoles || client != "":
		tok.Type = "access-token"
	case iss != "" && iss == t.StringClaim("sub") && len(t.Audiences()) == 1 && strings.Contains(t.Audiences()[0], "/token"):
		tok.Type = "client-assertion"
		note("iss = sub = %s and aud is a token endpoint: a client assertion a confidential client signs to authenticate", iss)
	}
	if tok.Type == "access-token" {
		switch idtyp := t.StringClaim("idtyp"); {
		case idtyp == "app" || !hasScp && hasRoles:
			tok.Flow = "app-only"
		case idtyp == "user" || hasScp:
			tok.Flow = "delegated"
		case !hasScp && t.StringClaim("oid") != "" && t.StringClaim("oid") == t.StringClaim("sub"):
			tok.Flow = "app-only"
		}
		if tok.Flow == "app-only" {
			note("app-only (client credentials): permissions are in roles, there is no signed-in user")
		} else if tok.Flow == "delegated" {
			note("delegated: a user is signed in; permissions are in scp: %s", strings.Join(t.StringsClaim("scp"), " "))
		}
	}
	if client != "" {
		note("the calling application (client ID) is %s", client)
	}
	if tid := t.StringClaim("tid"); tid == msaTenant {
		note("tid %s is the consumer (Microsoft account) tenant", tid)
	} else if tid != "" {
		note("tenant %s", tid)
	}
	for _, aud := range t.Audiences() {
		switch {
		case aud == graphAppID || strings.HasPrefix(aud, "https://graph.microsoft.com"):
			note("audience is Microsoft Graph: only Graph should accept it")
		case strings.HasPrefix(aud, "https://graph.windows.net"):
			note("audience is the retired Azure AD Graph (graph.windows.net)")
		case len(aud) == 36 && strings.Count(aud, "-") == 4:
			note("audience %s is a client ID (GUID); an API configured with an App ID URI sees the URI form in v1 tokens", aud)
		case strings.HasPrefix(aud, "api://"):
			note("audience %s is an App ID URI", aud)
		}
	}
	if _, ok := t.Header["nonce"]; ok {
		note("the header has a \"nonce\": a Microsoft Graph token whose signature only Graph can verify; do not validate it in your own API (request a token for your API's scope instead)")
	}
	if roles := t.StringsClaim("roles"); len(roles) > 0 {
		sort.Strings(roles)
		note("roles: %s", strings.Join(roles, " "))
	}
	exp, hasExp := t.TimeClaim("exp")
	nbf, _ := t.TimeClaim("nbf")
	if hasExp || !nbf.IsZero() {
		tok.Status, tok.Validity = Window(nbf, exp, now)
	}
}

// headerThumbprints names x5t / x5t#S256 values that are not the right
// hash in the right encoding (the hex text of the portal's thumbprint put
// into x5t, a SHA-256 in x5t, padding), and says which certificate they
// point at in the portal's hex form, checked against x5c when present.
func headerThumbprints(t *jose.JWT) (problems []Problem, notes []string) {
	var x5c *cred.Thumbprints
	if certs := t.X5c(); len(certs) > 0 {
		tp := cred.ThumbprintsOfDER(certs[0])
		x5c = &tp
		notes = append(notes, fmt.Sprintf("x5c carries the signing certificate: SHA-1 %s", tp.SHA1Hex))
	}
	for _, h := range []struct{ name, value, kind string }{{"x5t", t.X5t(), cred.KindSHA1}, {"x5t#S256", t.X5tS256(), cred.KindSHA256}} {
		if h.value == "" {
			continue
		}
		p, err := cred.ParseThumbprintForm(h.value)
		if err != nil {
			problems = append(problems, Problem{"bad-thumbprint", fmt.Sprintf("%s %q is not a thumbprint: %v", h.name, h.value, err)})
			continue
		}
		for _, pr := range p.Problems {
			problems = append(problems, Problem{pr.ID, h.name + ": " + pr.Detail})
		}
		if p.Form == cred.FormHex {
			problems = append(problems, Problem{"hex-thumbprint-in-x5t", h.name + " holds hex text; it must be base64url of the raw hash bytes: " + p.Base64URL()})
		}
		if p.Kind != h.kind {
			problems = append(problems, Problem{"bad-thumbprint", fmt.Sprintf("%s holds a %s hash, want %s", h.name, p.Kind, h.kind)})
			continue
		}
		label := "SHA-1"
		want := ""
		if x5c != nil {
			want = x5c.SHA1Hex
		}
		if p.Kind == cred.KindSHA256 {
			label = "SHA-256"
			if x5c != nil {
				want = x5c.SHA256Hex
			}
		}
		notes = append(notes, fmt.Sprintf("%s names the certificate with %s thumbprint %s (the portal's form)", h.name, label, p.Hex()))
		if want != "" && want != p.Hex() {
			problems = append(problems, Problem{"x5t-mismatch", fmt.Sprintf("%s is not the thumbprint of the x5c certificate (%s)", h.name, want)})
		}
	}
	return problems, notes
}
