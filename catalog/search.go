package catalog

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// searchIndex holds the lower-cased words of one entry, by where they occur.
type searchIndex struct {
	code    string
	text    string   // name, meaning and category words joined by single spaces, for phrase matches
	name    []string // CamelCase split, plus the whole name lower-cased
	meaning []string
	guide   []string // summary, cause titles, pitfalls
}

func newSearchIndex(e Entry) searchIndex {
	ix := searchIndex{
		code:    strconv.Itoa(e.Code),
		name:    words(e.Name + " " + splitCamel(e.Name) + " " + e.Category + " " + strings.ReplaceAll(e.OAuthError, "_", " ")),
		meaning: words(e.Meaning),
	}
	ix.text = " " + strings.Join(words(splitCamel(e.Name)+" "+e.Meaning), " ") + " "
	if g := e.Guide; g != nil {
		var b strings.Builder
		b.WriteString(g.Summary)
		for _, c := range g.Causes {
			b.WriteString(" " + c.Title + " " + c.Explanation)
		}
		for _, p := range g.Pitfalls {
			b.WriteString(" " + p)
		}
		ix.guide = words(b.String())
	}
	return ix
}

// Search finds entries by code digits (with or without the AADSTS prefix),
// by name, or by words of the meaning or the guide. Results are ranked:
// an exact code first, then code prefixes, then entries matching the most
// query words in the most telling places (name, then meaning, then guide);
// ties go to the lower code. Words match as prefixes ("expir" finds
// "expired"). An empty query returns nil.
func (c *Catalog) Search(query string) []Entry {
	terms := queryTerms(query)
	if len(terms) == 0 {
		return nil
	}
	phrase := ""
	if len(terms) > 1 {
		phrase = " " + strings.Join(words(splitCamel(query)), " ") + " "
	}
	c.indexOnce.Do(func() {
		c.index = make([]searchIndex, len(c.entries))
		for i, e := range c.allEntries() {
			c.index[i] = newSearchIndex(e)
		}
	})
	type hit struct {
		i     int
		score int
	}
	var hits []hit
	for i := range c.entries {
		if s := c.index[i].score(terms, phrase); s > 0 {
			hits = append(hits, hit{i, s})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].score > hits[b].score })
	out := make([]Entry, len(hits))
	for k, h := range hits {
		out[k] = c.entry(h.i)
	}
	return out
}

func (ix *searchIndex) score(terms []string, phrase string) int {
	total, matched := 0, 0
	for _, t := range terms {
		s := 0
		if isDigits(t) {
			switch {
			case t == ix.code:
				s = 10000
			case strings.HasPrefix(ix.code, t):
				s = 1000 - 10*(len(ix.code)-len(t))
			}
		} else {
			switch {
			case hasPrefixWord(ix.name, t):
				s = 30
			case hasPrefixWord(ix.meaning, t):
				s = 20
			case hasPrefixWord(ix.guide, t):
				s = 8
			}
		}
		if s > 0 {
			matched++
			total += s
		}
	}
	if matched == 0 {
		return 0
	}
	if phrase != "" && strings.Contains(ix.text, phrase) {
		total += 60 // the words appear together, in the query's order
	}
	// Entries matching more words outrank any entry matching fewer.
	return total + matched*100
}

func hasPrefixWord(ws []string, t string) bool {
	for _, w := range ws {
		if w == t || (len(t) >= 3 && strings.HasPrefix(w, t)) {
			return true
		}
	}
	return false
}

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "is": true, "and": true,
	"or": true, "for": true, "on": true, "with": true, "by": true, "it": true, "be": true, "at": true,
	"error": true, "code": true, "aadsts": true,
}

var retypedCode = regexp.MustCompile(`^[a-z]{2,7}([0-9]{4,8})$`)

func queryTerms(q string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range words(q + " " + splitCamel(q)) {
		w = strings.TrimPrefix(w, "aadsts")
		if m := retypedCode.FindStringSubmatch(w); m != nil {
			w = m[1] // "adsts50059", "aadst50059": a mistyped prefix
		}
		if w == "" || stopWords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return f
}

// splitCamel turns "InvalidClientSecret" into "Invalid Client Secret" and
// "UnauthorizedClient_DoesNotMatchRequest" into words as well.
func splitCamel(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
