package catalog

import (
	"regexp"
	"strings"
)

// Guide is the deep guide for one code (format: docs/guide-format.md).
type Guide struct {
	Code        int       `yaml:"code"`
	Summary     string    `yaml:"summary"`
	Flows       []string  `yaml:"flows"`
	Credentials []string  `yaml:"credentials"`
	Causes      []Cause   `yaml:"causes"`
	Verify      []Step    `yaml:"verify"`
	Related     []int     `yaml:"related"`
	Variants    []Variant `yaml:"variants"`
	Pitfalls    []string  `yaml:"pitfalls"`
}

// Cause is one reason the code can occur.
type Cause struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	// Prior is 0..10: how common the cause is with no other evidence.
	Prior       int      `yaml:"prior"`
	Explanation string   `yaml:"explanation"`
	Signals     []Signal `yaml:"signals"`
	Fixes       []Step   `yaml:"fixes"`
	// Verify, when set, replaces the guide-level Verify for this cause.
	Verify []Step `yaml:"verify"`
}

// Signal kinds.
const (
	SignalMessage    = "message"     // Match is an RE2 regex, case-insensitive, against the whole text
	SignalField      = "field"       // Match names a field errtext extracted (thumbprint, key_end, ...)
	SignalOAuthError = "oauth_error" // Match equals the OAuth error value
	SignalForm       = "form"        // Match equals the text's form (msal-dotnet, az-cli, token-json, ...)
	SignalFact       = "fact"        // Match is "check.id=status" raised by the offline diagnosis
)

// Signal is evidence that makes a cause more (Weight > 0) or less (< 0) likely.
type Signal struct {
	Kind   string `yaml:"kind"`
	Match  string `yaml:"match"`
	Weight int    `yaml:"weight"`
	Note   string `yaml:"note"`

	re *regexp.Regexp // compiled for message signals
}

// Regexp returns the compiled, case-insensitive regex of a message signal,
// nil for other kinds.
func (s Signal) Regexp() *regexp.Regexp { return s.re }

// Fact splits a fact signal's Match into the check id and the status
// ("assertion.aud=fail" -> "assertion.aud", "fail"). ok is false for other
// kinds.
func (s Signal) Fact() (id, status string, ok bool) {
	if s.Kind != SignalFact {
		return "", "", false
	}
	id, status, ok = strings.Cut(s.Match, "=")
	return id, status, ok
}

// Step is one instruction, with the commands that carry it out.
type Step struct {
	Text     string    `yaml:"text"`
	Commands []Command `yaml:"commands"`
}

// Command is one concrete command. Placeholders are written <like-this>.
type Command struct {
	Tool string `yaml:"tool"` // one of Tools()
	Run  string `yaml:"run"`
}

// Variant is a wording of the message seen in a period of time.
type Variant struct {
	Period string `yaml:"period"`
	Text   string `yaml:"text"`
	Note   string `yaml:"note"`
}

// VerifyFor returns the verification steps for a cause: its own when it has
// any, otherwise the guide's.
func (g *Guide) VerifyFor(c Cause) []Step {
	if len(c.Verify) > 0 {
		return c.Verify
	}
	return g.Verify
}

// Closed sets of the guide format.
var (
	flowSet       = []string{"client_credentials", "authorization_code", "refresh_token", "on_behalf_of", "device_code", "ropc", "implicit", "saml", "interactive", "managed_identity", "workload_identity", "any"}
	credentialSet = []string{"secret", "certificate", "federated", "managed_identity", "user_password", "none", "any"}
	signalKindSet = []string{SignalMessage, SignalField, SignalOAuthError, SignalForm, SignalFact}
	toolSet       = []string{"az", "powershell", "openssl", "portal", "bash", "curl", "aadsts"}
	factStatusSet = []string{"pass", "warn", "fail", "info", "skip"}
	// fieldSet is the field names errtext extracts (issue 2's JSON contract).
	fieldSet = []string{"trace_id", "correlation_id", "timestamp", "app_id", "tenant", "error_uri", "request_id", "thumbprint", "key_start", "key_end", "reason", "scope", "resource", "redirect_uri", "current_time", "assertion_valid_from", "assertion_expiry", "token_issued", "inactive_for", "max_lifetime", "grant_issued", "tokens_valid_from", "subject", "issuer", "audience", "user", "idp", "suberror", "authority", "origin"}
)

// Flows, Credentials, SignalKinds, Tools and Fields return the closed sets a
// guide may use.
func Flows() []string       { return clone(flowSet) }
func Credentials() []string { return clone(credentialSet) }
func SignalKinds() []string { return clone(signalKindSet) }
func Tools() []string       { return clone(toolSet) }
func Fields() []string      { return clone(fieldSet) }

func clone(s []string) []string { return append([]string(nil), s...) }
