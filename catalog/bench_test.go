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
