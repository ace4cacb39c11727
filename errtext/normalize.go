package errtext

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
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
	// stamped is true when every line carried a CI log's time stamp,
	// now removed.
	stamped bool
	// raw is the text as given; joined is true when lines a terminal
	// wrapped were joined (a guess that an editor's word wrap can fool).
	raw    string
	joined bool
}

// prepare undoes the layers of encoding users paste: JSON string escapes
// (once or several times), HTML entities, percent-encoding, markdown quote
// markers, and form encoding ('+' for spaces).
func prepare(raw string) text { return prepareWraps(raw, true) }

// prepareWraps is prepare, joining a terminal's wraps or not.
func prepareWraps(raw string, joinWraps bool) text {
	// What the user saw first: quote markers and a terminal's wrapping sit
	// on top of whatever encoding the text has.
	s, stamped := stripLogStamps(unlinkMarkdown(stripANSI(plainSpaces(strings.TrimPrefix(fromUTF16(raw), "\ufeff")))))
	s = stripQuoteMarkers(s)
	joined := false
	if joinWraps {
		j := joinHardWraps(s)
		joined = len(j) != len(s)
		s = j
	}
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
	s = trimLineEnds(stripBold(stripQuoteMarkers(stripHTMLTags(s))))
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
	return text{view: view, orig: orig, low: asciiLower(view), stamped: stamped, raw: raw, joined: joined}
}

// trimLineEnds removes the blanks before each line break, which no reader
// sees: a message wrapped after a space ("for a secret added to \napp 'X'")
// then reads as one phrase once its wraps are joined.
func trimLineEnds(s string) string {
	if !strings.Contains(s, " \n") && !strings.Contains(s, "\t\n") && !strings.Contains(s, " \r\n") && !strings.Contains(s, "\t\r\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	start := 0 // start of the current line
	for start < len(s) {
		nl := strings.IndexByte(s[start:], '\n')
		if nl < 0 {
			b.WriteString(s[start:])
			break
		}
		line := s[start : start+nl]
		cr := strings.HasSuffix(line, "\r")
		line = strings.TrimRight(strings.TrimSuffix(line, "\r"), " \t")
		b.WriteString(line)
		if cr {
			b.WriteByte('\r')
		}
		b.WriteByte('\n')
		start += nl + 1
	}
	return b.String()
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

// reLogStamp is the time stamp a CI log (GitHub Actions, Azure DevOps)
// puts at the start of every line: "2024-05-14T13:49:32.9659077Z ".
var reLogStamp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z `)

// stripLogStamps removes CI log time stamps from line starts when (nearly)
// every line has one, so a value the log put on the next line follows its
// label again ("Timestamp: \n<stamp> 2019-09-27 04:38:50Z"). It reports
// whether it did.
func stripLogStamps(s string) (string, bool) {
	if !strings.Contains(s, "\n") || !reLogStamp.MatchString(s) {
		return s, false
	}
	lines := strings.SplitAfter(s, "\n")
	n, stamped := 0, 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n++
		if reLogStamp.MatchString(l) {
			stamped++
		}
	}
	if stamped*10 < n*9 {
		return s, false
	}
	for i, l := range lines {
		if loc := reLogStamp.FindStringIndex(l); loc != nil {
			lines[i] = l[loc[1]:]
		}
	}
	return strings.Join(lines, ""), true
}

// reANSI is a terminal colour or style sequence ("\x1b[1;31m"), also with
// its escape byte lost in the copy ("[31m│[0m [1mError: [0m"), as
// Terraform's and other CLIs' coloured output shows up in pastes.
var reANSI = regexp.MustCompile(`\x1b\[[0-9;?]*[a-zA-Z]|\[(?:\d{1,3};)*\d{1,3}m`)

// stripANSI removes terminal colour sequences.
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b[") && !strings.Contains(s, "m[") && !strings.Contains(s, "[0m") {
		return s
	}
	return reANSI.ReplaceAllString(s, "")
}

// spaceReplacer turns the spaces a web page or a word processor uses
// (no-break, thin, narrow) into plain ones, and drops invisible marks
// (zero-width spaces and joiners, byte-order and direction marks): what a
// reader sees is what the rules read.
var spaceReplacer = strings.NewReplacer(
	"\u00a0", " ", "\u2007", " ", "\u2009", " ", "\u202f", " ", "\u3000", " ",
	"\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "", "\u200e", "", "\u200f", "")

func plainSpaces(s string) string {
	// All of them are encoded with a lead byte of 0xc2, 0xe2, 0xe3 or 0xef.
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0xc2, 0xe2, 0xe3, 0xef:
			return spaceReplacer.Replace(s)
		}
	}
	return s
}

// gutters are the markers a line of quoted or boxed text starts with: the
// markdown block quote and the box Terraform draws around a diagnostic
// ("╷", "│ Error: ...", "╵").
var gutters = []string{">", "│", "╷", "╵"}

// stripQuoteMarkers removes line-start quote markers ("> ", "> > ", "│ "),
// with the blanks around them, so a label and its value that the quoting
// split over two lines meet again.
func stripQuoteMarkers(s string) string {
	if !strings.Contains(s, ">") && !strings.Contains(s, "│") && !strings.Contains(s, "╷") && !strings.Contains(s, "╵") {
		return s
	}
	lines := strings.SplitAfter(s, "\n")
	changed := false
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		n := 0
		for {
			g := gutterAt(t)
			if g == 0 {
				break
			}
			t = strings.TrimLeft(t[g:], " \t")
			n++
		}
		if n == 0 {
			continue
		}
		lines[i] = t
		changed = true
	}
	if !changed {
		return s
	}
	return strings.Join(lines, "")
}

// gutterAt returns the length of the gutter marker s starts with, 0 if none.
func gutterAt(s string) int {
	for _, g := range gutters {
		if strings.HasPrefix(s, g) {
			return len(g)
		}
	}
	return 0
}

// minWrapWidth and minWrapped say when a text looks hard-wrapped by a
// terminal or a console: at least minWrapped lines are exactly as long as
// the longest line, and that length is at least minWrapWidth.
const (
	minWrapWidth = 60
	minWrapped   = 3
)

// joinHardWraps undoes a terminal's or console's fixed-width wrapping,
// which cuts anywhere, also inside a code or an ID ("AADSTS9002\n313",
// "https://login.microsoftonline\n.com/..."): when several lines are
// exactly as long as the longest line, each of them is joined with the
// line that follows it, less the indentation both share. Rules of one
// repeated character ("-----") are not wrapped text.
func joinHardWraps(s string) string {
	if strings.Count(s, "\n") < minWrapped {
		return s
	}
	// The longest line, how many lines are that long, and how many are a
	// little shorter.
	width, atWidth, near := 0, 0, 0
	lengths := map[int]int{}
	for rest := s; rest != ""; {
		line, after, _ := strings.Cut(rest, "\n")
		rest = after
		line = strings.TrimSuffix(line, "\r")
		if isRule(line) {
			continue
		}
		n := utf8.RuneCountInString(line)
		lengths[n]++
		width = max(width, n)
	}
	atWidth = lengths[width]
	for d := 1; d <= 3; d++ {
		near += lengths[width-d]
	}
	// A terminal fills every line of a paragraph but the last to the same
	// width; an editor wrapping at word boundaries leaves lines a little
	// shorter about as often as full ones, and its breaks stand for
	// spaces: those are left to the rules' second reading.
	if width < minWrapWidth || atWidth < minWrapped || atWidth < 2*near {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	indent := ""    // the indentation of the line being continued
	joined := false // the previous line continues on this one
	for rest := s; rest != ""; {
		line, after, found := strings.Cut(rest, "\n")
		rest = after
		body := strings.TrimSuffix(line, "\r")
		full := found && utf8.RuneCountInString(body) == width && !isRule(body) &&
			rest != "" && rest[0] != '\n' && rest[0] != '\r'
		if joined {
			line, body = strings.TrimPrefix(line, indent), strings.TrimPrefix(body, indent)
		} else {
			indent = body[:len(body)-len(strings.TrimLeft(body, " \t"))]
		}
		joined = full
		if full {
			b.WriteString(body)
			continue
		}
		b.WriteString(line)
		if found {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// isRule: a line of one character repeated ("-----", "=====").
func isRule(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) >= 3 && strings.Trim(t, t[:1]) == ""
}

// stripBold removes markdown bold markers around a value on one line
// ("Correlation ID: **8f04...665**"): users bold the ID they want a reader
// to see, inside the message or the JSON. The markers stand alone: a run of
// three or more stars (a CI mask, "***") is not bold, and neither are stars
// inside a word.
func stripBold(s string) string {
	if !strings.Contains(s, "**") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+1 < len(s); {
		if !boldOpens(s, i) {
			i++
			continue
		}
		j := i + 2
		for j < len(s) && s[j] != '*' && s[j] != '\n' && j-i < 256 {
			j++
		}
		if !boldCloses(s, j) {
			i = j
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(s[i+2 : j])
		last, i = j+2, j+2
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// boldOpens: "**" at s[i] opens bold: not part of a longer run of stars,
// not after a word, and followed by a non-blank.
func boldOpens(s string, i int) bool {
	if s[i] != '*' || s[i+1] != '*' || i+2 >= len(s) {
		return false
	}
	if i > 0 && (s[i-1] == '*' || isWordByte(s[i-1])) {
		return false
	}
	c := s[i+2]
	return c != '*' && c != ' ' && c != '\t' && c != '\r' && c != '\n'
}

// boldCloses: "**" at s[j] closes bold opened before it.
func boldCloses(s string, j int) bool {
	if j+1 >= len(s) || s[j] != '*' || s[j+1] != '*' {
		return false
	}
	if c := s[j-1]; c == ' ' || c == '\t' {
		return false
	}
	return j+2 == len(s) || s[j+2] != '*' && !isWordByte(s[j+2])
}

// unlinkMarkdown renders the markdown inline links a copy from a rendered
// page leaves behind, where the link mangles the text it sits in:
//   - an auto-linked URL, "[https://host/x\"}](https://host/x%22})": GitHub
//     took the closing quote into the link, and its text is the original;
//   - a link inside a word, "AADSTS700[21](https://...)1" (a log line
//     number linked by the page): the word is its text run together.
//
// Other links ("[the docs](https://...)") are kept: their target may be the
// only copy of a value. Each byte is looked at a bounded number of times.
func unlinkMarkdown(s string) string {
	if !strings.Contains(s, "](") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if s[i] != '[' {
			i++
			continue
		}
		text, target, end, ok := markdownLink(s, i)
		if !ok {
			i++
			continue
		}
		autoLink := hasScheme(text) && sameHost(text, target)
		inWord := i > 0 && isWordByte(s[i-1]) && end < len(s) && isWordByte(s[end]) && isWordRun(text)
		if !autoLink && !inWord {
			i = end
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(text)
		last, i = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// markdownLink reads "[text](target)" at s[i]; end is just past the ")".
// Text stops at a bracket or a line end, the target at a blank or a
// bracket, and may hold balanced parentheses.
func markdownLink(s string, i int) (text, target string, end int, ok bool) {
	j := i + 1
	for j < len(s) && s[j] != ']' && s[j] != '[' && s[j] != '\n' {
		j++
	}
	if j+1 >= len(s) || s[j] != ']' || s[j+1] != '(' || j == i+1 {
		return "", "", 0, false
	}
	depth := 0
	for k := j + 2; k < len(s); k++ {
		switch c := s[k]; {
		case c == '(':
			depth++
		case c == ')' && depth == 0:
			target = s[j+2 : k]
			return s[i+1 : j], target, k + 1, hasScheme(target)
		case c == ')':
			depth--
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '[' || c == ']':
			return "", "", 0, false
		}
	}
	return "", "", 0, false
}

func hasScheme(s string) bool {
	l := asciiLower(s[:min(len(s), 8)])
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// sameHost: two http(s) URLs with the same scheme and host.
func sameHost(a, b string) bool {
	host := func(u string) string {
		_, rest, _ := strings.Cut(u, "://")
		if k := strings.IndexAny(rest, "/?#\"'"); k >= 0 {
			rest = rest[:k]
		}
		return asciiLower(rest)
	}
	return host(a) != "" && host(a) == host(b)
}

func isWordRun(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return s != ""
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
