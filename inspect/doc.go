// Package inspect recognises what a user hands the tool (a JWT, a JWE,
// certificates in PEM or DER, private keys, a PFX, a JWK set, an OIDC
// discovery document, Graph application or servicePrincipal JSON, a
// thumbprint) and explains it: what it is, what Entra makes of it, and what
// about its encoding is wrong. It also compares the local clock with an
// authority's (CheckClock), the one place in this package that makes a
// network call, and only when asked.
//
// It never puts a private key, secret, password or whole token into a
// Report: tokens appear redacted, keys by type and matching certificate,
// and a value that may be a pre-2021 client secret (44 characters of
// padded base64, which also reads as a SHA-256 thumbprint) by fingerprint.
// Decoding and thumbprint forms live in cred and jose; Entra policy lives
// in rules, including the lifetime rule the clock check applies
// (rules.JudgeTimes with rules.DefaultSkew and rules.DefaultLeeway).
package inspect

import (
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/jose"
)

// Kinds of input a Report describes.
const (
	KindJWT          = "jwt"
	KindJWE          = "jwe"
	KindCredential   = "credential" // certificates and/or a private key (PEM, DER)
	KindPKCS12       = "pkcs12"
	KindJWKS         = "jwks"
	KindDiscovery    = "oidc-discovery"
	KindGraph        = "graph-objects"
	KindThumbprint   = "thumbprint"
	KindUnrecognized = "unrecognized"
)

// Problem is an oddity of the input, with a stable id.
type Problem struct {
	ID     string `json:"id"`
	Detail string `json:"detail"`
}

// Report explains one input.
type Report struct {
	Input        string          `json:"input"`
	Kind         string          `json:"kind"`
	Summary      string          `json:"summary"`
	Problems     []Problem       `json:"problems,omitempty"`
	Token        *Token          `json:"token,omitempty"`
	Certificates []Certificate   `json:"certificates,omitempty"`
	Keys         []Key           `json:"keys,omitempty"`
	JWKS         []JWK           `json:"jwks,omitempty"`
	Discovery    *Discovery      `json:"discovery,omitempty"`
	Objects      []GraphObject   `json:"objects,omitempty"`
	Thumbprint   *ThumbprintInfo `json:"thumbprint,omitempty"`

	// Decoded evidence kept for matching across inputs; never rendered.
	jwt  *jose.JWT
	jwks []jose.JWK
}

// Options steers Inspect.
type Options struct {
	// Password opens a PFX or an encrypted PEM key. Never reported.
	Password string
	// Now is the time validity and expiry are judged against.
	Now time.Time
}

func credProblems(ps []cred.Problem) []Problem {
	out := make([]Problem, 0, len(ps))
	for _, p := range ps {
		out = append(out, Problem(p))
	}
	return out
}
