package inspect

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/jose"
)

// JWK describes one key of a JWK set.
type JWK struct {
	Kid         string       `json:"kid"`
	Kty         string       `json:"kty"`
	Alg         string       `json:"alg,omitempty"`
	Use         string       `json:"use,omitempty"`
	X5t         string       `json:"x5t,omitempty"`
	Issuer      string       `json:"issuer,omitempty"`
	KeyType     string       `json:"key_type"`
	Certificate *Certificate `json:"certificate,omitempty"`
	Problems    []Problem    `json:"problems,omitempty"`
}

// Discovery summarises an OpenID Connect discovery document.
type Discovery struct {
	Issuer                string   `json:"issuer"`
	Version               string   `json:"version,omitempty"`
	TokenEndpoint         string   `json:"token_endpoint,omitempty"`
	AuthorizationEndpoint string   `json:"authorization_endpoint,omitempty"`
	JWKSURI               string   `json:"jwks_uri,omitempty"`
	Notes                 []string `json:"notes,omitempty"`
}

// ThumbprintInfo shows a thumbprint given on its own in every form.
type ThumbprintInfo struct {
	Kind      string `json:"kind"`
	Form      string `json:"form"`
	Hex       string `json:"hex,omitempty"`
	Base64    string `json:"base64,omitempty"`
	Base64URL string `json:"base64url,omitempty"`
	// Withheld says the forms are not shown because the input may be a
	// client secret (see mayBeLegacySecret); Fingerprint tells it apart.
	Withheld    bool   `json:"withheld,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
}

func jwksReport(r *Report, keys []jose.JWK, now time.Time) {
	r.Kind = KindJWKS
	r.jwks = keys
	r.Summary = fmt.Sprintf("a JWK set of %s", plural(len(keys), "key"))
	for _, k := range keys {
		j := JWK{Kid: k.Kid, Kty: k.Kty, Alg: k.Alg, Use: k.Use, X5t: k.X5t, Issuer: k.Issuer, KeyType: cred.KeyDescription(k.Public)}
		if k.Cert != nil {
			c := describeCert(k.Cert, now)
			j.Certificate = &c
		}
		for _, p := range k.Problems {
			j.Problems = append(j.Problems, Problem(p))
		}
		r.JWKS = append(r.JWKS, j)
	}
}

func discoveryReport(r *Report, m map[string]any) {
	s := func(k string) string { v, _ := m[k].(string); return v }
	d := &Discovery{Issuer: s("issuer"), TokenEndpoint: s("token_endpoint"), AuthorizationEndpoint: s("authorization_endpoint"), JWKSURI: s("jwks_uri")}
	switch {
	case strings.HasPrefix(d.Issuer, "https://sts.windows.net/"):
		d.Version = "1.0"
	case strings.HasSuffix(d.Issuer, "/v2.0"):
		d.Version = "2.0"
	}
	if strings.Contains(d.Issuer, "{tenantid}") {
		d.Notes = append(d.Notes, "the issuer is a template: replace {tenantid} with the token's tid before comparing (multi-tenant validation)")
	}
	if d.Version == "1.0" {
		d.Notes = append(d.Notes, "v1.0 metadata: tokens it describes carry iss https://sts.windows.net/{tid}/")
	}
	r.Kind, r.Discovery = KindDiscovery, d
	r.Summary = "an OpenID Connect discovery document"
	if d.Version != "" {
		r.Summary += " (v" + d.Version + ")"
	}
}

// inspectJSON recognises JSON documents.
func inspectJSON(r *Report, data []byte, now time.Time) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("read %s: JSON: %v", r.Input, err)
	}
	m, _ := v.(map[string]any)
	switch {
	case m != nil && (m["keys"] != nil || m["kty"] != nil):
		keys, err := jose.ParseJWKS(data)
		if err != nil {
			return fmt.Errorf("read %s: %w", r.Input, err)
		}
		jwksReport(r, keys, now)
		return nil
	case m != nil && m["issuer"] != nil && (m["jwks_uri"] != nil || m["authorization_endpoint"] != nil):
		discoveryReport(r, m)
		return nil
	}
	if m != nil {
		for _, k := range []string{"access_token", "accessToken", "id_token", "idToken", "client_assertion", "assertion", "token"} {
			if tokText, ok := m[k].(string); ok && strings.HasPrefix(tokText, "ey") {
				t, err := jose.Decode(tokText)
				if err != nil && !errors.Is(err, jose.ErrJWE) {
					return fmt.Errorf("read %s: %s: %w", r.Input, k, err)
				}
				r.Problems = append(r.Problems, Problem{"embedded-token", fmt.Sprintf("the token shown is the %q member of this JSON", k)})
				tokenReport(r, t, now)
				return nil
			}
		}
	}
	objs := graphObjects(v)
	if len(objs) == 0 {
		r.Kind, r.Summary = KindUnrecognized, "JSON that is not a JWK set, a discovery document or Graph application/servicePrincipal JSON"
		return nil
	}
	r.Kind = KindGraph
	for _, o := range objs {
		r.Objects = append(r.Objects, describeGraphObject(o, now))
	}
	r.Summary = fmt.Sprintf("Graph JSON with %s", plural(len(r.Objects), "object"))
	return nil
}

// thumbprintReport describes the thumbprint text (trimmed) parsed as p.
func thumbprintReport(r *Report, text string, p cred.ParsedThumbprint) {
	r.Kind = KindThumbprint
	r.Summary = fmt.Sprintf("a %s thumbprint written as %s", strings.ToUpper(strings.Replace(p.Kind, "sha", "SHA-", 1)), p.Form)
	if mayBeLegacySecret(text, p) {
		r.Thumbprint = &ThumbprintInfo{Kind: p.Kind, Form: p.Form, Withheld: true, Fingerprint: cred.Fingerprint(text)}
		r.Problems = append(r.Problems, Problem{"maybe-secret", "44 characters of standard base64 are also the shape of a client secret made before 2021, so no form of this value is shown; give a SHA-256 thumbprint as hex or as base64url (x5t#S256) to see its forms"})
		return
	}
	r.Thumbprint = &ThumbprintInfo{
		Kind: p.Kind, Form: p.Form,
		Hex:       p.Hex(),
		Base64:    p.Base64(),
		Base64URL: p.Base64URL(),
	}
	r.Problems = append(r.Problems, credProblems(p.Problems)...)
}

// mayBeLegacySecret: a pre-2021 client secret was 32 random bytes in 44
// characters of padded standard base64, which reads as a SHA-256
// thumbprint; every form shown would reveal it.
func mayBeLegacySecret(text string, p cred.ParsedThumbprint) bool {
	return p.Kind == cred.KindSHA256 && p.Form == cred.FormBase64 && len(text) == 44 && strings.HasSuffix(text, "=")
}
