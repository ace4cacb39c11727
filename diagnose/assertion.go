package diagnose

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules"
)

// AssertionOptions are the inputs of `aadsts diagnose assertion`.
type AssertionOptions struct {
	Env
	// Assertion is the client assertion JWT, or a file holding it.
	Assertion string
	// Cert, Key and PFX name credential files (any may be empty).
	Cert, Key, PFX string
	// PFXPassword is the PFX password (from --password-file or the
	// environment). It is never reported.
	PFXPassword string
	// App names a Graph application export (JSON, az CLI output, a list).
	App string
	// Tenant (id or domain), ClientID and TokenEndpoint (the URL the
	// assertion was posted to) are optional.
	Tenant, ClientID, TokenEndpoint string
	// Error is the error text the user got, or a file holding it.
	Error string
}

// credentials is what the credential files held.
type credentials struct {
	certs []*x509.Certificate
	key   crypto.Signer
}

func (o AssertionOptions) loadCredentials(r *Report) (credentials, error) {
	var c credentials
	for _, f := range []struct{ flag, name, password string }{
		{"--cert", o.Cert, ""}, {"--key", o.Key, o.PFXPassword}, {"--pfx", o.PFX, o.PFXPassword},
	} {
		if f.name == "" {
			continue
		}
		data, err := o.readFile(f.flag, f.name)
		if err != nil {
			return c, err
		}
		b, err := cred.Load(f.name, data, f.password)
		if err != nil {
			return c, usagef("%s: %v", f.flag, err)
		}
		for _, p := range b.Problems {
			r.Notes = append(r.Notes, fmt.Sprintf("%s %s: %s", f.flag, f.name, p.Detail))
		}
		c.certs = append(c.certs, b.Certs...)
		if b.Key != nil && c.key == nil {
			c.key = b.Key
		}
	}
	return c, nil
}

// Assertion diagnoses a client assertion the way Entra checks it, with the
// user's certificate, key or PFX and app registration as evidence.
func Assertion(o AssertionOptions) (*Report, error) {
	raw, err := o.tokenOrFile("--assertion", o.Assertion)
	if err != nil {
		return nil, err
	}
	pre := &Report{}
	creds, err := o.loadCredentials(pre)
	if err != nil {
		return nil, err
	}
	tok, _ := jose.Decode(raw)
	clientID := o.ClientID
	if clientID == "" && tok != nil {
		clientID = tok.StringClaim("iss")
	}
	in := rules.AssertionInput{Now: o.now(), Assertion: raw, ClientID: o.ClientID, TokenEndpoint: o.TokenEndpoint, ExtraCerts: creds.certs}
	if o.App != "" {
		d, err := o.readApps(o.App)
		if err != nil {
			return nil, err
		}
		app, t := pickApp(d, clientID)
		if app == nil {
			return nil, usagef("--app %s: no application with appId %q (use --client-id to choose one)", o.App, clientID)
		}
		in.App = app
		if app.AppID == "" {
			copyApp := *app
			copyApp.AppID = clientID
			in.App = &copyApp
		}
		in.Tenant = tenantFor(o.Tenant, t)
		pre.Notes = append(pre.Notes, d.Notes...)
	} else {
		in.Tenant = tenantFor(o.Tenant, nil)
	}
	res := rules.CheckClientAssertion(in)
	r := newReport(KindAssertion, res)
	r.Notes = append(r.Notes, pre.Notes...)
	if tok != nil {
		r.fact("assertion", tok.Redacted())
		r.fact("alg", tok.Alg())
		r.fact("x5t", tok.X5t())
		r.fact("x5t#S256", tok.X5tS256())
		r.fact("kid", tok.Kid())
		r.fact("iss", tok.StringClaim("iss"))
		r.fact("aud", strings.Join(tok.Audiences(), ","))
		if exp, ok := tok.TimeClaim("exp"); ok {
			r.fact("exp", exp.Format("2006-01-02T15:04:05Z"))
		}
	}
	localChecks(r, o, creds, tok, in)
	if o.Error != "" {
		crossCheck(r, o.textOrFile(o.Error), creds, tok, in)
	}
	return r, nil
}

// localChecks compare the user's files with each other and with the
// assertion: facts Entra never sees but that explain its answer.
func localChecks(r *Report, o AssertionOptions, c credentials, tok *jose.JWT, in rules.AssertionInput) {
	now := o.now()
	for i, cert := range c.certs {
		if i > 0 && c.key == nil {
			break
		}
		if c.key != nil && !cred.KeyMatchesCert(c.key, cert) {
			continue
		}
		tp := cred.ThumbprintsOf(cert)
		r.fact("certificate", cert.Subject.String())
		r.fact("certificate_sha1", tp.SHA1Hex)
		r.fact("certificate_x5t", tp.X5t)
		r.fact("certificate_x5t#S256", tp.X5tS256)
		r.fact("certificate_valid", cert.NotBefore.UTC().Format("2006-01-02T15:04:05Z")+" to "+cert.NotAfter.UTC().Format("2006-01-02T15:04:05Z"))
		r.fact("certificate_key", cred.KeyDescription(cert.PublicKey))
		if now.After(cert.NotAfter) || now.Before(cert.NotBefore) {
			r.Checks = append(r.Checks, Check{ID: "local.cert-validity", Status: "warn", Detail: "the certificate is outside its own validity period; Entra checks the registered key's start and end dates, which usually copy it",
				Fix: "Create or renew the certificate and register the new one."})
		}
		if tok != nil {
			if m, err := cred.MatchThumbprint(cert, firstNonEmpty(tok.X5t(), tok.X5tS256())); err == nil && !m {
				r.Checks = append(r.Checks, Check{ID: "local.cert-is-signer", Status: "warn", Detail: "the assertion's header names another certificate than the one given (" + tp.SHA1Hex + ")",
					Fix: "Check which certificate the application loads (path, store, thumbprint setting)."})
			}
		}
		if in.App != nil {
			registered := false
			for _, kc := range in.App.KeyCredentials {
				if bytes.Equal(kc.Key, cert.Raw) || strings.EqualFold(strings.ReplaceAll(kc.CustomKeyIdentifier, " ", ""), tp.SHA1Hex) || kc.CustomKeyIdentifier == tp.SHA1Base64 {
					registered = true
				}
			}
			st := "pass"
			detail := "the certificate is registered on the application"
			if !registered {
				st, detail = "warn", "the certificate is not among the application's keyCredentials"
			}
			r.Checks = append(r.Checks, Check{ID: "local.cert-registered", Status: st, Detail: detail})
		}
		break
	}
	if c.key != nil && len(c.certs) > 0 {
		matched := false
		for _, cert := range c.certs {
			matched = matched || cred.KeyMatchesCert(c.key, cert)
		}
		if !matched {
			r.Checks = append(r.Checks, Check{ID: "local.key-matches-cert", Status: "warn", Detail: "the private key is not the key of the given certificate: assertions signed with it fail with 700027",
				Fix: "Use the key that was generated with the certificate (or the PFX that holds both)."})
		} else {
			r.Checks = append(r.Checks, Check{ID: "local.key-matches-cert", Status: "pass", Detail: "the private key belongs to the certificate"})
		}
	}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
