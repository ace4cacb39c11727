package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// BenchmarkDiagnoseTTFB measures the time to first byte of the Diagnose
// result for a pasted real error, through a real HTTP server and client
// (CSRF cookie and token included), and reports the median.
func BenchmarkDiagnoseTTFB(b *testing.B) {
	s, err := New(Options{Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	ts := newBenchServer(b, s)
	c := ts.Client()
	// A CSRF cookie and its token, as the page would hold them.
	req, _ := http.NewRequest("GET", ts.URL+"/", nil)
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	home, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfInput.FindSubmatch(home)
	if m == nil {
		b.Fatal("no CSRF token on the home page")
	}
	cookie := resp.Cookies()[0]
	text := "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '5E4FE5B6BA7B2F3A8C1E4B5E9C3A2D1F0B6C7D8E', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id 'aaaaaaaa-0000-4000-8000-000000000001'.] Trace ID: 0d5f7a4e-6b3c-4d2e-9f1a-8b7c6d5e4f30 Correlation ID: 1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d Timestamp: 2026-11-20 09:12:44Z"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", string(m[1]))
	_ = mw.WriteField("text", text)
	_ = mw.Close()
	payload := body.Bytes()
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest("POST", ts.URL+"/diagnose", bytes.NewReader(payload))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.AddCookie(cookie)
		start := time.Now()
		resp, err := c.Do(req) // returns once the status line and headers arrived
		if err != nil {
			b.Fatal(err)
		}
		var first [1]byte
		if _, err := io.ReadFull(resp.Body, first[:]); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "ms-median-ttfb")
	b.ReportMetric(float64(durs[len(durs)*9/10].Microseconds())/1000, "ms-p90-ttfb")
}

func newBenchServer(b *testing.B, s *Server) *httptest.Server {
	b.Helper()
	ts := httptest.NewServer(s.Handler())
	b.Cleanup(ts.Close)
	return ts
}
