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
	entries []Entry     // sorted by code
	byCode  map[int]int // code -> index in entries
	// index is parallel to entries, built on the first Search so that a
	// plain Lookup does not pay for it.
	indexOnce sync.Once
	index     []searchIndex
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
	defaultErr  error
)

// Default returns the catalog built from the embedded data files, parsed
// once. The embedded files are validated by the package tests; should they
// ever be invalid, Default still returns everything that parsed (see
// DefaultErr) rather than panicking.
func Default() *Catalog {
	defaultOnce.Do(func() {
		defaultCat, defaultErr = Load(embedded)
	})
	return defaultCat
}

// DefaultErr reports the problems found while building Default, nil when
// the embedded data is valid.
func DefaultErr() error {
	Default()
	return defaultErr
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
	return c.entries[i], true
}

// All returns every entry sorted by code. The slice is a copy.
func (c *Catalog) All() []Entry { return slices.Clone(c.entries) }

// ByCategory returns the entries of one category sorted by code; nil for an
// unknown category.
func (c *Catalog) ByCategory(cat string) []Entry {
	var out []Entry
	for _, e := range c.entries {
		if e.Category == cat {
			out = append(out, e)
		}
	}
	return out
}

// Guides returns the entries that have a deep guide, sorted by code.
func (c *Catalog) Guides() []Entry {
	var out []Entry
	for _, e := range c.entries {
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
