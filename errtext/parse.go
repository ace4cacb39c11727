package errtext

import "strings"

// Parse reads pasted text in any form and returns what it found. It never
// fails: text without an AADSTS code gives a Result with no Codes and
// Primary 0. It runs in time linear in len(text).
func Parse(s string) Result { return parse(s, true) }

// parse is Parse; rejoin allows the one second reading of a text whose
// code prefix a wrap split.
func parse(s string, rejoin bool) Result {
	t := prepare(s)
	prefixed := findPrefixed(t.low)
	if len(prefixed) == 0 && rejoin {
		// A terminal's wrap can split the "AADSTS" of the only code, on a
		// text too short for its wraps to be seen as such ("now i'm
		// getting AADS\nTS50058: ..."): rejoin those breaks and read again.
		if j := joinSplitPrefixes(s); j != s {
			return parse(j, false)
		}
	}
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

// joinSplitPrefixes removes the line breaks that fall inside an "AADSTS"
// prefix right before its digits; other breaks stay. The text is returned
// unchanged when there is none, and Parse reads a text again at most once.
func joinSplitPrefixes(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '\n' {
			continue
		}
		a := i
		if a > 0 && s[a-1] == '\r' {
			a--
		}
		left := asciiLower(s[max(0, a-6):a])
		right := asciiLower(s[i+1 : min(len(s), i+8)])
		j := left + right
		p := strings.Index(j, "aadsts")
		if p < 0 || p >= len(left) || p+6 <= len(left) || p+6 >= len(j) || j[p+6] < '0' || j[p+6] > '9' {
			continue
		}
		b.WriteString(s[last:a])
		last = i + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
