package web

import (
	"regexp"

	"github.com/aadsts/aadsts/cred"
)

var (
	jwtLike    = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`)
	secretLike = regexp.MustCompile(`(?i)((?:client_secret|client_assertion|password|assertion|refresh_token|access_token|code)=)([^&\s"']+)`)
	privateKey = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)`)
)

// scrub redacts what must never be shown back from a piece of pasted text
// that a report quotes: whole tokens, secrets and assertions in form
// parameters, and private key blocks. The library reports already leave
// them out; this is the last line before the page.
func scrub(s string) string {
	s = privateKey.ReplaceAllString(s, "[private key, not shown]")
	s = jwtLike.ReplaceAllStringFunc(s, cred.Redact)
	return secretLike.ReplaceAllStringFunc(s, func(m string) string {
		p := secretLike.FindStringSubmatch(m)
		return p[1] + cred.Redact(p[2])
	})
}
