package catalog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// CodesFile and GuidesDir are where Load looks in the file system it is given.
const (
	CodesFile = "data/codes.tsv"
	GuidesDir = "guides"
)

var codesHeader = []string{"code", "name", "name_by", "category", "http_status", "oauth_error", "meaning", "source"}

// Problem is one defect found in a data file.
type Problem struct {
	File string // path inside the file system given to Load
	Line int    // 1-based line, 0 when the problem is not tied to a line
	Key  string // the key path inside a guide (e.g. "causes[1].signals[0].match"), empty for codes.tsv
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Key != "" {
		b.WriteString(": " + p.Key)
	}
	b.WriteString(": " + p.Msg)
	return b.String()
}

// LoadError lists every problem Load found. Load returns it (wrapped in
// nothing) so callers can use errors.As to reach the list.
type LoadError struct {
	Problems []Problem
}

func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("catalog: %d problem(s):\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// ErrInvalidData is matched by errors.Is for any *LoadError.
var ErrInvalidData = errors.New("catalog: invalid data")

// Is makes errors.Is(err, ErrInvalidData) true for a *LoadError.
func (e *LoadError) Is(target error) bool { return target == ErrInvalidData }

type problems struct{ list []Problem }

func (p *problems) add(file string, line int, key, format string, args ...any) {
	p.list = append(p.list, Problem{File: file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// Load reads data/codes.tsv and guides/*.yaml from fsys and validates them.
// It reports every problem at once in a *LoadError, naming file and line or
// key. The returned catalog is never nil: on error it holds every entry and
// guide that parsed.
func Load(fsys fs.FS) (*Catalog, error) {
	var pr problems
	c := build(fsys, &pr)
	pr.list = append(pr.list, c.resolveAll()...)
	if len(pr.list) > 0 {
		return c, &LoadError{Problems: pr.list}
	}
	return c, nil
}

// build parses codes.tsv and finds the guide files, leaving the guides to
// be decoded on first use.
func build(fsys fs.FS, pr *problems) *Catalog {
	entries := loadCodes(fsys, pr)
	c := &Catalog{byCode: make(map[int]int, len(entries)), fsys: fsys}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Code < entries[j].Code })
	for _, e := range entries {
		if _, dup := c.byCode[e.Code]; dup {
			continue // reported by loadCodes
		}
		c.byCode[e.Code] = len(c.entries)
		c.entries = append(c.entries, e)
	}
	c.slots = make([]*guideSlot, len(c.entries))
	for _, file := range guideFiles(fsys, pr) {
		name := strings.TrimSuffix(path.Base(file), ".yaml")
		code, err := strconv.Atoi(name)
		if err != nil || strconv.Itoa(code) != name {
			pr.add(file, 0, "", "a guide file must be named <code>.yaml")
			continue
		}
		i, ok := c.byCode[code]
		if !ok {
			pr.add(file, 0, "", "code %d is not in %s", code, CodesFile)
			continue
		}
		c.slots[i] = &guideSlot{file: file}
	}
	return c
}

func loadCodes(fsys fs.FS, pr *problems) []Entry {
	data, err := fs.ReadFile(fsys, CodesFile)
	if err != nil {
		pr.add(CodesFile, 0, "", "read: %v", err)
		return nil
	}
	var out []Entry
	seen := map[int]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line, header := 0, false
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if !header {
			header = true
			if strings.Join(cols, "\t") != strings.Join(codesHeader, "\t") {
				pr.add(CodesFile, line, "", "header is %q, want %q", cols, codesHeader)
				return nil
			}
			continue
		}
		if len(cols) != len(codesHeader) {
			pr.add(CodesFile, line, "", "%d columns, want %d", len(cols), len(codesHeader))
			continue
		}
		e, ok := parseEntry(cols, CodesFile, line, pr)
		if !ok {
			continue
		}
		if prev, dup := seen[e.Code]; dup {
			pr.add(CodesFile, line, "", "duplicate code %d (first on line %d)", e.Code, prev)
			continue
		}
		seen[e.Code] = line
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		pr.add(CodesFile, line, "", "read: %v", err)
	}
	if !header {
		pr.add(CodesFile, 0, "", "no header line")
	}
	return out
}

func parseEntry(cols []string, file string, line int, pr *problems) (Entry, bool) {
	ok := true
	bad := func(format string, args ...any) {
		pr.add(file, line, "", format, args...)
		ok = false
	}
	for i, c := range cols {
		if c != strings.TrimSpace(c) {
			bad("column %s has leading or trailing spaces", codesHeader[i])
		}
	}
	var e Entry
	code, err := strconv.Atoi(cols[0])
	if err != nil || code <= 0 || strings.HasPrefix(cols[0], "0") {
		bad("code %q is not a positive number", cols[0])
	}
	e.Code = code
	e.Name = cols[1]
	if e.Name == "" || strings.ContainsAny(e.Name, " \t") {
		bad("code %s: name %q must be non-empty and have no spaces", cols[0], e.Name)
	}
	switch cols[2] {
	case "microsoft":
		e.NameByMicrosoft = true
	case "aadsts":
	default:
		bad("code %s: name_by %q is not microsoft or aadsts", cols[0], cols[2])
	}
	e.Category = cols[3]
	if !IsCategory(e.Category) {
		bad("code %s: category %q is not one of %v", cols[0], e.Category, categories)
	}
	if cols[4] != "" {
		st, err := strconv.Atoi(cols[4])
		if err != nil || st < 100 || st > 599 {
			bad("code %s: http_status %q is not an HTTP status", cols[0], cols[4])
		}
		e.HTTPStatus = st
	}
	oe := cols[5]
	if strings.HasSuffix(oe, "?") {
		e.OAuthErrorInferred = true
		oe = strings.TrimSuffix(oe, "?")
	}
	for _, v := range splitBar(oe) {
		if !isOAuthErrorValue(v) {
			bad("code %s: oauth_error %q is not a lower_snake_case value", cols[0], v)
		}
	}
	e.OAuthError = oe
	e.Meaning = cols[6]
	if len(e.Meaning) < 15 {
		bad("code %s: meaning is empty or too short", cols[0])
	} else if ph := placeholder(e.Meaning); ph != "" {
		bad("code %s: meaning contains placeholder text %q", cols[0], ph)
	}
	switch cols[7] {
	case "ref", "observed", "ref+observed", "observed (unverified)":
	default:
		bad("code %s: source %q is unknown", cols[0], cols[7])
	}
	e.Source = cols[7]
	return e, ok
}

func splitBar(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

func isOAuthErrorValue(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != '_' {
			return false
		}
	}
	return true
}

var placeholders = []string{"todo", "tbd", "fixme", "could not be generated", "lorem ipsum", "not available at this time", "insert here"}

// placeholder returns the placeholder phrase s contains, or "".
func placeholder(s string) string {
	low := strings.ToLower(s)
	for _, p := range placeholders {
		i := strings.Index(low, p)
		if i < 0 {
			continue
		}
		// Whole words only, so "todos" or "placeholders" in a sentence
		// about command placeholders do not trip it.
		before := i == 0 || !isWordByte(low[i-1])
		after := i+len(p) == len(low) || !isWordByte(low[i+len(p)])
		if before && after {
			return p
		}
	}
	return ""
}

func isWordByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

func guideFiles(fsys fs.FS, pr *problems) []string {
	ents, err := fs.ReadDir(fsys, GuidesDir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			pr.add(GuidesDir, 0, "", "read directory: %v", err)
		}
		return nil
	}
	var out []string
	for _, d := range ents {
		if d.IsDir() || path.Ext(d.Name()) != ".yaml" {
			continue
		}
		out = append(out, path.Join(GuidesDir, d.Name()))
	}
	return out
}

// guideSlot is one guide file, decoded and validated once on first use.
type guideSlot struct {
	file  string
	once  sync.Once
	g     *Guide // nil when the file is invalid
	probs []Problem
}

func (s *guideSlot) get(c *Catalog) *Guide {
	s.once.Do(func() {
		var pr problems
		s.g = loadGuide(c.fsys, s.file, c, &pr)
		s.probs = pr.list
	})
	return s.g
}

// resolveAll decodes every guide and returns their problems.
func (c *Catalog) resolveAll() []Problem {
	var out []Problem
	for _, s := range c.slots {
		if s != nil {
			s.get(c)
			out = append(out, s.probs...)
		}
	}
	return out
}
