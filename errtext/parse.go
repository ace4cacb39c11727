package errtext

// Parse reads pasted text in any form and returns what it found. It never
// fails: text without an AADSTS code gives a Result with no Codes and
// Primary 0. It runs in time linear in len(text).
func Parse(s string) Result {
	t := prepare(s)
	prefixed := findPrefixed(t.low)
	codes := collectCodes(prefixed, findUnprefixed(t.low))
	fields := extractFields(t)
	return Result{
		Codes:      codes,
		Primary:    primaryCode(codes, prefixed, t.view),
		OAuthError: oauthError(t.low),
		Fields:     fields,
		Messages:   messages(prefixed, t),
		Form:       detectForm(t.view, t.low, t.stamped),
		Text:       t.view,
		Normalised: normalise(fields),
	}
}
