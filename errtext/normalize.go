package errtext

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf16"
)

// maxLayers bounds how many times escaping is undone (text JSON-escaped
// inside JSON inside a log line...). Each pass is linear.
const maxLayers = 4

// text is the input prepared for matching. view is the decoded text the
// rules read; orig has the same length as view and holds the text before
// the last, length-preserving step (form-encoded '+' read as spaces), so a
// value is reported as the text has it. low is view in ASCII lower case, also
// of the same length, for case-insensitive matching with literal anchors.
type text struct {
	view, orig, low string
}

// prepare undoes the layers of encoding users paste: JSON string escapes
// (once or several times), HTML entities, percent-encoding, markdown quote
// markers, and form encoding ('+' for spaces).
func prepare(raw string) text {
	s := strings.TrimPrefix(fromUTF16(raw), "\ufeff")
	decoded := false // percent-encoding was undone
	for i := 0; i < maxLayers; i++ {
		before := s
		if strings.IndexByte(s, '\\') >= 0 {
			s = unescapeBackslashes(s)
		}
		if looksHTMLEscaped(s) {
			s = html.UnescapeString(s)
		}
		if looksPercentEncoded(s) {
			s = percentDecode(s)
			decoded = true
		}
		if s == before {
			break
		}
	}
	s = stripQuoteMarkers(stripHTMLTags(s))
	orig := s
	view := s
	if looksFormEncoded(s) {
		view = strings.ReplaceAll(s, "+", " ")
		if decoded {
			// A URL-encoded text has no literal form to keep: values are
			// reported decoded. Only a text pasted with '+' for spaces
			// and nothing else encoded keeps its '+'.
			orig = view
		}
	}
	return text{view: view, orig: orig, low: asciiLower(view)}
}

// fromUTF16 decodes text saved as UTF-16 (PowerShell's ">" redirection,
// Notepad's "Unicode"), with a byte-order mark or, for plain ASCII
// content, with every other byte zero. Other text is returned as it is.
func fromUTF16(s string) string {
	var le bool
	switch {
	case strings.HasPrefix(s, "\xff\xfe"):
		le, s = true, s[2:]
	case strings.HasPrefix(s, "\xfe\xff"):
		s = s[2:]
	case len(s) >= 4 && s[1] == 0 && s[3] == 0 && s[0] != 0 && s[2] != 0:
		le = true
	case len(s) >= 4 && s[0] == 0 && s[2] == 0 && s[1] != 0 && s[3] != 0:
	default:
		return s
	}
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		if le {
			u = append(u, uint16(s[i])|uint16(s[i+1])<<8)
		} else {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
	}
	return string(utf16.Decode(u))
}

// unescapeBackslashes reads backslash escapes in one pass. A run of
// backslashes before an escape letter stands for that letter however many
// times the text was escaped (`\n`, `\\n` and `\\\\n` are all a newline).
// Backslashes before anything else are kept (Windows paths).
func unescapeBackslashes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '\\' {
			j++
		}
		if j == len(s) {
			b.WriteString(s[i:j])
			break
		}
		switch c := s[j]; c {
		case 'n':
			b.WriteByte('\n')
			i = j + 1
		case 'r':
			b.WriteByte('\r')
			i = j + 1
		case 't':
			b.WriteByte('\t')
			i = j + 1
		case '"', '\'', '/':
			b.WriteByte(c)
			i = j + 1
		case 'u':
			if r, ok := hex4(s, j+1); ok {
				b.WriteRune(r)
				i = j + 5
			} else {
				b.WriteString(s[i : j+1])
				i = j + 1
			}
		default:
			if j-i >= 2 {
				b.WriteByte('\\') // an escaped backslash stays one backslash
			} else {
				b.WriteString(s[i:j])
			}
			i = j
		}
	}
	return b.String()
}

func hex4(s string, at int) (rune, bool) {
	if at+4 > len(s) {
		return 0, false
	}
	var r rune
	for k := at; k < at+4; k++ {
		v, ok := hexVal(s[k])
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// looksPercentEncoded reports whether the text carries percent-encoded
// punctuation that matters for reading errors (: / ' " space newline...).
func looksPercentEncoded(s string) bool {
	n := 0
	for i := 0; i+2 < len(s) && n < 2; i++ {
		if s[i] != '%' {
			continue
		}
		switch s[i+1] {
		case '2', '3', '0', '5', '7':
			if _, ok := hexVal(s[i+2]); ok {
				n++
			}
		}
	}
	return n >= 2
}

// percentDecode decodes %XX sequences and leaves malformed ones alone.
func percentDecode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := hexVal(s[i+1])
			lo, ok2 := hexVal(s[i+2])
			if ok1 && ok2 {
				b.WriteByte(hi<<4 | lo)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// looksFormEncoded reports whether spaces were written as '+', as in a query
// string or a form body (`AADSTS500011:+The+resource+principal...`).
func looksFormEncoded(s string) bool {
	plus, spaces := 0, 0
	for i := 1; i+1 < len(s); i++ {
		switch s[i] {
		case '+':
			if isWordByte(s[i-1]) || s[i-1] == ':' || s[i-1] == '.' {
				if isWordByte(s[i+1]) {
					plus++
				}
			}
		case ' ':
			spaces++
		}
	}
	return plus >= 4 && plus > spaces
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// htmlTag matches an HTML tag of the elements a sign-in page or an issue
// comment uses; other angle-bracket text ("<client id>") is kept.
var htmlTag = regexp.MustCompile(`(?i)</?(?:div|span|p|td|tr|th|table|tbody|thead|br|a|b|i|strong|em|pre|code|li|ul|ol|h[1-6]|body|html|head|title|script|style|font|label|section|main|header|footer|button|input|form|img|meta|link)\b[^<>]*>`)

// stripHTMLTags replaces HTML tags with spaces when the text is HTML (it
// has closing tags).
func stripHTMLTags(s string) string {
	if !strings.Contains(s, "</") {
		return s
	}
	return htmlTag.ReplaceAllString(s, " ")
}

// stripQuoteMarkers removes markdown block-quote markers ("> ", "> > ") at
// the start of lines.
func stripQuoteMarkers(s string) string {
	if !strings.Contains(s, ">") {
		return s
	}
	lines := strings.SplitAfter(s, "\n")
	changed := false
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		if !strings.HasPrefix(t, ">") {
			continue
		}
		for strings.HasPrefix(t, ">") {
			t = strings.TrimLeft(t[1:], " \t")
		}
		lines[i] = t
		changed = true
	}
	if !changed {
		return s
	}
	return strings.Join(lines, "")
}

// asciiLower lower-cases ASCII letters only, so offsets stay the same.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// looksHTMLEscaped reports whether the text carries HTML entities (a page
// source or an HTML-escaped log).
func looksHTMLEscaped(s string) bool {
	if strings.IndexByte(s, '&') < 0 {
		return false
	}
	for _, e := range []string{"&quot;", "&#", "&amp;", "&lt;", "&gt;", "&apos;"} {
		if strings.Contains(s, e) {
			return true
		}
	}
	return false
}
