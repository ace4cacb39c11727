package rules

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/jose"
)

// headerIDs are the key identifiers of an assertion header, decoded the
// way Entra decodes them: x5t as the SHA-1, x5t#S256 as the SHA-256
// (base64url or standard base64, padded or not), kid as written. Hashes
// are held in cred's upper-case hex form ("" when absent).
type headerIDs struct {
	sha1, sha256 string
	kid          string
	// printed is the upper-case hex of the decoded x5t, as 700027 prints
	// "Thumbprint of key used by client" ("" without x5t).
	printed string
	// notes explain identifiers that cannot match.
	notes []string
}

func readHeaderIDs(t *jose.JWT) headerIDs {
	var h headerIDs
	h.kid = t.Kid()
	if v := t.X5t(); v != "" {
		p, err := cred.ParseThumbprintForm(v)
		switch {
		case err == nil && p.Form == cred.FormHexInBase64:
			h.notes = append(h.notes, "x5t is the hex thumbprint text encoded with base64; it must be base64url of the 20 raw SHA-1 bytes")
			h.printed = cred.ThumbprintHex(rawBase64(v))
		case err == nil && p.Form == cred.FormHex:
			h.notes = append(h.notes, "x5t holds the hex thumbprint as text; it must be base64url of the 20 raw SHA-1 bytes")
			h.printed = cred.ThumbprintHex(rawBase64(v))
		case err == nil && p.Kind == cred.KindSHA1:
			h.sha1 = p.Hex()
			h.printed = h.sha1
		case err == nil:
			h.notes = append(h.notes, "x5t holds a SHA-256 value; x5t is the SHA-1 thumbprint (SHA-256 goes in x5t#S256)")
			h.printed = p.Hex()
		default:
			h.notes = append(h.notes, "x5t does not decode to a SHA-1 thumbprint")
		}
	}
	if v := t.X5tS256(); v != "" {
		p, err := cred.ParseThumbprintForm(v)
		switch {
		case err == nil && p.Kind == cred.KindSHA256 && (p.Form == cred.FormBase64 || p.Form == cred.FormBase64URL):
			h.sha256 = p.Hex()
		case err == nil && p.Kind == cred.KindSHA1:
			h.notes = append(h.notes, "x5t#S256 holds a SHA-1 value (20 bytes); it must be base64url of the SHA-256 of the certificate")
		default:
			h.notes = append(h.notes, "x5t#S256 does not decode to a SHA-256 thumbprint")
		}
	}
	return h
}

// rawBase64 decodes s in any base64 form, or returns nil.
func rawBase64(s string) []byte {
	b, _, _, err := cred.DecodeBase64(s)
	if err != nil {
		return nil
	}
	return b
}

// registeredKey is a keyCredential with its certificate's thumbprints
// (only SHA1Hex, from customKeyIdentifier, when Graph gave no key bytes).
type registeredKey struct {
	kc directory.KeyCredential
	tp cred.Thumbprints
}

func registeredKeys(app *directory.Application) []registeredKey {
	var out []registeredKey
	for _, kc := range app.KeyCredentials {
		out = append(out, registeredKey{kc: kc, tp: KeyThumbprints(kc)})
	}
	return out
}

// KeyThumbprints are the thumbprints Entra looks a keyCredential up by:
// those of its certificate bytes, or, when Graph returned no key bytes,
// the SHA-1 its customKeyIdentifier holds (only SHA1Hex set). Hex forms
// that are not known are empty, and never match.
func KeyThumbprints(kc directory.KeyCredential) cred.Thumbprints {
	if len(kc.Key) > 0 {
		return cred.ThumbprintsOfDER(kc.Key)
	}
	var tp cred.Thumbprints
	if kc.CustomKeyIdentifier != "" {
		if p, err := cred.ParseThumbprintForm(kc.CustomKeyIdentifier); err == nil && p.Kind == cred.KindSHA1 {
			tp.SHA1Hex = p.Hex()
		}
	}
	return tp
}

func (rk registeredKey) matches(h headerIDs) bool {
	if sameHash(h.sha256, rk.tp.SHA256Hex) || sameHash(h.sha1, rk.tp.SHA1Hex) {
		return true
	}
	if h.kid != "" {
		if strings.EqualFold(h.kid, rk.kc.KeyID) {
			return true
		}
		if p, err := cred.ParseThumbprintForm(h.kid); err == nil && rk.tp.Matches(p) {
			return true
		}
	}
	return false
}

// sameHash compares two hex thumbprints that are both known.
func sameHash(a, b string) bool { return a != "" && a == b }

// usable reports whether Entra uses this keyCredential for client
// authentication: an X.509 certificate with usage Verify.
func (rk registeredKey) usable() bool {
	return (rk.kc.Type == "" || rk.kc.Type == directory.KeyTypeX509) && (rk.kc.Usage == "" || rk.kc.Usage == directory.KeyUsageVerify)
}

// checkKey: the header's identifier names a registered key (700027 key not
// found), the key is in its window (700027 expired), the signature
// verifies with the registered certificate (700027).
func checkKey(r *Result, in AssertionInput, t *jose.JWT) {
	h := readHeaderIDs(t)
	for _, n := range h.notes {
		r.add(warn("assertion.x5t-encoding", n, "Let MSAL build the assertion, or compute x5t = base64url(SHA-1(DER certificate))."))
	}
	checkX5c(r, t, h)
	if in.App == nil {
		r.add(skip("assertion.kid-registered", "no application given (--app): the key was not looked up"))
		verifyWithExtra(r, in, t, h)
		return
	}
	appID := in.App.AppID
	var found *registeredKey
	var unusable []string
	for _, rk := range registeredKeys(in.App) {
		if !rk.matches(h) {
			continue
		}
		if !rk.usable() {
			unusable = append(unusable, fmt.Sprintf("%s (type %s, usage %s)", rk.kc.KeyID, rk.kc.Type, rk.kc.Usage))
			continue
		}
		rk := rk
		found = &rk
		break
	}
	if found == nil {
		detail := fmt.Sprintf("no keyCredential of app %s has the thumbprint in the header", appID)
		if h.printed != "" {
			detail = fmt.Sprintf("no keyCredential of app %s has SHA-1 thumbprint %s", appID, h.printed)
		}
		if len(unusable) > 0 {
			detail += "; a matching key is registered but not for client authentication: " + strings.Join(unusable, ", ")
		}
		if len(h.notes) > 0 {
			detail += "; " + strings.Join(h.notes, "; ")
		}
		if _, hasX5c := t.Header["x5c"]; hasX5c {
			detail += "; x5c was sent: an app configured for subject name + issuer (SNI) validates the chain instead of the thumbprint, which is not checked here"
		}
		f := fail("assertion.kid-registered", errKeyNotFound(h.printed, appID), detail,
			"Upload the certificate the assertion is signed with to the app registration (Certificates & secrets, or az ad app credential reset --id "+appID+" --cert @cert.pem --append), or sign with a registered certificate.")
		f = f.with("thumbprint", h.printed, "registered", registeredList(in.App))
		r.add(f)
		return
	}
	kc := found.kc
	thumb := found.tp.SHA1Hex
	r.Credential = &CredentialMatch{Type: "certificate", KeyID: kc.KeyID, Thumbprint: thumb, Name: kc.DisplayName}
	facts := []string{"key_id", kc.KeyID, "thumbprint", thumb, "start", fmtTime(kc.Start), "end", fmtTime(kc.End)}
	r.add(pass("assertion.kid-registered", fmt.Sprintf("the header names keyCredential %s (%s)", kc.KeyID, kc.DisplayName)).with(facts...))
	if !inWindow(in.Now, kc.Start, kc.End) {
		printed := h.printed
		if printed == "" {
			printed = thumb
		}
		when := "expired at " + fmtTime(kc.End)
		if !kc.Start.IsZero() && in.Now.Before(kc.Start) {
			when = "not valid before " + fmtTime(kc.Start)
		}
		r.add(fail("assertion.key-window", errKeyExpired(printed, kc.Start, kc.End), fmt.Sprintf("the registered key is %s (now %s)", when, fmtTime(in.Now)),
			"Register a renewed certificate (az ad app credential reset --id "+appID+" --cert @new.pem --append), switch the app to it, then remove the old one.").with(facts...))
		return
	}
	r.add(pass("assertion.key-window", fmt.Sprintf("the key is valid %s to %s", fmtTime(kc.Start), fmtTime(kc.End))))
	var cert *x509.Certificate
	if len(kc.Key) > 0 {
		cert, _ = x509.ParseCertificate(kc.Key)
	}
	if cert == nil {
		for _, c := range in.ExtraCerts {
			if sameHash(cred.ThumbprintsOf(c).SHA1Hex, found.tp.SHA1Hex) {
				cert = c
			}
		}
	}
	if cert == nil {
		r.add(skip("assertion.signature", "the registration carries no certificate bytes (Graph lists return key: null): give the certificate (--cert) to verify the signature"))
		return
	}
	verifySignature(r, t, cert, h.printed, thumb, kc)
}

func verifySignature(r *Result, t *jose.JWT, cert *x509.Certificate, printed, thumb string, kc directory.KeyCredential) {
	if printed == "" {
		printed = thumb
	}
	err := jose.Verify(t, cert.PublicKey, AllowedAssertionAlgs)
	if err == nil {
		r.add(pass("assertion.signature", fmt.Sprintf("the %s signature verifies with certificate %s", t.Alg(), thumb)))
		return
	}
	detail := "the signature does not verify with the registered certificate: " + err.Error()
	fix := "Sign with the private key of the registered certificate; check that the key file matches the certificate and that the signature scheme matches alg (PKCS#1 v1.5 for RS*, PSS for PS*)."
	if errors.Is(err, jose.ErrKeyType) {
		detail = "the registered certificate's key cannot verify " + t.Alg() + ": " + err.Error()
	}
	r.add(fail("assertion.signature", errBadSignature(printed, kc.Start, kc.End), detail, fix).with("thumbprint", thumb))
}

// verifyWithExtra verifies with the caller's certificate when no app was
// given, so the signature can still be judged.
func verifyWithExtra(r *Result, in AssertionInput, t *jose.JWT, h headerIDs) {
	for _, c := range in.ExtraCerts {
		tp := cred.ThumbprintsOf(c)
		if !(registeredKey{tp: tp}).matches(h) {
			r.add(warn("assertion.cert-match", fmt.Sprintf("the header names thumbprint %s, not the given certificate %s", orNone(h.printed), tp.SHA1Hex),
				"Sign with the certificate you registered, or register the one you sign with."))
			continue
		}
		verifySignature(r, t, c, h.printed, tp.SHA1Hex, directory.KeyCredential{Start: c.NotBefore, End: c.NotAfter})
		return
	}
}

// checkX5c compares the x5c leaf with the header thumbprints (§2.4).
func checkX5c(r *Result, t *jose.JWT, h headerIDs) {
	if _, has := t.Header["x5c"]; !has {
		return
	}
	chain := t.X5c()
	if len(chain) == 0 {
		r.add(warn("assertion.x5c", "x5c is present but holds no standard-base64 DER certificate", "x5c is a JSON array of standard base64 DER certificates, leaf first."))
		return
	}
	leaf := registeredKey{tp: cred.ThumbprintsOfDER(chain[0])}
	if (h.sha1 != "" || h.sha256 != "") && !leaf.matches(headerIDs{sha1: h.sha1, sha256: h.sha256}) {
		r.add(warn("assertion.x5c", "the first x5c certificate is not the one x5t/x5t#S256 names", "Put the signing (leaf) certificate first in x5c."))
		return
	}
	r.add(pass("assertion.x5c", "x5c leaf matches the header thumbprint (used only by apps configured for subject name + issuer)"))
}

func registeredList(app *directory.Application) string {
	var parts []string
	for _, rk := range registeredKeys(app) {
		tp := rk.tp.SHA1Hex
		if tp == "" {
			tp = "?"
		}
		parts = append(parts, fmt.Sprintf("%s %s %s..%s", rk.kc.KeyID, tp, fmtTime(rk.kc.Start), fmtTime(rk.kc.End)))
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
