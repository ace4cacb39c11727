package rules

import (
	"fmt"
	"net/http"
)

// Status is the outcome of one check.
type Status string

// Check outcomes.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn"
	Skip Status = "skip"
)

// Finding is the outcome of one check.
type Finding struct {
	// ID is stable, such as "assertion.alg" or "secret.expired".
	ID     string `json:"id"`
	Status Status `json:"status"`
	// Code is the AADSTS code Entra gives when this check fails (0 for
	// checks Entra does not make itself, such as warnings).
	Code int `json:"code,omitempty"`
	// OAuthError is the OAuth "error" value of the response on failure.
	OAuthError string `json:"oauth_error,omitempty"`
	// HTTPStatus is 401 for invalid_client and 400 otherwise.
	HTTPStatus int `json:"http_status,omitempty"`
	// Message is Entra's message text after "AADSTS{code}: ", wire wording,
	// without the Trace ID / Correlation ID / Timestamp tail.
	Message string `json:"message,omitempty"`
	// Detail says what was compared, in our words. It never holds secrets.
	Detail string `json:"detail,omitempty"`
	// Facts are the compared values, redacted.
	Facts map[string]string `json:"facts,omitempty"`
	// Fix is what to change.
	Fix string `json:"fix,omitempty"`
	// IDX is the Microsoft.IdentityModel error an API would log for a
	// failing token check (IDX10214, IDX10205, IDX10223...).
	IDX string `json:"idx,omitempty"`
}

// Description returns the error_description Entra would send, without the
// diagnostics tail: "AADSTS{code}: {message}".
func (f Finding) Description() string {
	if f.Code == 0 {
		return f.Message
	}
	return fmt.Sprintf("AADSTS%d: %s", f.Code, f.Message)
}

// Failed reports whether the finding is a failure.
func (f Finding) Failed() bool { return f.Status == Fail }

// CredentialMatch names the registered credential a request used.
type CredentialMatch struct {
	// Type is "secret", "certificate" or "federated".
	Type string `json:"type"`
	// KeyID is the keyCredential or passwordCredential keyId, or the
	// federatedIdentityCredential id.
	KeyID string `json:"key_id,omitempty"`
	// Thumbprint is the upper-case hex SHA-1 of a certificate.
	Thumbprint string `json:"thumbprint,omitempty"`
	// Name is the credential's displayName (or the FIC name).
	Name string `json:"name,omitempty"`
}

// Result is the outcome of a group of checks.
type Result struct {
	Findings []Finding
	// Verdict is the first failure: what Entra answers. Nil when Entra
	// would accept.
	Verdict *Finding
	// Credential is the registered credential that matched, when one did.
	Credential *CredentialMatch
}

// Code returns the AADSTS code of the verdict, 0 when accepted.
func (r Result) Code() int {
	if r.Verdict == nil {
		return 0
	}
	return r.Verdict.Code
}

// Accepted reports whether Entra would accept.
func (r Result) Accepted() bool { return r.Verdict == nil }

// add appends f, and makes it the verdict when it is the first failure.
func (r *Result) add(f Finding) {
	r.Findings = append(r.Findings, f)
	if f.Status == Fail && r.Verdict == nil {
		v := f
		r.Verdict = &v
	}
}

// merge appends the findings of o.
func (r *Result) merge(o Result) {
	for _, f := range o.Findings {
		r.add(f)
	}
	if r.Credential == nil {
		r.Credential = o.Credential
	}
}

// failed reports whether a failure has been recorded.
func (r *Result) failed() bool { return r.Verdict != nil }

// OAuth error values.
const (
	ErrInvalidRequest     = "invalid_request"
	ErrInvalidClient      = "invalid_client"
	ErrUnauthorizedClient = "unauthorized_client"
	ErrInvalidGrant       = "invalid_grant"
	ErrInvalidScope       = "invalid_scope"
	ErrInvalidResource    = "invalid_resource"
	ErrUnsupportedGrant   = "unsupported_grant_type"
)

// HTTPStatusFor returns the HTTP status Entra's token endpoint uses for an
// OAuth error: 401 for invalid_client, 400 otherwise.
func HTTPStatusFor(oauthError string) int {
	if oauthError == ErrInvalidClient {
		return http.StatusUnauthorized
	}
	return http.StatusBadRequest
}

func pass(id, detail string) Finding { return Finding{ID: id, Status: Pass, Detail: detail} }

func skip(id, detail string) Finding { return Finding{ID: id, Status: Skip, Detail: detail} }

func warn(id, detail, fix string) Finding {
	return Finding{ID: id, Status: Warn, Detail: detail, Fix: fix}
}

// fail builds a failing finding from an Entra error (see messages.go).
func fail(id string, e entraError, detail, fix string) Finding {
	return Finding{
		ID: id, Status: Fail, Code: e.code, OAuthError: e.oauth,
		HTTPStatus: HTTPStatusFor(e.oauth), Message: e.msg, Detail: detail, Fix: fix,
	}
}

// with adds facts to a finding.
func (f Finding) with(kv ...string) Finding {
	if f.Facts == nil {
		f.Facts = map[string]string{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Facts[kv[i]] = kv[i+1]
	}
	return f
}
