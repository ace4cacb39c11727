package errtext

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// sample is one labelled real error text (testdata/*.jsonl).
type sample struct {
	ID         string            `json:"id"`
	SourceURL  string            `json:"source_url"`
	Raw        string            `json:"raw"`
	Codes      []int             `json:"codes"`
	Primary    *int              `json:"primary_code"`
	OAuthError *string           `json:"oauth_error"`
	Fields     map[string]string `json:"fields"`
	Form       string            `json:"form"`
}

func loadSamples(t testing.TB) []sample {
	t.Helper()
	files, _ := filepath.Glob("testdata/*.jsonl")
	if len(files) == 0 {
		t.Fatal("no testdata/*.jsonl")
	}
	var out []sample
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if len(sc.Bytes()) == 0 {
				continue
			}
			var s sample
			if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out = append(out, s)
		}
		fh.Close()
	}
	return out
}

// TestRealSamples scores Parse on real pasted errors: codes and primary code
// must be right for every sample, fields at least 98% right.
func TestRealSamples(t *testing.T) {
	samples := loadSamples(t)
	var want, got int
	for _, s := range samples {
		t.Run(s.ID, func(t *testing.T) {
			r := Parse(s.Raw)
			codes := r.Codes
			if codes == nil {
				codes = []int{}
			}
			if !slices.Equal(codes, s.Codes) && !(len(codes) == 0 && len(s.Codes) == 0) {
				t.Errorf("codes %v, want %v", r.Codes, s.Codes)
			}
			wantPrimary := 0
			if s.Primary != nil {
				wantPrimary = *s.Primary
			}
			if r.Primary != wantPrimary {
				t.Errorf("primary %d, want %d", r.Primary, wantPrimary)
			}
			wantOAuth := ""
			if s.OAuthError != nil {
				wantOAuth = *s.OAuthError
			}
			if r.OAuthError != wantOAuth {
				t.Errorf("oauth_error %q, want %q", r.OAuthError, wantOAuth)
			}
			for name, v := range s.Fields {
				want++
				if g, _ := r.Field(name); g == v {
					got++
				} else {
					t.Logf("field %s = %q, want %q", name, g, v)
				}
			}
		})
	}
	score := 100.0
	if want > 0 {
		score = 100 * float64(got) / float64(want)
	}
	t.Logf("fields: %d/%d right (%.1f%%) over %d samples", got, want, score, len(samples))
	if score < 98 {
		t.Errorf("fields score %.1f%% below 98%%", score)
	}
}
