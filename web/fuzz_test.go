package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzDiagnosePaste feeds arbitrary pasted text to the Diagnose handler:
// it must answer 200 or 422, never panic, and never let markup from the
// paste through unescaped.
func FuzzDiagnosePaste(f *testing.F) {
	for raw := range realErrorsFor(f, 40) {
		f.Add(raw)
	}
	f.Add("curl -X POST https://login.microsoftonline.com/common/oauth2/v2.0/token -d grant_type=client_credentials -d client_secret=abc")
	f.Add("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")
	f.Add(`{"keys":[{"kty":"RSA","kid":"<script>"}]}`)
	f.Add("eyJhbGciOiJub25lIn0.eyJhdWQiOiI8c2NyaXB0PiJ9.")
	s, err := New(Options{Now: func() time.Time { return testNow }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		form := url.Values{"text": {"<script>x</script>" + text}}
		r := httptest.NewRequest("POST", "/diagnose", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		s.diagnose(w, r)
		if w.Code != http.StatusOK && w.Code != http.StatusUnprocessableEntity && w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", w.Code)
		}
		if strings.Count(w.Body.String(), "<script") != 1 { // the layout's own app.js
			t.Fatalf("unescaped script tag in the page for %q", text)
		}
	})
}
