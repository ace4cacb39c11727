package catalog

import (
	"io/fs"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary codes.tsv and guide contents to Load: it must
// never panic and must always return a catalog. Seeds are small so the
// mutator stays fast; the real guides seed the YAML side.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(validCodes), []byte(validGuide))
	guides, _ := fs.Glob(embedded, GuidesDir+"/*.yaml")
	for i, g := range guides {
		if i >= 8 {
			break
		}
		data, _ := fs.ReadFile(embedded, g)
		f.Add([]byte(validCodes), data)
	}
	f.Fuzz(func(t *testing.T, codes, guide []byte) {
		c, _ := Load(fstest.MapFS{
			CodesFile:            {Data: codes},
			"guides/700027.yaml": {Data: guide},
		})
		if c == nil {
			t.Fatal("Load returned a nil catalog")
		}
		c.Search("client secret 7000")
	})
}
