package audit

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/aadsts/aadsts/directory"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden:\n%s", name, got)
	}
}

func exampleReport(t *testing.T) Report {
	t.Helper()
	d, err := directory.LoadFile("../examples/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := Run(context.Background(), d, DefaultOptions(now))
	if err != nil {
		t.Fatal(err)
	}
	return NewReport(fs, now, 5, 5)
}

func TestRenderers(t *testing.T) {
	r := exampleReport(t)
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"report.json", func(b *bytes.Buffer) error { return WriteJSON(b, r) }},
		{"report.txt", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{Now: now}) }},
		{"report.table", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{Table: true, Now: now}) }},
		{"report.md", func(b *bytes.Buffer) error { return WriteMarkdown(b, r) }},
		{"report.csv", func(b *bytes.Buffer) error { return WriteCSV(b, r) }},
		{"report.sarif", func(b *bytes.Buffer) error { return WriteSARIF(b, r, "test") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

func TestJSONContract(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, exampleReport(t)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range doc.Findings {
		for _, k := range []string{"rule", "severity", "app_id", "object_id", "message", "fix"} {
			if _, ok := f[k].(string); !ok {
				t.Fatalf("finding lacks string %q: %v", k, f)
			}
		}
		switch f["severity"] {
		case "info", "warning", "critical":
		default:
			t.Fatalf("severity %v", f["severity"])
		}
	}
	var empty bytes.Buffer
	_ = WriteJSON(&empty, NewReport(nil, now, 0, 0))
	if !bytes.Contains(empty.Bytes(), []byte(`"findings": []`)) {
		t.Fatalf("empty findings not []: %s", empty.String())
	}
}

func TestSARIFShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSARIF(&b, exampleReport(t), "test"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name == "" {
		t.Fatalf("bad SARIF header: %+v", log)
	}
	rules := log.Runs[0].Tool.Driver.Rules
	for _, res := range log.Runs[0].Results {
		if res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
			t.Fatalf("ruleIndex %d does not point at %s", res.RuleIndex, res.RuleID)
		}
		if res.Level != "error" && res.Level != "warning" && res.Level != "note" {
			t.Fatalf("level %q", res.Level)
		}
		if res.Message.Text == "" {
			t.Fatal("empty message")
		}
	}
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	r := NewReport([]Finding{{Rule: "r", Severity: Info, DisplayName: "=cmd|' /C calc'!A0", Message: "m", Fix: "f"}}, now, 1, 0)
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[1][6] != "'=cmd|' /C calc'!A0" {
		t.Fatalf("display name cell %q", rows[1][6])
	}
}
