package directory

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/cred"
)

// LoadFile reads the emulator's directory file at path strictly: see Load.
func LoadFile(path string) (*Directory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read directory %s: %w", path, err)
	}
	return Load(path, data)
}

// Load decodes the emulator's directory file format strictly: unknown
// fields are errors (Graph's OData annotations and read-only bookkeeping
// properties excepted), times must be RFC 3339, and the result is
// validated. Every problem is reported at once, each with its JSON path, in
// a *ProblemsError wrapped with name.
func Load(name string, data []byte) (*Directory, error) {
	root, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("directory %s: %w", name, err)
	}
	if len(root) != 1 {
		return nil, fmt.Errorf("directory %s: want one JSON object, found %d values", name, len(root))
	}
	var dir Directory
	d := &decoder{strict: true}
	d.value("", root[0], reflect.ValueOf(&dir).Elem())
	if len(d.problems) == 0 {
		d.problems = dir.Validate()
	}
	if len(d.problems) > 0 {
		return nil, fmt.Errorf("directory %s: %w", name, &ProblemsError{Problems: d.problems})
	}
	for ti := range dir.Tenants {
		for ai := range dir.Tenants[ti].Applications {
			dir.Tenants[ti].Applications[ai].Source = name
		}
		for si := range dir.Tenants[ti].ServicePrincipals {
			dir.Tenants[ti].ServicePrincipals[si].Source = name
		}
	}
	return &dir, nil
}

// Validate reports every inconsistency of a directory meant for the
// emulator: missing or malformed ids, duplicates, certificates that do not
// parse, credentials that end before they start.
func (d *Directory) Validate() []Problem {
	var ps []Problem
	add := func(path, format string, args ...any) {
		ps = append(ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if len(d.Tenants) == 0 {
		add("tenants", "no tenant")
	}
	seenTenant := map[string]bool{}
	for ti, t := range d.Tenants {
		tp := "tenants[" + strconv.Itoa(ti) + "]"
		if !cred.IsGUID(t.ID) {
			add(tp+".id", "not a GUID: %q", t.ID)
		}
		if seenTenant[strings.ToLower(t.ID)] {
			add(tp+".id", "duplicate tenant %s", t.ID)
		}
		seenTenant[strings.ToLower(t.ID)] = true
		seenApp := map[string]bool{}
		for ai, a := range t.Applications {
			ap := tp + ".applications[" + strconv.Itoa(ai) + "]"
			if !cred.IsGUID(a.AppID) {
				add(ap+".appId", "not a GUID: %q", a.AppID)
			}
			if a.ID != "" && !cred.IsGUID(a.ID) {
				add(ap+".id", "not a GUID: %q", a.ID)
			}
			if seenApp[strings.ToLower(a.AppID)] {
				add(ap+".appId", "duplicate application %s", a.AppID)
			}
			seenApp[strings.ToLower(a.AppID)] = true
			ps = append(ps, validateKeys(ap, a.KeyCredentials)...)
			ps = append(ps, validatePasswords(ap, a.PasswordCredentials)...)
			for fi, f := range a.FederatedIdentityCredentials {
				fp := ap + ".federatedIdentityCredentials[" + strconv.Itoa(fi) + "]"
				if f.Issuer == "" {
					add(fp+".issuer", "missing")
				}
				if f.Subject == "" && f.ClaimsMatchingExpression == nil {
					add(fp+".subject", "missing")
				}
			}
		}
		seenSP := map[string]bool{}
		for si, sp := range t.ServicePrincipals {
			sp0 := tp + ".servicePrincipals[" + strconv.Itoa(si) + "]"
			if !cred.IsGUID(sp.AppID) {
				add(sp0+".appId", "not a GUID: %q", sp.AppID)
			}
			if seenSP[strings.ToLower(sp.AppID)] {
				add(sp0+".appId", "duplicate service principal for %s", sp.AppID)
			}
			seenSP[strings.ToLower(sp.AppID)] = true
			ps = append(ps, validateKeys(sp0, sp.KeyCredentials)...)
			ps = append(ps, validatePasswords(sp0, sp.PasswordCredentials)...)
		}
		for ui, u := range t.Users {
			if u.UserPrincipalName == "" {
				add(tp+".users["+strconv.Itoa(ui)+"].userPrincipalName", "missing")
			}
		}
	}
	return ps
}

// validateCred checks what key and password credentials share: a GUID
// keyId and an end after the start.
func validateCred(p, keyID string, start, end time.Time) []Problem {
	var ps []Problem
	if !cred.IsGUID(keyID) {
		ps = append(ps, Problem{p + ".keyId", fmt.Sprintf("not a GUID: %q", keyID)})
	}
	if !end.IsZero() && end.Before(start) {
		ps = append(ps, Problem{p + ".endDateTime", "before startDateTime"})
	}
	return ps
}

func validateKeys(owner string, ks []KeyCredential) []Problem {
	var ps []Problem
	for i, k := range ks {
		p := owner + ".keyCredentials[" + strconv.Itoa(i) + "]"
		ps = append(ps, validateCred(p, k.KeyID, k.Start, k.End)...)
		if len(k.Key) > 0 && (k.Type == KeyTypeX509 || k.Type == KeyTypeX509AndPasswd) {
			if _, err := x509.ParseCertificate(k.Key); err != nil {
				ps = append(ps, Problem{p + ".key", "not a DER certificate: " + err.Error()})
			}
		}
	}
	return ps
}

func validatePasswords(owner string, pcs []PasswordCredential) []Problem {
	var ps []Problem
	for i, c := range pcs {
		ps = append(ps, validateCred(owner+".passwordCredentials["+strconv.Itoa(i)+"]", c.KeyID, c.Start, c.End)...)
	}
	return ps
}

// decodeJSON reads one or more concatenated JSON values, after removing a
// UTF-8 byte order mark and turning UTF-16 (a Windows PowerShell redirect)
// into UTF-8.
func decodeJSON(data []byte) ([]any, error) {
	data = toUTF8(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty input")
	}
	return out, nil
}
