package diagnose

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules"
)

// TokenOptions are the inputs of `aadsts diagnose token`.
type TokenOptions struct {
	Env
	// Token is the JWT or a file holding it.
	Token string
	// Audiences the API accepts.
	Audiences []string
	// Tenant the API expects (GUID), "" for multi-tenant.
	Tenant string
	// Metadata and JWKS are files or URLs (URLs need Fetch).
	Metadata, JWKS string
	// Nonce is the nonce the client sent (ID tokens).
	Nonce  string
	Leeway time.Duration
	// AcceptedVersion is 1 or 2 to require a token version.
	AcceptedVersion int
	// Fetch retrieves a URL (nil: URLs are refused).
	Fetch func(url string) ([]byte, error)
}

func (o TokenOptions) fileOrURL(flag, v string) ([]byte, error) {
	if strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") {
		if o.Fetch == nil {
			return nil, usagef("%s %s: fetching URLs is not available here; save the document to a file", flag, v)
		}
		b, err := o.Fetch(v)
		if err != nil {
			return nil, usagef("%s %s: %v", flag, v, err)
		}
		return b, nil
	}
	return o.readFile(flag, v)
}

// metadata is the part of an OpenID discovery document a token check uses.
type metadata struct {
	Issuer  string `json:"issuer"`
	JWKSURI string `json:"jwks_uri"`
}

// Token diagnoses a token the way an API validating it with
// Microsoft.IdentityModel would, naming the IDX error of each failure.
func Token(o TokenOptions) (*Report, error) {
	raw, err := o.tokenOrFile("--token", o.Token)
	if err != nil {
		return nil, err
	}
	in := rules.TokenInput{Now: o.now(), Leeway: o.Leeway, Token: raw, Audiences: o.Audiences, TenantID: o.Tenant, Nonce: o.Nonce, AcceptedVersion: o.AcceptedVersion}
	var md metadata
	if o.Metadata != "" {
		b, err := o.fileOrURL("--metadata", o.Metadata)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &md); err != nil || md.Issuer == "" {
			return nil, usagef("--metadata %s: not an OpenID discovery document (no issuer)", o.Metadata)
		}
		in.Issuer = md.Issuer
		in.MetadataV2 = strings.HasSuffix(md.Issuer, "/v2.0")
	}
	jwks := o.JWKS
	if jwks == "" && md.JWKSURI != "" && o.Fetch != nil {
		jwks = md.JWKSURI
	}
	if jwks != "" {
		b, err := o.fileOrURL("--jwks", jwks)
		if err != nil {
			return nil, err
		}
		keys, err := jose.ParseJWKS(b)
		if err != nil {
			return nil, usagef("--jwks %s: %v", jwks, err)
		}
		in.Keys = keys
	}
	res := rules.CheckToken(in)
	r := newReport(KindToken, res.Result)
	if t, err := jose.Decode(raw); err == nil {
		r.fact("token", t.Redacted())
		r.fact("alg", t.Alg())
		r.fact("kid", firstNonEmpty(t.Kid(), t.X5t()))
		r.fact("iss", t.StringClaim("iss"))
		r.fact("aud", strings.Join(t.Audiences(), ","))
		r.fact("tid", t.StringClaim("tid"))
		r.fact("ver", t.StringClaim("ver"))
		r.fact("client", firstNonEmpty(t.StringClaim("appid"), t.StringClaim("azp")))
		if exp, ok := t.TimeClaim("exp"); ok {
			r.fact("exp", fmtT(exp))
		}
		kind := "delegated (user)"
		if res.AppOnly {
			kind = "app-only"
		}
		r.fact("kind", kind)
	}
	if in.Issuer != "" {
		r.fact("metadata_issuer", in.Issuer)
	}
	if in.Keys != nil {
		r.fact("jwks_keys", fmt.Sprint(len(in.Keys)))
	}
	return r, nil
}
