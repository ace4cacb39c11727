package catalog

import "testing"

// BenchmarkLoad measures parsing the embedded files, which every aadsts
// process pays once (go test -bench Load ./catalog).
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(embedded); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	c := Default()
	for b.Loop() {
		c.Search("client secret expired")
	}
}

// BenchmarkFirstLookup measures what `aadsts explain` pays for one code in a
// fresh process: parse codes.tsv, then decode and validate one guide.
func BenchmarkFirstLookup(b *testing.B) {
	for b.Loop() {
		var pr problems
		c := build(embedded, &pr)
		if e, ok := c.Lookup(700027); !ok || e.Guide == nil || len(pr.list) > 0 {
			b.Fatal("700027 or its guide missing")
		}
	}
}
