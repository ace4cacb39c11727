package audit

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
)

// credential is the part of a secret or key the expiry rules look at.
type credential struct {
	keyID, name, kind string // kind: CredSecret, CredCertificate, CredKey
	usage             string
	start, end        time.Time
	fix               string // fixRotate's text, built once per credential
}

// rotate returns fixRotate(o, c), shared by the findings of c.
func (c *credential) rotate(o owner) string {
	if c.fix == "" {
		c.fix = fixRotate(o, *c)
	}
	return c.fix
}

func (c credential) label() string {
	what := map[string]string{CredSecret: "secret", CredCertificate: "certificate", CredKey: "key"}[c.kind]
	if c.usage == directory.KeyUsageSign && c.kind == CredCertificate {
		what = "signing certificate"
	}
	if c.name != "" {
		return what + " " + strconv.Quote(c.name) + " (keyId " + c.keyID + ")"
	}
	return what + " " + c.keyID
}

func (r *run) passwords(o owner, ps []directory.PasswordCredential) {
	active := 0
	for _, p := range ps {
		c := &credential{keyID: p.KeyID, name: p.DisplayName, kind: CredSecret, start: p.Start, end: p.End}
		r.expiry(o, c)
		r.lifetime(o, c, r.o.MaxSecretLifetime, RuleSecretLifetime)
		if r.isActive(*c) {
			active++
		}
	}
	if active >= 2 {
		sev, msg := Info, fmt.Sprintf("%s has %d active secrets; two is a rotation in progress: remove the old one once every client uses the new one.", o.label(), active)
		if active > 2 {
			sev = Warning
			msg = fmt.Sprintf("%s has %d active secrets: old secrets were left behind after rotations, each one a way in.", o.label(), active)
		}
		r.add(o, RuleMultipleSecrets, sev, msg, fixRemoveSecret(o, "<old keyId>"), Finding{CredentialType: CredSecret})
	}
}

func (r *run) keys(o owner, ks []directory.KeyCredential) {
	// A SAML signing certificate is listed twice on its service principal,
	// with usage Sign and Verify; report it once, as the Sign key.
	signing := map[string]bool{}
	for _, k := range ks {
		if k.Usage == directory.KeyUsageSign && k.CustomKeyIdentifier != "" {
			signing[k.CustomKeyIdentifier+"|"+k.End.String()] = true
		}
	}
	for _, k := range ks {
		if k.Usage == directory.KeyUsageVerify && signing[k.CustomKeyIdentifier+"|"+k.End.String()] {
			continue
		}
		kind := CredKey
		if k.Type == directory.KeyTypeX509 || k.Type == directory.KeyTypeX509AndPasswd {
			kind = CredCertificate
		}
		c := &credential{keyID: k.KeyID, name: k.DisplayName, kind: kind, usage: k.Usage, start: k.Start, end: k.End}
		r.expiry(o, c)
		if kind == CredCertificate {
			r.lifetime(o, c, r.o.MaxCertLifetime, RuleCertLifetime)
			r.certificate(o, k)
		}
		if strings.EqualFold(k.Type, directory.KeyTypeSymmetric) && strings.EqualFold(k.Usage, directory.KeyUsageSign) {
			r.add(o, RuleSymmetricSign, Critical,
				fmt.Sprintf("%s holds a symmetric key with usage Sign (keyId %s). Entra signs tokens only with certificates; a symmetric signing key on the application or service principal makes token requests for it fail.", o.label(), k.KeyID),
				fixRemoveKey(o, k.KeyID)+" If the app needs its own token-signing key, upload a certificate instead.",
				Finding{KeyID: k.KeyID, CredentialType: CredKey, CredentialName: k.DisplayName})
		}
	}
}

func (r *run) isActive(c credential) bool {
	now := r.o.Now
	return (c.start.IsZero() || !c.start.After(now)) && (c.end.IsZero() || c.end.After(now))
}

func (r *run) expiry(o owner, c *credential) {
	now := r.o.Now
	f := Finding{KeyID: c.keyID, CredentialType: c.kind, CredentialName: c.name}
	if !c.end.IsZero() {
		f.Expires = timePtr(c.end)
	}
	code := "AADSTS7000222"
	if c.kind != CredSecret {
		code = "AADSTS700027"
	}
	switch {
	case c.end.IsZero():
	case !c.end.After(now):
		r.add(o, RuleExpired, Critical,
			"The "+c.label()+" of "+o.label()+" expired on "+date(c.end)+" ("+days(now.Sub(c.end))+" ago). Clients still using it fail with "+code+".",
			c.rotate(o), f)
		return
	case c.end.Sub(now) <= r.o.CriticalWithin:
		r.add(o, RuleExpiring, Critical,
			"The "+c.label()+" of "+o.label()+" expires on "+date(c.end)+", in "+days(c.end.Sub(now))+".",
			c.rotate(o), f)
	case c.end.Sub(now) <= r.o.WarnWithin:
		r.add(o, RuleExpiring, Warning,
			"The "+c.label()+" of "+o.label()+" expires on "+date(c.end)+", in "+days(c.end.Sub(now))+".",
			c.rotate(o), f)
	}
	if !c.start.IsZero() && c.start.After(now) {
		r.add(o, RuleNotYetValid, Info,
			fmt.Sprintf("The %s of %s starts on %s; until then sign-ins with it fail.", c.label(), o.label(), date(c.start)),
			"Nothing to do if this is a planned rotation; otherwise re-create the credential with a start date of now.", f)
	}
}

func (r *run) lifetime(o owner, c *credential, max time.Duration, rule string) {
	if max <= 0 || c.start.IsZero() || c.end.IsZero() || !c.end.After(r.o.Now) {
		return
	}
	life := c.end.Sub(c.start)
	limit := c.start.Add(max)
	if years := max / (365 * Day); max%(365*Day) == 0 {
		// A policy in whole years allows calendar years: a one-year secret
		// created in a leap year lasts 366 days.
		limit = c.start.AddDate(int(years), 0, 0)
	}
	if !c.end.After(limit.Add(time.Hour)) { // an hour of slack for tools that round
		return
	}
	f := Finding{KeyID: c.keyID, CredentialType: c.kind, CredentialName: c.name, Expires: timePtr(c.end)}
	r.add(o, rule, Warning,
		"The "+c.label()+" of "+o.label()+" is valid for "+days(life)+" ("+date(c.start)+" to "+date(c.end)+"), longer than the policy of "+days(max)+".",
		c.rotate(o)+" Give the new credential at most "+days(max)+".", f)
}

// clientSecrets drops from a service principal's secrets those paired with
// one of its keys: a SAML enterprise app keeps its signing certificate's
// password as a passwordCredential whose customKeyIdentifier equals the
// certificate's. It is not a client secret and expires with the
// certificate, which is reported instead.
func clientSecrets(sp *directory.ServicePrincipal) []directory.PasswordCredential {
	paired := map[string]bool{}
	for _, k := range sp.KeyCredentials {
		if k.CustomKeyIdentifier != "" {
			paired[k.CustomKeyIdentifier] = true
		}
	}
	out := make([]directory.PasswordCredential, 0, len(sp.PasswordCredentials))
	for _, p := range sp.PasswordCredentials {
		if p.CustomKeyIdentifier == "" || !paired[p.CustomKeyIdentifier] {
			out = append(out, p)
		}
	}
	return out
}

// spSecrets flags client secrets on service principals.
func (r *run) spSecrets(o owner, secrets []directory.PasswordCredential) {
	for _, p := range secrets {
		if !p.End.IsZero() && !p.End.After(r.o.Now) {
			continue // already reported as expired
		}
		c := credential{keyID: p.KeyID, name: p.DisplayName, kind: CredSecret}
		r.add(o, RuleSPSecret, Warning,
			fmt.Sprintf("The %s is on %s, not on its app registration, so it does not show in the portal's Certificates & secrets blade and is easily missed in reviews and rotations.", c.label(), o.label()),
			fixRemoveSecret(o, p.KeyID)+" Put client secrets (or better, certificates) on the application instead.",
			Finding{KeyID: p.KeyID, CredentialType: CredSecret, CredentialName: p.DisplayName})
	}
}
