package inspect

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/jose"
)

// Input is one thing to inspect: a file's name and bytes.
type Input struct {
	Name string
	Data []byte
}

// Inspect detects what data is and explains it. An error names the input
// and wraps the cred or jose sentinel (cred.ErrWrongPassword,
// jose.ErrTruncated...) when the input is recognised but unreadable.
func Inspect(in Input, opts Options) (*Report, error) {
	rs, err := InspectAll([]Input{in}, opts)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// InspectAll inspects every input, then matches each private or public key
// against the certificates of all inputs ("which given certificate does
// this key belong to").
func InspectAll(ins []Input, opts Options) ([]*Report, error) {
	var reports []*Report
	var pairs []loaded
	for _, in := range ins {
		r, b, err := inspect(&Report{Input: in.Name}, in.Data, opts)
		if err != nil {
			return nil, err
		}
		reports = append(reports, r)
		if b != nil {
			pairs = append(pairs, loaded{r, b})
		}
	}
	matchKeys(pairs)
	verifyTokens(reports, pairs)
	return reports, nil
}

type loaded struct {
	report *Report
	bundle *cred.Bundle
}

func inspect(r *Report, data []byte, opts Options) (*Report, *cred.Bundle, error) {
	text, probs, isText := cred.DecodeText(data)
	trimmed := strings.TrimSpace(text)
	if isText && trimmed == "" {
		return nil, nil, fmt.Errorf("read %s: %w", r.Input, cred.ErrEmpty)
	}
	if isText && (strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[")) {
		r.Problems = append(r.Problems, credProblems(probs)...)
		return r, nil, inspectJSON(r, []byte(trimmed), opts.Now)
	}
	if isText && !strings.Contains(text, "-----BEGIN") {
		t, err := jose.Decode(string(data))
		if err == nil || errors.Is(err, jose.ErrJWE) {
			tokenReport(r, t, opts.Now)
			return r, nil, nil
		}
		if !errors.Is(err, jose.ErrNotJWT) {
			return nil, nil, fmt.Errorf("read %s: %w", r.Input, err)
		}
		if p, perr := cred.ParseThumbprintForm(trimmed); perr == nil && len(trimmed) <= 100 {
			thumbprintReport(r, trimmed, p)
			return r, nil, nil
		}
	}
	b, err := cred.Load(r.Input, data, opts.Password)
	if err != nil {
		if isText && strings.Contains(text, "eyJ") && errors.Is(err, cred.ErrUnrecognized) {
			_, jerr := jose.Decode(string(data))
			return nil, nil, fmt.Errorf("read %s: %w", r.Input, jerr)
		}
		return nil, nil, err
	}
	credentialReport(r, b, opts.Now)
	return r, b, nil
}

// matchKeys fills Key.MatchesCertificate across all inputs. A report's
// Certificates are in the same order as its bundle's Certs, and its Keys
// list the private key first, then the public keys.
func matchKeys(pairs []loaded) {
	total := 0
	for _, p := range pairs {
		total += len(p.bundle.Certs)
	}
	for _, p := range pairs {
		var keys []any
		if p.bundle.Key != nil {
			keys = append(keys, p.bundle.Key)
		}
		for _, k := range p.bundle.PublicKeys {
			keys = append(keys, k)
		}
		for ki, key := range keys {
			k := &p.report.Keys[ki]
			k.Checked = total
			// Prefer a certificate of the same input, then the others.
			order := append([]loaded{p}, pairs...)
			for _, q := range order {
				for ci, c := range q.bundle.Certs {
					if k.MatchesCertificate != "" || !cred.KeyMatchesCert(key, c) {
						continue
					}
					cr := &q.report.Certificates[ci]
					k.MatchesCertificate = fmt.Sprintf("%s (SHA-1 %s, in %s)", cr.Subject, cr.Thumbprints.SHA1Hex, q.report.Input)
					k.MatchesSHA1 = cr.Thumbprints.SHA1Hex
					cr.HasPrivateKey = cr.HasPrivateKey || k.Private
				}
			}
			if k.Private && k.MatchesCertificate == "" && total > 0 && !hasProblem(p.report.Problems, "key-cert-mismatch") {
				p.report.Problems = append(p.report.Problems, Problem{"key-cert-mismatch", "the private key belongs to none of the certificates given"})
			}
		}
	}
}

func hasProblem(ps []Problem, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}
