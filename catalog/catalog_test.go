package catalog

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDefaultIsValid(t *testing.T) {
	if err := DefaultErr(); err != nil {
		t.Fatalf("embedded catalog data is invalid:\n%v", err)
	}
	c := Default()
	if c.Len() < 371 {
		t.Errorf("Default has %d entries, want at least 371 (368 from the spec TSV and the extras)", c.Len())
	}
}

func TestEveryEntryValid(t *testing.T) {
	c := Default()
	seen := map[int]bool{}
	used := map[string]bool{}
	prev := 0
	for _, e := range c.All() {
		if seen[e.Code] {
			t.Errorf("code %d appears twice", e.Code)
		}
		seen[e.Code] = true
		if e.Code <= prev {
			t.Errorf("All() not sorted: %d after %d", e.Code, prev)
		}
		prev = e.Code
		if strings.TrimSpace(e.Meaning) == "" {
			t.Errorf("code %d: empty meaning", e.Code)
		}
		if strings.TrimSpace(e.Name) == "" {
			t.Errorf("code %d: empty name", e.Code)
		}
		if !IsCategory(e.Category) {
			t.Errorf("code %d: category %q not in the closed set", e.Code, e.Category)
		}
		used[e.Category] = true
		if e.HTTPStatus != 0 && e.OAuthError == "" {
			t.Errorf("code %d: HTTP status %d without an OAuth error value", e.Code, e.HTTPStatus)
		}
		if slices.Contains(e.OAuthErrors(), "invalid_client") && len(e.OAuthErrors()) == 1 && !e.OAuthErrorInferred && e.HTTPStatus != 401 {
			t.Errorf("code %d: invalid_client must come with HTTP 401, have %d", e.Code, e.HTTPStatus)
		}
	}
	for _, cat := range Categories() {
		if !used[cat] {
			t.Errorf("category %q is in the closed set but no code uses it", cat)
		}
	}
}

// TestCodesFromSharedData pins the codes found in ../shared beyond the
// spec's TSV, and a few the TSV must keep.
func TestCodesPresent(t *testing.T) {
	c := Default()
	for _, code := range []int{90061, 90011, 7000272, 500133, 50049, 90010, 70000, 70016, 7002137, 7002138,
		700211, 700212, 700213, 9002326, 5002723, 5002738, 7000112, 7000229, 70002, 50012, 700023} {
		if _, ok := c.Lookup(code); !ok {
			t.Errorf("code %d missing from the catalog", code)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name     string
		code     int
		ok       bool
		oauth    string
		status   int
		category string
	}{
		{"cert-not-registered", 700027, true, "invalid_client", 401, "client-auth"},
		{"bad-secret", 7000215, true, "invalid_client", 401, "client-auth"},
		{"app-not-found", 700016, true, "unauthorized_client", 400, "app-config"},
		{"unknown", 1, false, "", 0, ""},
	}
	c := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := c.Lookup(tt.code)
			if ok != tt.ok {
				t.Fatalf("Lookup(%d) ok = %v, want %v", tt.code, ok, tt.ok)
			}
			if !ok {
				return
			}
			if e.OAuthError != tt.oauth || e.HTTPStatus != tt.status || e.Category != tt.category {
				t.Errorf("Lookup(%d) = %q %d %q, want %q %d %q", tt.code, e.OAuthError, e.HTTPStatus, e.Category, tt.oauth, tt.status, tt.category)
			}
		})
	}
}

func TestOAuthErrorMarkers(t *testing.T) {
	c := Default()
	e, _ := c.Lookup(50048) // "invalid_client?" in the data: inferred
	if e.OAuthError != "invalid_client" || !e.OAuthErrorInferred || e.HTTPStatus != 0 {
		t.Errorf("50048: got %q inferred=%v status=%d", e.OAuthError, e.OAuthErrorInferred, e.HTTPStatus)
	}
	for _, en := range c.All() {
		if len(en.OAuthErrors()) > 1 {
			return
		}
	}
	t.Error("no entry carries two OAuth error values; the a|b form is untested")
}

func TestByCategory(t *testing.T) {
	c := Default()
	total := 0
	for _, cat := range Categories() {
		es := c.ByCategory(cat)
		if len(es) == 0 {
			t.Errorf("ByCategory(%q) is empty", cat)
		}
		for _, e := range es {
			if e.Category != cat {
				t.Errorf("ByCategory(%q) returned %d of %q", cat, e.Code, e.Category)
			}
		}
		total += len(es)
	}
	if total != c.Len() {
		t.Errorf("categories cover %d entries, catalog has %d", total, c.Len())
	}
	if got := c.ByCategory("nope"); got != nil {
		t.Errorf("ByCategory(nope) = %d entries, want none", len(got))
	}
}

func TestErrorURI(t *testing.T) {
	if got, want := ErrorURI(700027), "https://login.microsoftonline.com/error?code=700027"; got != want {
		t.Errorf("ErrorURI = %q, want %q", got, want)
	}
}

func TestSearch(t *testing.T) {
	tests := []struct {
		query string
		top   int // expected within the first `within` results
		in    int
	}{
		{"700027", 700027, 1},
		{"AADSTS7000215", 7000215, 1},
		{"aadsts 50013", 50013, 1},
		{"ADSTS50059", 50059, 1},
		{"InvalidClientSecret", 7000215, 1},
		{"client secret expired", 7000222, 3},
		{"federated subject case", 7002138, 3},
		{"tenant not found", 90002, 5},
		{"redirect uri", 50011, 5},
	}
	c := Default()
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := c.Search(tt.query)
			var got []int
			for i, e := range res {
				if i == tt.in {
					break
				}
				got = append(got, e.Code)
			}
			if !slices.Contains(got, tt.top) {
				t.Errorf("Search(%q) top %d = %v, want %d among them", tt.query, tt.in, got, tt.top)
			}
		})
	}
	if res := c.Search("   "); res != nil {
		t.Errorf("empty query returned %d results", len(res))
	}
	if res := c.Search("7000"); len(res) < 5 || !strings.HasPrefix(res[0].URI(), ErrorURI(7000)[:len(ErrorURI(7000))-4]) {
		t.Errorf("prefix search 7000 returned %d results", len(res))
	}
	if res := c.Search("zzqqxx"); len(res) != 0 {
		t.Errorf("nonsense query returned %d results", len(res))
	}
}

func TestLoadErrorIs(t *testing.T) {
	err := error(&LoadError{Problems: []Problem{{File: "f", Line: 2, Msg: "m"}}})
	if !errors.Is(err, ErrInvalidData) {
		t.Error("LoadError does not match ErrInvalidData")
	}
	var le *LoadError
	if !errors.As(err, &le) || le.Problems[0].String() != "f:2: m" {
		t.Errorf("unexpected LoadError %v", err)
	}
}
