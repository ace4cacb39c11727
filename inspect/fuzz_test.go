package inspect

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzInspect runs detection over arbitrary input, seeded with every real
// token, key set, discovery document and Graph recording.
func FuzzInspect(f *testing.F) {
	for _, dir := range []string{"tokens", "oidc", "apps"} {
		paths, _ := filepath.Glob(filepath.Join(shared, dir, "*"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Inspect(Input{Name: "fuzz", Data: data}, Options{Now: now})
		if err == nil && r.Kind == "" {
			t.Fatal("a report without a kind")
		}
	})
}
