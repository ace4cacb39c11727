package alert

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden pins the KQL and the ARM template of every rule type. The
// rules name codes rather than catalog categories, so that the catalog's
// growth does not move the golden files.
func TestGolden(t *testing.T) {
	rules := strings.Replace(allRules, "categories: [client-auth]", "codes: [700027, 7000215]", 1)
	f, err := Load(strings.NewReader(rules), "rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var kql strings.Builder
	for i := range f.Rules {
		kql.WriteString(KQL(&f.Rules[i]).KQL + "\n\n")
	}
	arm, err := ARMTemplate(f)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{"rules.kql": kql.String(), "rules.arm.json": string(arm) + "\n"} {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if string(want) != got {
			t.Errorf("%s differs from the golden file; run go test -update and review the diff", name)
		}
	}
}
