package catalog

import (
	"embed"
	"io/fs"
	"slices"
	"strconv"
	"sync"
)

//go:embed data/codes.tsv guides
var embedded embed.FS

// Entry is one AADSTS code.
type Entry struct {
	Code int
	// Name is Microsoft's identifier for the code when its reference gives
	// one (NameByMicrosoft true), otherwise a descriptive name of ours.
	Name            string
	NameByMicrosoft bool
	// Category is one of Categories().
	Category string
	// Meaning is one line in our own words.
	Meaning string
	// OAuthError is the OAuth 2.0 `error` value Entra returns with the code,
	// empty when unknown. A few codes carry two values depending on the flow,
	// joined by "|" (see OAuthErrors).
	OAuthError string
	// OAuthErrorInferred is true when OAuthError was inferred, not observed.
	OAuthErrorInferred bool
	// HTTPStatus is the token endpoint's status with this code, 0 when unknown.
	HTTPStatus int
	// Source says where the code is known from: "ref" (Microsoft's public
	// reference), "observed" (real responses), "ref+observed", or
	// "observed (unverified)".
	Source string
	// Guide is the deep guide, nil when the code has none.
	Guide *Guide
}

// OAuthErrors returns the OAuth error values of the entry (none, one, or
// several when the value depends on the flow).
func (e Entry) OAuthErrors() []string {
	if e.OAuthError == "" {
		return nil
	}
	return splitBar(e.OAuthError)
}

// URI returns Entra's error page for the entry's code.
func (e Entry) URI() string { return ErrorURI(e.Code) }

// Catalog is a parsed set of entries and guides. It is read-only after
// Load and safe for concurrent use.
type Catalog struct {
	entries []Entry     // sorted by code; Guide is always nil here, see slots
	byCode  map[int]int // code -> index in entries
	// slots is parallel to entries: the guide file of each code (nil when
	// the code has none), decoded on first use.
	slots []*guideSlot
	fsys  fs.FS
	// index is parallel to entries, built on the first Search so that a
	// plain Lookup does not pay for it.
	indexOnce sync.Once
	index     []searchIndex
}

var (
	defaultOnce  sync.Once
	defaultCat   *Catalog
	defaultProbs []Problem
)

// Default returns the catalog built from the embedded data files. The codes
// are parsed once; each deep guide is decoded the first time it is needed
// (Lookup of its code, or All, ByCategory, Guides and Search, which need
// them all), so explaining one code does not pay for decoding every guide.
// The embedded files are validated by the package tests; should they ever
// be invalid, Default still returns everything that parsed (see DefaultErr)
// rather than panicking.
func Default() *Catalog {
	defaultOnce.Do(func() {
		var pr problems
		defaultCat = build(embedded, &pr)
		defaultProbs = pr.list
	})
	return defaultCat
}

// DefaultErr decodes everything in Default and reports the problems found,
// nil when the embedded data is valid.
func DefaultErr() error {
	c := Default()
	probs := append(slices.Clone(defaultProbs), c.resolveAll()...)
	if len(probs) > 0 {
		return &LoadError{Problems: probs}
	}
	return nil
}

// entry returns entry i with its guide decoded.
func (c *Catalog) entry(i int) Entry {
	e := c.entries[i]
	if s := c.slots[i]; s != nil {
		e.Guide = s.get(c)
	}
	return e
}

// allEntries returns every entry with its guide, decoding all guides.
func (c *Catalog) allEntries() []Entry {
	out := make([]Entry, len(c.entries))
	for i := range c.entries {
		out[i] = c.entry(i)
	}
	return out
}

// Embedded returns the embedded data files (data/codes.tsv, guides/*.yaml),
// for tools that want to inspect or re-validate them.
func Embedded() fs.FS { return embedded }

// Lookup returns the entry for code.
func (c *Catalog) Lookup(code int) (Entry, bool) {
	i, ok := c.byCode[code]
	if !ok {
		return Entry{}, false
	}
	return c.entry(i), true
}

// All returns every entry sorted by code. The slice is a copy.
func (c *Catalog) All() []Entry { return c.allEntries() }

// ByCategory returns the entries of one category sorted by code; nil for an
// unknown category.
func (c *Catalog) ByCategory(cat string) []Entry {
	var out []Entry
	for _, e := range c.allEntries() {
		if e.Category == cat {
			out = append(out, e)
		}
	}
	return out
}

// Guides returns the entries that have a deep guide, sorted by code.
func (c *Catalog) Guides() []Entry {
	var out []Entry
	for _, e := range c.allEntries() {
		if e.Guide != nil {
			out = append(out, e)
		}
	}
	return out
}

// Len returns the number of entries.
func (c *Catalog) Len() int { return len(c.entries) }

var categories = []string{
	"app-config",
	"client-auth",
	"consent-permissions",
	"device",
	"federation",
	"mfa-conditional-access",
	"other",
	"tenant",
	"throttling-service",
	"token-validation",
	"user-auth",
}

// Categories returns the closed set of categories, sorted.
func Categories() []string { return slices.Clone(categories) }

// IsCategory reports whether s is one of Categories().
func IsCategory(s string) bool { return slices.Contains(categories, s) }

// ErrorURI returns Entra's public error page for code,
// https://login.microsoftonline.com/error?code=N.
func ErrorURI(code int) string {
	return "https://login.microsoftonline.com/error?code=" + strconv.Itoa(code)
}
