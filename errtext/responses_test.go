package errtext

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sharedResponses is where the team's real Entra responses live (beside
// the repository, in CI too).
const sharedResponses = "../../shared/data/entra-responses"

// TestRealResponseBodies parses every real error body the team collected,
// compact as Entra sends it and escaped once more as a log would print it,
// and checks the codes, the OAuth error and the IDs against the body's own
// members.
func TestRealResponseBodies(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedResponses, "*.json"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no real responses in %s", sharedResponses)
		}
		t.Skipf("SKIPPED: no real responses in %s (shared data not beside the repository)", sharedResponses)
	}
	n := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ex struct {
			Response struct {
				Body json.RawMessage `json:"body"`
			} `json:"response"`
		}
		if err := json.Unmarshal(raw, &ex); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var body struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
			Codes       []int  `json:"error_codes"`
			TraceID     string `json:"trace_id"`
			Correlation string `json:"correlation_id"`
			Timestamp   string `json:"timestamp"`
			ErrorURI    string `json:"error_uri"`
		}
		text := string(ex.Response.Body)
		if strings.HasPrefix(text, `"`) { // a body kept as a JSON string
			var s string
			if json.Unmarshal(ex.Response.Body, &s) == nil {
				text = s
			}
		}
		if json.Unmarshal([]byte(text), &body) != nil || body.Description == "" {
			continue
		}
		n++
		compact, _ := json.Marshal(json.RawMessage(text))
		escaped, _ := json.Marshal(string(compact))
		for _, form := range []string{string(compact), "request failed: " + string(escaped)} {
			r := Parse(form)
			name := filepath.Base(f)
			if len(body.Codes) > 0 && !slices.Equal(r.Codes, body.Codes) {
				t.Errorf("%s: codes %v, want %v", name, r.Codes, body.Codes)
			}
			if r.OAuthError != body.Error && strings.Trim(body.Error, "abcdefghijklmnopqrstuvwxyz_") == "" {
				t.Errorf("%s: oauth_error %q, want %q", name, r.OAuthError, body.Error)
			}
			for _, want := range []struct{ field, value string }{
				{"trace_id", body.TraceID}, {"correlation_id", body.Correlation},
				{"timestamp", body.Timestamp}, {"error_uri", body.ErrorURI},
			} {
				if want.value == "" || want.field != "timestamp" && want.field != "error_uri" && !isGUIDish(want.value) {
					continue
				}
				if got, _ := r.Field(want.field); got != want.value {
					t.Errorf("%s: %s = %q, want %q", name, want.field, got, want.value)
				}
			}
		}
	}
	t.Logf("%d real error bodies", n)
}
