package alert

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/sqlstore"
	"github.com/aadsts/aadsts/signins/storetest"
)

func TestLoadStrict(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown field", "rules:\n  - name: a\n    treshold: 3\n", "treshold"},
		{"bad category", "rules:\n  - name: a\n    match: {categories: [nope]}\n", "category \"nope\""},
		{"bad kind and outcome together", "rules:\n  - name: a\n    match: {kinds: [robot], outcomes: [meh]}\n", "outcome \"meh\""},
		{"bad duration", "rules:\n  - name: a\n    window: soon\n", "duration"},
		{"no rules", "notify: []\n", "no rules"},
		{"duplicate", "rules:\n  - name: a\n  - name: a\n", "duplicate"},
		{"webhook format", "rules:\n  - name: a\nnotify:\n  - url: https://x\n    format: xml\n", "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.yaml), "r.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want an error naming %q", err, tt.want)
			}
		})
	}
	_, err := Load(strings.NewReader("rules:\n  - name: a\n    match: {kinds: [robot], outcomes: [meh]}\n"), "r.yaml")
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "robot") {
		t.Fatalf("every problem at once: %v", err)
	}
}

func TestEvaluate(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.OpenMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	var recs []*signins.Record
	for i := range 6 { // 6 failures in the last hour
		recs = append(recs, storetest.SignIn("f"+string(rune('a'+i)), signins.KindServicePrincipal, now.Add(-time.Duration(i+1)*5*time.Minute), "app1", 7000222))
	}
	for i := range 24 { // 1 per hour over the day before
		recs = append(recs, storetest.SignIn("b"+string(rune('A'+i)), signins.KindServicePrincipal, now.Add(-2*time.Hour-time.Duration(i)*time.Hour), "app1", 7000222))
	}
	if _, err := st.Put(ctx, signins.Batch{SignIns: recs}); err != nil {
		t.Fatal(err)
	}
	f, err := Load(strings.NewReader(`
rules:
  - name: count-fires
    match: {codes: [7000222]}
    threshold: 5
  - name: count-quiet
    match: {codes: [7000222], apps: [other]}
    threshold: 1
  - name: rise-fires
    match: {categories: [client-auth]}
    baseline: 1d
    factor: 3
  - name: rise-quiet
    match: {codes: [7000222]}
    baseline: 1d
    factor: 10
`), "r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Evaluate(ctx, st, f, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"count-fires": true, "count-quiet": false, "rise-fires": true, "rise-quiet": false}
	for _, r := range res {
		if r.Fired != want[r.Rule] || r.Reason == "" {
			t.Errorf("%s fired=%v (%s), want %v", r.Rule, r.Fired, r.Reason, want[r.Rule])
		}
	}
}

func TestNotifyRetriesThenDelivers(t *testing.T) {
	for _, format := range []string{"json", "teams", "slack"} {
		t.Run(format, func(t *testing.T) {
			var calls atomic.Int32
			var body []byte
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch calls.Add(1) {
				case 1:
					w.WriteHeader(http.StatusServiceUnavailable)
				case 2:
					w.Header().Set("Retry-After", "7")
					w.WriteHeader(http.StatusTooManyRequests)
				default:
					body, _ = io.ReadAll(r.Body)
				}
			}))
			defer srv.Close()
			var waits []time.Duration
			n := &Notifier{Client: srv.Client(), Backoff: time.Second, Sleep: func(_ context.Context, d time.Duration) error {
				waits = append(waits, d)
				return nil
			}}
			fired := []Result{{Rule: "r1", Fired: true, Count: 9, Reason: "9 matching sign-ins"}}
			if err := n.Send(context.Background(), Target{URL: srv.URL + "/hook/secret", Format: format}, fired); err != nil {
				t.Fatal(err)
			}
			if calls.Load() != 3 || len(waits) != 2 || waits[0] != time.Second || waits[1] != 7*time.Second {
				t.Fatalf("calls %d, waits %v", calls.Load(), waits)
			}
			var v map[string]any
			if err := json.Unmarshal(body, &v); err != nil || !strings.Contains(string(body), "r1") {
				t.Fatalf("payload %s: %v", body, err)
			}
			switch format {
			case "slack":
				if _, ok := v["text"]; !ok {
					t.Fatalf("slack payload lacks text: %s", body)
				}
			case "teams":
				if v["type"] != "message" || !strings.Contains(string(body), "AdaptiveCard") {
					t.Fatalf("teams payload: %s", body)
				}
			}
		})
	}
}

func TestNotifyGivesUpWithoutLeakingTheURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadRequest) }))
	defer srv.Close()
	n := &Notifier{Client: srv.Client(), Sleep: func(context.Context, time.Duration) error { return nil }}
	err := n.Send(context.Background(), Target{URL: srv.URL + "/hook/s3cr3t", Format: "json"}, nil)
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("error %v: want a failure without the webhook path", err)
	}
}
