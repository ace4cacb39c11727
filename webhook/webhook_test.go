package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// hook answers each post with the next status (200 once they run out),
// setting Retry-After when retry is non-empty.
type hook struct {
	mu       sync.Mutex
	statuses []int
	retry    string
	bodies   []string
	agents   []string
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.bodies = append(h.bodies, string(b))
	h.agents = append(h.agents, r.Header.Get("User-Agent"))
	if r.Header.Get("Content-Type") != "application/json" {
		w.WriteHeader(http.StatusUnsupportedMediaType)
		return
	}
	if len(h.statuses) == 0 {
		return
	}
	st := h.statuses[0]
	h.statuses = h.statuses[1:]
	if h.retry != "" {
		w.Header().Set("Retry-After", h.retry)
	}
	w.WriteHeader(st)
	io.WriteString(w, "refused: bad payload")
}

func recordSleep(waits *[]time.Duration) func(context.Context, time.Duration) error {
	return func(_ context.Context, d time.Duration) error { *waits = append(*waits, d); return nil }
}

func TestPost(t *testing.T) {
	s := time.Second
	tests := []struct {
		name      string
		statuses  []int
		retry     string
		attempts  int
		wantErr   bool
		wantPosts int
		wantWaits []time.Duration
	}{
		{"first try", nil, "", 0, false, 1, nil},
		{"5xx then ok", []int{500, 502}, "", 0, false, 3, []time.Duration{s, 2 * s}},
		{"429 with Retry-After", []int{429, 503}, "7", 0, false, 3, []time.Duration{7 * s, 7 * s}},
		{"Retry-After beyond the cap ignored", []int{429}, "3600", 0, false, 2, []time.Duration{s}},
		{"gives up", []int{500, 500, 500, 500}, "", 4, true, 4, []time.Duration{s, 2 * s, 4 * s}},
		{"4xx not retried", []int{400}, "", 0, true, 1, nil},
		{"404 not retried", []int{404}, "5", 0, true, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &hook{statuses: tc.statuses, retry: tc.retry}
			srv := httptest.NewServer(h)
			defer srv.Close()
			var waits []time.Duration
			p := Poster{Client: srv.Client(), Attempts: tc.attempts, Sleep: recordSleep(&waits), UserAgent: "aadsts-test"}
			err := p.Post(context.Background(), srv.URL+"/hook/s3cr3t?sig=k3y", []byte(`{"a":1}`))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErr && !errors.Is(err, ErrRefused) {
				t.Fatalf("err %v does not wrap ErrRefused", err)
			}
			if err != nil && (strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "k3y")) {
				t.Fatalf("error %q holds the webhook secret", err)
			}
			if len(h.bodies) != tc.wantPosts {
				t.Fatalf("posts %d, want %d", len(h.bodies), tc.wantPosts)
			}
			for i, b := range h.bodies {
				if b != `{"a":1}` || h.agents[i] != "aadsts-test" {
					t.Fatalf("post %d: body %q agent %q", i, b, h.agents[i])
				}
			}
			if len(waits) != len(tc.wantWaits) {
				t.Fatalf("waits %v, want %v", waits, tc.wantWaits)
			}
			for i := range waits {
				if waits[i] != tc.wantWaits[i] {
					t.Fatalf("waits %v, want %v", waits, tc.wantWaits)
				}
			}
		})
	}
}

func TestPostClientErrorKeepsBody(t *testing.T) {
	srv := httptest.NewServer(&hook{statuses: []int{400}})
	defer srv.Close()
	err := Poster{Client: srv.Client()}.Post(context.Background(), srv.URL, []byte(`{}`))
	if err == nil || !strings.Contains(err.Error(), "HTTP 400: refused: bad payload") {
		t.Fatalf("err %v", err)
	}
}

func TestPostContextCancel(t *testing.T) {
	srv := httptest.NewServer(&hook{statuses: []int{503, 503, 503}})
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	// The real Sleep with a long backoff: only the cancel can end the wait.
	p := Poster{Client: srv.Client(), Backoff: time.Hour, Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return Sleep(ctx, d)
	}}
	err := p.Post(ctx, srv.URL, []byte(`{}`))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	// Cancelled before the first try: no post at all.
	h := &hook{}
	srv2 := httptest.NewServer(h)
	defer srv2.Close()
	if err := (Poster{Client: srv2.Client()}).Post(ctx, srv2.URL, []byte(`{}`)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if len(h.bodies) != 0 {
		t.Fatalf("posted %d times after cancel", len(h.bodies))
	}
}

func TestPostTransportErrorHidesURL(t *testing.T) {
	srv := httptest.NewServer(&hook{})
	url := srv.URL + "/hook/s3cr3t"
	srv.Close() // nothing listens now: every try is a transport error
	err := Poster{Attempts: 2, Sleep: func(context.Context, time.Duration) error { return nil }}.Post(context.Background(), url, []byte(`{}`))
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("err %v: want a failure without the webhook path", err)
	}
	err = Poster{}.Post(context.Background(), "http://h/s3cr3t\x7f", nil)
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("err %v: want a failure without the webhook path", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://hooks.slack.com/services/T/B/X":        "https://hooks.slack.com/…",
		"https://user:pw@example.com:8443/hook?sig=abc": "https://example.com:8443/…",
		"::bad":               "(webhook)",
		"hooks.slack.com/x/y": "(webhook)",
		"":                    "(webhook)",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatForAndPick(t *testing.T) {
	for url, want := range map[string]string{
		"https://hooks.slack.com/services/T/B/X":                     FormatSlack,
		"https://contoso.webhook.office.com/webhookb2/x":             FormatMessageCard,
		"https://outlook.office.com/webhook/x":                       FormatMessageCard,
		"https://prod-01.westeurope.logic.azure.com:443/workflows/x": FormatTeams,
		"https://x.powerautomate.com/x":                              FormatTeams,
		"https://example.com/hook":                                   FormatGeneric,
		"::bad":                                                      FormatGeneric,
	} {
		if got := FormatFor(url); got != want {
			t.Errorf("FormatFor(%q) = %q, want %q", url, got, want)
		}
		if got := Pick("auto", url); got != want {
			t.Errorf("Pick(auto, %q) = %q, want %q", url, got, want)
		}
		if got := Pick("", url); got != want {
			t.Errorf("Pick(\"\", %q) = %q, want %q", url, got, want)
		}
		if got := Pick(FormatSlack, url); got != FormatSlack {
			t.Errorf("Pick(slack, %q) = %q", url, got)
		}
	}
}
