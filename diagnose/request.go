package diagnose

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/rules"
)

// RequestOptions are the inputs of `aadsts diagnose request`.
type RequestOptions struct {
	Env
	// Text is a curl command line, a raw HTTP request or a form body.
	Text string
	// URL is the token endpoint when Text is only a form body.
	URL string
	// App names an app registration export (optional).
	App string
}

// Request diagnoses a token request: parameters, tenant, credential and
// scope, as Entra checks them. Secrets and assertions in the request are
// never reported.
func Request(o RequestOptions) (*Report, error) {
	p, err := ParseRequest(o.Text)
	if err != nil {
		return nil, usagef("request: %v", err)
	}
	if o.URL != "" {
		p.URL = o.URL
	}
	in := rules.TokenRequest{Now: o.now(), TokenEndpoint: p.URL, Method: p.Method, ContentType: p.ContentType, Form: p.Form, Query: p.Query,
		BasicUser: p.BasicUser, BasicPassword: p.BasicPassword}
	if o.App != "" {
		d, err := o.readApps(o.App)
		if err != nil {
			return nil, err
		}
		in.Directory = withTenantOf(d, p.URL)
	}
	res := rules.CheckTokenRequest(in)
	all := res.Result
	if all.Verdict == nil && res.GrantType == rules.GrantJWTBearer && p.Form.Get("assertion") != "" {
		// On-behalf-of: the user's token, without its issuer's keys.
		obo := rules.CheckOBOAssertion(rules.OBOInput{Now: in.Now, Assertion: p.Form.Get("assertion"), App: res.App})
		all.Findings = append(all.Findings, obo.Findings...)
		all.Verdict = obo.Verdict
	}
	r := newReport(KindRequest, all)
	r.fact("method", p.Method)
	r.fact("url", p.URL)
	r.fact("content_type", p.ContentType)
	for _, k := range slices.Sorted(maps.Keys(p.Form)) {
		r.fact("form."+k, redactParam(k, p.Form.Get(k)))
	}
	if p.BasicUser != "" {
		r.fact("basic_auth_user", p.BasicUser)
	}
	r.Notes = append(r.Notes, p.Problems...)
	return r, nil
}

// withTenantOf gives an export's unnamed tenant the id of the URL's tenant
// segment, so that a Graph export (which names no tenant) is found.
func withTenantOf(d *directory.Directory, rawURL string) *directory.Directory {
	seg := rules.ParseEndpoint(rawURL).Tenant
	for i := range d.Tenants {
		if d.Tenants[i].ID == "" && seg != "" {
			if cred.IsGUID(seg) {
				d.Tenants[i].ID = seg
			} else {
				d.Tenants[i].Domains = append(d.Tenants[i].Domains, seg)
			}
		}
	}
	return d
}

// redactParam hides credentials: a secret shows its hint and fingerprint,
// an assertion or token its redacted form.
func redactParam(k, v string) string {
	switch k {
	case "client_secret", "password":
		sh := cred.ShapeOfSecret(v)
		return fmt.Sprintf("[secret, %d chars, %s%s]", sh.Length, hintOf(sh), sh.Fingerprint)
	case "client_assertion", "assertion", "refresh_token", "code", "code_verifier", "device_code":
		return cred.Redact(v)
	}
	return v
}

// summary of what a parsed request held, for messages.
func (p ParsedRequest) String() string {
	return fmt.Sprintf("%s %s (%s, %d form parameters)", p.Method, p.URL, p.ContentType, len(p.Form))
}

// hintOf shows a secret's first three characters (what Graph shows as its
// hint) only when the secret is long enough for them to reveal little.
func hintOf(sh cred.SecretShape) string {
	if sh.Length < 16 || sh.Hint == "" {
		return ""
	}
	return "hint " + sh.Hint + "…, "
}
