package errtext

import (
	"regexp"
	"strings"
)

// oauthErrors are the OAuth 2.0 `error` values Entra returns (RFC 6749,
// RFC 8628, OpenID Connect, and Entra's own additions).
var oauthErrors = []string{
	"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
	"unsupported_grant_type", "invalid_scope", "access_denied",
	"unsupported_response_type", "server_error", "temporarily_unavailable",
	"interaction_required", "login_required", "consent_required",
	"account_selection_required", "invalid_resource", "invalid_tenant",
	"expired_token", "authorization_pending", "slow_down",
	"authorization_declined", "bad_verification_code", "invalid_instance",
	"invalid_dpop_proof", "use_dpop_nonce", "invalid_token",
	"unsupported_token_type", "invalid_request_uri", "invalid_client_metadata",
}

// reOAuthKey reads a keyed error value after an "error" anchor: "error":"x",
// 'error': 'x', error='x', errorCode: 'x', ErrorCode: x, MSALOAuthErrorKey=x.
var reOAuthKey = regexp.MustCompile(`^error(?:code|_code|key)?["']?\s*[:=]\s*["']?([a-z]+(?:_[a-z]+)+)\b`)

// oauthError finds the OAuth error value: a keyed value first, otherwise
// the first known value standing alone ("(invalid_grant) AADSTS...",
// "ServerError: invalid_client: 7000218 - ...").
func oauthError(low string) string {
	for from, tries := 0, 0; tries < maxTries; tries++ {
		i := strings.Index(low[from:], "error")
		if i < 0 {
			break
		}
		i += from
		from = i + 5
		if i >= 3 && low[i-3:i] == "sub" || i > 0 && low[i-1] == '_' {
			continue
		}
		m := reOAuthKey.FindStringSubmatch(low[i:min(i+80, len(low))])
		if m == nil {
			continue
		}
		if v := m[1]; isOAuthError(v) || strings.HasPrefix(v, "invalid_") {
			return v
		}
	}
	best, bestPos := "", -1
	for _, v := range oauthErrors {
		for from, tries := 0, 0; tries < maxTries; tries++ {
			i := strings.Index(low[from:], v)
			if i < 0 || bestPos >= 0 && from+i > bestPos {
				break
			}
			i += from
			from = i + len(v)
			if standsAlone(low, i, from) {
				best, bestPos = v, i
				break
			}
		}
	}
	return best
}

func isOAuthError(v string) bool {
	for _, e := range oauthErrors {
		if e == v {
			return true
		}
	}
	return false
}

// standsAlone: low[i:j] is not part of a longer word, path or URL.
func standsAlone(low string, i, j int) bool {
	if i > 0 {
		if c := low[i-1]; isWordByte(c) || c == '-' || c == '.' || c == '/' {
			return false
		}
	}
	if j < len(low) {
		if c := low[j]; isWordByte(c) || c == '-' || c == '.' && j+1 < len(low) && isWordByte(low[j+1]) {
			return false
		}
	}
	return true
}
