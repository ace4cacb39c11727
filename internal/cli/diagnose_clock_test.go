package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// dateServer answers every request with a Date header offset from now.
func dateServer(t *testing.T, offset time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(offset).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDiagnoseClock(t *testing.T) {
	cases := []struct {
		name      string
		offset    time.Duration // server clock minus local clock
		code      int
		entraCode int
		assertion string
	}{
		{"in sync", 0, ExitOK, 0, "pass"},
		{"local clock 20 minutes ahead", -20 * time.Minute, ExitFound, 700024, "fail"},
		{"local clock 17 minutes behind", 17 * time.Minute, ExitFound, 700024, "fail"},
		{"local clock 3 minutes behind", 3 * time.Minute, ExitOK, 0, "warn"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := dateServer(t, c.offset)
			code, out, errOut := runCLI(t, "", "diagnose", "clock", "--authority", srv.URL, "--output", "json")
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, errOut)
			}
			var doc struct {
				EntraCode int `json:"entra_code"`
				Checks    []struct{ ID, Status string }
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.EntraCode != c.entraCode {
				t.Fatalf("entra_code %d, want %d", doc.EntraCode, c.entraCode)
			}
			for _, ch := range doc.Checks {
				if ch.ID == "assertion-window" && ch.Status != c.assertion {
					t.Fatalf("assertion-window %s, want %s", ch.Status, c.assertion)
				}
			}
		})
	}
	t.Run("text", func(t *testing.T) {
		srv := dateServer(t, -20*time.Minute)
		_, out, _ := runCLI(t, "", "diagnose", "clock", "--authority", srv.URL)
		for _, want := range []string{"AADSTS700024", "[fail]", "assertion-window"} {
			if !strings.Contains(out, want) {
				t.Errorf("text lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		srv := dateServer(t, 0)
		url := srv.URL
		srv.Close()
		code, _, errOut := runCLI(t, "", "diagnose", "clock", "--authority", url, "--timeout", "2s")
		if code != ExitUsage || !strings.Contains(errOut, url) {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("bad authority", func(t *testing.T) {
		if code, _, _ := runCLI(t, "", "diagnose", "clock", "--authority", "login.microsoftonline.com"); code != ExitUsage {
			t.Fatalf("exit %d", code)
		}
	})
}
