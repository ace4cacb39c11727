package diagnose

import (
	"github.com/aadsts/aadsts/catalog"
	"github.com/aadsts/aadsts/rules"
)

// Report kinds.
const (
	KindAssertion = "assertion"
	KindSecret    = "secret"
	KindToken     = "token"
	KindRequest   = "request"
)

// Report is the outcome of one diagnosis. Its JSON field names are stable.
type Report struct {
	Kind string `json:"kind"`
	// EntraCode is the AADSTS code Entra would answer, 0 when it would
	// accept (always 0 for token reports: tokens are validated by APIs).
	EntraCode int `json:"entra_code"`
	// OK is true when no check fails.
	OK bool `json:"ok"`
	// Error, HTTPStatus and Description are the response Entra would send
	// (Description without the Trace ID tail).
	Error       string `json:"error,omitempty"`
	HTTPStatus  int    `json:"http_status,omitempty"`
	Description string `json:"error_description,omitempty"`
	// IDX is the Microsoft.IdentityModel error of the first failing token
	// check.
	IDX string `json:"idx,omitempty"`
	// Meaning is the catalog's entry for EntraCode.
	Meaning *Meaning `json:"meaning,omitempty"`
	// Checks in the order they ran.
	Checks []Check `json:"checks"`
	// CrossChecks compare the error text the user got (--error) with the
	// artifacts.
	CrossChecks []Check `json:"cross_checks,omitempty"`
	// Evidence are the facts read from the inputs (thumbprints, ids,
	// validity windows), redacted.
	Evidence []Fact `json:"evidence,omitempty"`
	// Credential is the registered credential the request would use.
	Credential *rules.CredentialMatch `json:"credential,omitempty"`
	// Notes are things the inputs showed that are not checks.
	Notes []string `json:"notes,omitempty"`
}

// Check is one rule's outcome as reported.
type Check struct {
	ID     string            `json:"id"`
	Status string            `json:"status"`
	Code   int               `json:"code"`
	IDX    string            `json:"idx,omitempty"`
	Detail string            `json:"detail"`
	Fix    string            `json:"fix"`
	Facts  map[string]string `json:"facts,omitempty"`
}

// Meaning is the catalog's explanation of a code.
type Meaning struct {
	Code     int    `json:"code"`
	Name     string `json:"name,omitempty"`
	Category string `json:"category,omitempty"`
	Meaning  string `json:"meaning"`
	URI      string `json:"uri"`
	// Guide is true when `aadsts explain CODE` has a deep guide.
	Guide bool `json:"guide"`
}

// Fact is one piece of evidence.
type Fact struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func checkOf(f rules.Finding) Check {
	c := Check{ID: f.ID, Status: string(f.Status), IDX: f.IDX, Detail: f.Detail, Fix: f.Fix, Facts: f.Facts}
	if f.Status == rules.Fail {
		c.Code = f.Code
	}
	return c
}

// newReport builds a report from rule findings.
func newReport(kind string, res rules.Result) *Report {
	r := &Report{Kind: kind, OK: true}
	for _, f := range res.Findings {
		r.Checks = append(r.Checks, checkOf(f))
		if f.Status == rules.Fail && r.OK {
			r.OK = false
			r.IDX = f.IDX
		}
	}
	if v := res.Verdict; v != nil && v.Code != 0 {
		r.EntraCode = v.Code
		r.Error = v.OAuthError
		r.HTTPStatus = v.HTTPStatus
		r.Description = v.Description()
		r.Meaning = meaningOf(v.Code)
	}
	r.Credential = res.Credential
	return r
}

func meaningOf(code int) *Meaning {
	cat := catalog.Default()
	if cat == nil {
		return nil
	}
	e, ok := cat.Lookup(code)
	if !ok {
		return &Meaning{Code: code, Meaning: "not in the catalog", URI: catalog.ErrorURI(code)}
	}
	return &Meaning{Code: code, Name: e.Name, Category: e.Category, Meaning: e.Meaning, URI: e.URI(), Guide: e.Guide != nil}
}

func (r *Report) fact(name, value string) {
	if value != "" {
		r.Evidence = append(r.Evidence, Fact{name, value})
	}
}

// Failed reports whether any check or cross-check fails.
func (r *Report) Failed() bool {
	if !r.OK {
		return true
	}
	for _, c := range r.CrossChecks {
		if c.Status == string(rules.Fail) {
			return true
		}
	}
	return false
}
