package emulator

import (
	"strings"

	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/rules"
)

// User-flow plumbing: reading the scope parameter and turning rules
// verdicts into failures. Every decision (redirect URI, consent, PKCE,
// code and refresh token redemption, device code, password) is made by
// package rules; the emulator only keeps the state they are made on.

var oidcScopeNames = map[string]bool{"openid": true, "profile": true, "email": true, "offline_access": true}

// scopeRequest is a v2 delegated scope string split into the resource it
// names and the scope values on that resource.
type scopeRequest struct {
	resource string   // App ID URI or app id; Graph when only bare names
	values   []string // e.g. access_as_user, or ".default"
	oidc     []string // openid, profile, email, offline_access as asked
	openid   bool
	offline  bool
}

// responseScope is the token response's scope member for granted values.
func (sr scopeRequest) responseScope(granted []string) string {
	var out []string
	for _, v := range granted {
		out = append(out, strings.TrimSuffix(sr.resource, "/")+"/"+v)
	}
	return strings.Join(append(out, sr.oidc...), " ")
}

func parseScopes(scope string) scopeRequest {
	var sr scopeRequest
	for _, s := range strings.Fields(scope) {
		low := strings.ToLower(s)
		switch {
		case oidcScopeNames[low]:
			sr.openid = sr.openid || low == "openid"
			sr.offline = sr.offline || low == "offline_access"
			sr.oidc = append(sr.oidc, low)
			continue
		}
		res, val := "https://graph.microsoft.com", s
		if i := strings.LastIndex(s, "/"); i > 0 && (strings.Contains(s, "://") || directory.IsGUID(s[:i])) {
			res, val = s[:i], s[i+1:]
		}
		if sr.resource == "" {
			sr.resource = res
		}
		sr.values = append(sr.values, val)
	}
	return sr
}

// failureOfResult renders a rules verdict as the emulator's failure, nil
// when the rules accept.
func failureOfResult(r rules.Result) *Failure {
	if r.Verdict == nil {
		return nil
	}
	f := failureOf(*r.Verdict)
	return &f
}

// codeInvalid is the answer for a code (or the user it stands for) the
// emulator no longer knows: the rules' verdict for an unknown code.
func codeInvalid() *Failure {
	return failureOfResult(rules.CheckCodeRedemption(rules.CodeRedemption{}))
}
