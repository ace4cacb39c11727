package explain

import (
	"io/fs"
	"path"
	"strconv"

	"github.com/aadsts/aadsts/catalog"
)

// CatalogFor loads the embedded catalog with every code but only the deep
// guides of the given codes. Decoding all guides costs more than the rest
// of an `aadsts explain` run together; a report only needs the guides of
// the codes in the text. Lookup, ByCategory and All behave as with
// catalog.Default() for these codes; Search and Guides see fewer guides.
// On a load problem it returns catalog.Default(), which reports it.
func CatalogFor(codes []int) *catalog.Catalog {
	keep := make(map[string]bool, len(codes))
	for _, c := range codes {
		keep[strconv.Itoa(c)+".yaml"] = true
	}
	cat, err := catalog.Load(guideFilter{catalog.Embedded(), keep})
	if err != nil {
		return catalog.Default()
	}
	return cat
}

// guideFilter hides the guide files of other codes.
type guideFilter struct {
	fs.FS
	keep map[string]bool
}

func (g guideFilter) ReadDir(name string) ([]fs.DirEntry, error) {
	ents, err := fs.ReadDir(g.FS, name)
	if err != nil || path.Clean(name) != catalog.GuidesDir {
		return ents, err
	}
	out := ents[:0:0]
	for _, e := range ents {
		if e.IsDir() || g.keep[e.Name()] {
			out = append(out, e)
		}
	}
	return out, nil
}
