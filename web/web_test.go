package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func newTestServer(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) }
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t, Options{})
	resp, _ := get(t, ts.Client(), ts.URL+"/codes")
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe sources: %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("missing nosniff")
	}
}

func TestNonLoopbackNeedsToken(t *testing.T) {
	if _, err := New(Options{Addr: "0.0.0.0:8750"}); err == nil {
		t.Fatal("New accepted a non-loopback address without a token")
	}
	if _, err := New(Options{Addr: "127.0.0.1:8750"}); err != nil {
		t.Fatalf("loopback refused: %v", err)
	}
}

func TestTokenGate(t *testing.T) {
	ts := newTestServer(t, Options{Addr: "0.0.0.0:0", Token: "s3cret-token-value"})
	c := ts.Client()
	resp, _ := get(t, c, ts.URL+"/codes")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: status %d, want 401", resp.StatusCode)
	}
	jar := newJar(t)
	c.Jar = jar
	resp, body := get(t, c, ts.URL+"/codes?token=s3cret-token-value")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "AADSTS700027") {
		t.Fatalf("with token: status %d", resp.StatusCode)
	}
	if strings.Contains(resp.Request.URL.String(), "token=") {
		t.Errorf("token left in the address bar: %s", resp.Request.URL)
	}
}

func TestCSRFRejectsPostWithoutToken(t *testing.T) {
	ts := newTestServer(t, Options{})
	resp, err := ts.Client().PostForm(ts.URL+"/diagnose", url.Values{"text": {"AADSTS50012: x"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without CSRF token: status %d, want 403", resp.StatusCode)
	}
}

func TestCatalogPages(t *testing.T) {
	ts := newTestServer(t, Options{})
	tests := []struct {
		name, path string
		status     int
		want       []string
	}{
		{"list", "/codes", 200, []string{"AADSTS700027", "AADSTS7000215"}},
		{"search", "/codes?q=invalid+client+secret", 200, []string{"AADSTS7000215"}},
		{"category", "/codes?category=client-auth", 200, []string{"client-auth"}},
		{"bad category", "/codes?category=%3Cscript%3E", 400, []string{"&lt;script&gt;"}},
		{"guide", "/codes/700027", 200, []string{"AADSTS700027", "Causes", "Verify the fix", "data-copy"}},
		{"prefixed", "/codes/AADSTS7000215", 200, []string{"AADSTS7000215"}},
		{"unknown", "/codes/4242424", 404, []string{"not in the offline catalog", "error?code=4242424"}},
		{"not a code", "/codes/abc", 400, []string{"Not an AADSTS code"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, ts.Client(), ts.URL+tc.path)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(body, "<script>") {
				t.Error("page contains an unescaped <script>")
			}
		})
	}
}

func TestUploadLimit(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/diagnose", strings.NewReader("text=x"))
	req.ContentLength = MaxUpload + 1 // declared too large: refused before the body is read
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", w.Code)
	}
}

func TestUploadLimitChunked(t *testing.T) {
	const limit = 1 << 20
	s, err := New(Options{MaxUpload: limit})
	if err != nil {
		t.Fatal(err)
	}
	const boundary = "b0undary"
	multipartBody := io.MultiReader(strings.NewReader("--"+boundary+"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pem\"\r\n\r\n"),
		io.LimitReader(zeros{}, limit+1))
	for _, tc := range []struct {
		name, contentType string
		body              io.Reader
	}{
		{"urlencoded", "application/x-www-form-urlencoded", io.LimitReader(zeros{}, limit+1)},
		{"multipart", "multipart/form-data; boundary=" + boundary, multipartBody},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/diagnose", tc.body)
			req.ContentLength = -1 // no declared length: the limit trips while reading
			req.Header.Set("Content-Type", tc.contentType)
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)
			if w.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413", w.Code)
			}
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
