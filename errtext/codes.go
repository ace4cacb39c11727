package errtext

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// codeHit is one place a code was found.
type codeHit struct {
	code int
	pos  int // offset of the code's first byte (the prefix for AADSTS hits)
	end  int // offset just past the digits
	// prefixed is true for "AADSTSnnn" (also retyped "ADSTSnnn"), false
	// for codes from error_codes arrays, error?code= links and the like.
	prefixed bool
}

// findPrefixed finds AADSTS codes: "AADSTS50012", retyped "ADSTS50012",
// "AADSTS 50012", "AADSTS-50012". low is the lower-cased text.
func findPrefixed(low string) []codeHit {
	var hits []codeHit
	for from := 0; ; {
		i := strings.Index(low[from:], "dsts")
		if i < 0 {
			return hits
		}
		i += from
		from = i + 4
		start := i
		for k := 0; k < 2 && start > 0 && low[start-1] == 'a'; k++ {
			start--
		}
		if start == i { // "dsts" alone is not a code prefix
			continue
		}
		j := i + 4
		if j < len(low) && (low[j] == ' ' || low[j] == '-' || low[j] == ':' || low[j] == '_') {
			j++
		}
		d := j
		for d < len(low) && d-j <= 9 && low[d] >= '0' && low[d] <= '9' {
			d++
		}
		if n := d - j; n < 4 || n > 8 || low[j] == '0' {
			continue // codes have 4 to 8 digits and no leading zero
		}
		code, _ := strconv.Atoi(low[j:d])
		hits = append(hits, codeHit{code: code, pos: start, end: d, prefixed: true})
		from = d
	}
}

var (
	reErrorCodes = regexp.MustCompile(`error_?codes["']?\s*[:=]\s*\[\s*((?:\d{4,8}\s*,\s*){0,16}\d{4,8})`)
	reErrorLink  = regexp.MustCompile(`error\?code=(\d{4,8})`)
	// "invalid_client: 7000218 - [2020-09-25 07:40:47Z]: AADSTS..." (MSAL JS)
	reJSPrefix = regexp.MustCompile(`_[a-z]+: (\d{4,8}) - \[`)
	// "Error Code: 50058" on the sign-in page's troubleshooting details.
	reErrorCodeLabel = regexp.MustCompile(`error code:\s*(\d{4,8})\b`)
)

// findUnprefixed finds codes written without the AADSTS prefix.
func findUnprefixed(low string) []codeHit {
	var hits []codeHit
	for _, m := range reErrorCodes.FindAllStringSubmatchIndex(low, -1) {
		if m[3] < len(low) && (low[m[3]] == '-' || low[m[3]] == ':') {
			continue // "[\n2024-05-14T..." : a date (a log line's stamp), not a code
		}
		list := low[m[2]:m[3]]
		off := m[2]
		for _, part := range strings.Split(list, ",") {
			t := strings.TrimSpace(part)
			p := off + strings.Index(low[off:], t)
			if c, err := strconv.Atoi(t); err == nil && !strings.HasPrefix(t, "0") {
				hits = append(hits, codeHit{code: c, pos: p, end: p + len(t)})
			}
			off += len(part) + 1
		}
	}
	for _, re := range []*regexp.Regexp{reErrorLink, reJSPrefix, reErrorCodeLabel} {
		for _, m := range re.FindAllStringSubmatchIndex(low, -1) {
			if low[m[2]] == '0' {
				continue
			}
			c, _ := strconv.Atoi(low[m[2]:m[3]])
			hits = append(hits, codeHit{code: c, pos: m[2], end: m[3]})
		}
	}
	return hits
}

// collectCodes returns the codes in order of first appearance.
func collectCodes(prefixed, other []codeHit) []int {
	all := append(slices.Clone(prefixed), other...)
	slices.SortStableFunc(all, func(a, b codeHit) int { return a.pos - b.pos })
	var codes []int
	for _, h := range all {
		if !slices.Contains(codes, h.code) {
			codes = append(codes, h.code)
		}
	}
	return codes
}

// wrapperCodes are codes Entra once put in front of the real one
// ("AADSTS70002: Error validating credentials. AADSTS50012: ...").
var wrapperCodes = []int{70002}

// primaryCode picks the most specific code. A prefixed code whose message is
// one short sentence directly followed by another prefixed code wraps that
// code, and the inner one is primary. Otherwise the first code is primary.
func primaryCode(codes []int, prefixed []codeHit, view string) int {
	if len(codes) == 0 {
		return 0
	}
	for i := 0; i+1 < len(prefixed); i++ {
		a, b := prefixed[i], prefixed[i+1]
		if a.code == b.code {
			continue
		}
		between := view[a.end:b.pos]
		if isShortLead(between) {
			// Follow the chain to the innermost code.
			inner := b.code
			for k := i + 1; k+1 < len(prefixed) && isShortLead(view[prefixed[k].end:prefixed[k+1].pos]); k++ {
				inner = prefixed[k+1].code
			}
			return inner
		}
		break
	}
	first := codes[0]
	if len(prefixed) > 0 {
		first = prefixed[0].code
	}
	// A wrapper code whose inner code was cut off the description but is
	// still listed (error_codes [70002, 50012]).
	if slices.Contains(wrapperCodes, first) {
		for _, c := range codes {
			if !slices.Contains(wrapperCodes, c) {
				return c
			}
		}
	}
	return first
}

// isShortLead reports whether s (the text between two codes) is a short
// lead-in like ": Error validating credentials. ".
func isShortLead(s string) bool {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), ":"))
	if len(s) > 80 || strings.ContainsAny(s, "\n\"{}") {
		return false
	}
	return strings.HasSuffix(s, ".") && strings.Count(s, ".") == 1
}

// messageEnd marks where a message stops: the Trace ID tail, a line end, a
// closing quote, or the next code.
var messageEnds = []string{"\r", "\n", " trace id:", " trace id :", "\"", "', ", " ---> "}

// messages returns the text after each prefixed code, first occurrence wins.
func messages(prefixed []codeHit, t text) map[int]string {
	if len(prefixed) == 0 {
		return nil
	}
	out := make(map[int]string)
	for i, h := range prefixed {
		if _, ok := out[h.code]; ok {
			continue
		}
		start := h.end
		end := len(t.view)
		if i+1 < len(prefixed) {
			end = prefixed[i+1].pos
		}
		if end-start > 2000 {
			end = start + 2000
		}
		low := t.low[start:end]
		cut := len(low)
		for _, m := range messageEnds {
			if k := strings.Index(low, m); k >= 0 && k < cut {
				cut = k
			}
		}
		msg := strings.TrimSpace(t.view[start : start+cut])
		msg = strings.TrimSpace(strings.TrimPrefix(msg, ":"))
		out[h.code] = msg
	}
	return out
}
