package scenarios_test

import (
	"testing"
	"time"

	"github.com/aadsts/aadsts/rules/scenarios"
)

// The table covers every failure of client-assertion-rules.md §2–§5 and
// §7 (and the acceptance cases), each under a unique name.
func TestCoverage(t *testing.T) {
	s, err := scenarios.New(scenarios.DefaultBaseURL, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	codes := map[int]int{}
	names := map[string]bool{}
	for _, sc := range s.Scenarios {
		if names[sc.Name] {
			t.Errorf("duplicate name %s", sc.Name)
		}
		names[sc.Name] = true
		codes[sc.WantCode]++
		if sc.URL == "" || sc.Rule == "" {
			t.Errorf("%s lacks a URL or rule", sc.Name)
		}
	}
	for _, c := range []int{0, 900144, 70003, 90002, 900023, 9001023, 700016, 7000229, 7000112, 7000218, 7000216, 700025,
		50027, 5002738, 5002723, 90014, 700021, 50048, 700023, 700024, 700027, 7000215, 7000222,
		1002012, 70011, 700022, 500011, 700211, 700212, 700213, 7002137, 7002138, 700229} {
		if codes[c] == 0 {
			t.Errorf("no scenario expects %d", c)
		}
	}
	if codes[700027] < 8 || codes[0] < 15 {
		t.Errorf("700027: %d scenarios, accepted: %d", codes[700027], codes[0])
	}
	if s.TokenURL("x") != scenarios.DefaultBaseURL+"/x/oauth2/v2.0/token" {
		t.Errorf("TokenURL %s", s.TokenURL("x"))
	}
}
