package explain

import (
	"regexp"

	"github.com/aadsts/aadsts/errtext"
)

// reJWT matches a JWT or JWE in compact form (two or four dots).
var reJWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?`)

// redact replaces whole tokens in text that a report would echo: a report
// is pasted into tickets, a token in it would be a credential.
func redact(s string) string {
	return reJWT.ReplaceAllStringFunc(s, func(tok string) string {
		return tok[:min(len(tok), 12)] + "…[token redacted]"
	})
}

func redactFields(in []errtext.Field) []errtext.Field {
	out := make([]errtext.Field, len(in))
	for i, f := range in {
		out[i] = errtext.Field{Name: f.Name, Value: redact(f.Value)}
	}
	return out
}
