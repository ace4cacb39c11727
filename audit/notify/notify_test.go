package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aadsts/aadsts/audit"
)

var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func findings() []audit.Finding {
	exp := now.Add(5 * audit.Day)
	old := now.Add(-3 * audit.Day)
	return []audit.Finding{
		{Rule: audit.RuleExpiring, Severity: audit.Critical, AppID: "app-1", ObjectID: "obj-1", KeyID: "k1", DisplayName: "daemon <prod>", CredentialType: "secret", CredentialName: "ci", Expires: &exp, Message: "m1", Fix: "f1"},
		{Rule: audit.RuleExpired, Severity: audit.Critical, AppID: "app-2", ObjectID: "obj-2", KeyID: "k2", CredentialType: "certificate", Expires: &old, Message: "m2", Fix: "f2"},
		{Rule: audit.RuleSPSecret, Severity: audit.Warning, AppID: "app-3", ObjectID: "obj-3", Message: "not a reminder", Fix: "f"},
	}
}

type hook struct {
	mu       sync.Mutex
	statuses []int // served in order; then 200
	bodies   [][]byte
	retry    string
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	b, _ := io.ReadAll(r.Body)
	h.bodies = append(h.bodies, b)
	if r.Header.Get("Content-Type") != "application/json" {
		w.WriteHeader(http.StatusUnsupportedMediaType)
		return
	}
	if len(h.statuses) > 0 {
		s := h.statuses[0]
		h.statuses = h.statuses[1:]
		if h.retry != "" {
			w.Header().Set("Retry-After", h.retry)
		}
		w.WriteHeader(s)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func TestSendFormats(t *testing.T) {
	for _, format := range []string{FormatGeneric, FormatSlack, FormatTeams, FormatMessageCard} {
		t.Run(format, func(t *testing.T) {
			h := &hook{}
			srv := httptest.NewServer(h)
			defer srv.Close()
			n, err := Send(context.Background(), Options{URL: srv.URL + "/hook", Format: format, Client: srv.Client(), Now: now}, findings())
			if err != nil || n != 2 {
				t.Fatalf("sent %d, %v", n, err)
			}
			var doc map[string]any
			if err := json.Unmarshal(h.bodies[0], &doc); err != nil {
				t.Fatal(err)
			}
			body := string(h.bodies[0])
			if strings.Contains(body, "not a reminder") {
				t.Fatal("a non-expiry finding was sent")
			}
			switch format {
			case FormatGeneric:
				rs := doc["reminders"].([]any)
				if len(rs) != 2 || rs[0].(map[string]any)["days_left"].(float64) != 5 {
					t.Fatalf("reminders %v", rs)
				}
			case FormatSlack:
				if doc["text"] == "" || len(doc["blocks"].([]any)) != 3 || !strings.Contains(doc["blocks"].([]any)[1].(map[string]any)["text"].(map[string]any)["text"].(string), "daemon &lt;prod&gt;") {
					t.Fatalf("slack payload %s", body)
				}
			case FormatTeams:
				att := doc["attachments"].([]any)[0].(map[string]any)
				if att["contentType"] != "application/vnd.microsoft.card.adaptive" || att["content"].(map[string]any)["type"] != "AdaptiveCard" {
					t.Fatalf("teams payload %s", body)
				}
			case FormatMessageCard:
				if doc["@type"] != "MessageCard" || doc["themeColor"] != "D00000" {
					t.Fatalf("message card %s", body)
				}
			}
		})
	}
}

func TestNothingToSend(t *testing.T) {
	n, err := Send(context.Background(), Options{URL: "http://127.0.0.1:1/never"}, findings()[2:])
	if n != 0 || err != nil {
		t.Fatalf("%d %v", n, err)
	}
}

func TestRetries(t *testing.T) {
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	t.Run("recovers after 503 and 429", func(t *testing.T) {
		waits = nil
		h := &hook{statuses: []int{503, 429}, retry: "7"}
		srv := httptest.NewServer(h)
		defer srv.Close()
		n, err := Send(context.Background(), Options{URL: srv.URL, Format: FormatGeneric, Client: srv.Client(), Sleep: sleep, Backoff: time.Second, Now: now}, findings())
		if err != nil || n != 2 || len(h.bodies) != 3 {
			t.Fatalf("n %d err %v posts %d", n, err, len(h.bodies))
		}
		if len(waits) != 2 || waits[0] != 7*time.Second || waits[1] != 7*time.Second {
			t.Fatalf("waits %v, want Retry-After 7s twice", waits)
		}
	})
	t.Run("exponential without Retry-After", func(t *testing.T) {
		waits = nil
		h := &hook{statuses: []int{500, 500, 500, 500}}
		srv := httptest.NewServer(h)
		defer srv.Close()
		_, err := Send(context.Background(), Options{URL: srv.URL + "/secret-path", Format: FormatGeneric, Client: srv.Client(), Sleep: sleep, Backoff: time.Second, Attempts: 4, Now: now}, findings())
		if !errors.Is(err, ErrWebhook) {
			t.Fatalf("err %v", err)
		}
		if strings.Contains(err.Error(), "secret-path") {
			t.Fatal("webhook path (its secret) in the error")
		}
		if len(waits) != 3 || waits[0] != time.Second || waits[1] != 2*time.Second || waits[2] != 4*time.Second {
			t.Fatalf("waits %v", waits)
		}
	})
	t.Run("client error is not retried", func(t *testing.T) {
		waits = nil
		h := &hook{statuses: []int{400}}
		srv := httptest.NewServer(h)
		defer srv.Close()
		_, err := Send(context.Background(), Options{URL: srv.URL, Format: FormatGeneric, Client: srv.Client(), Sleep: sleep, Now: now}, findings())
		if !errors.Is(err, ErrWebhook) || len(h.bodies) != 1 {
			t.Fatalf("err %v posts %d", err, len(h.bodies))
		}
	})
}

// FormatFor's URL table is tested in package webhook.
func TestUnknownFormat(t *testing.T) {
	if _, err := Payload("pager", nil, now); err == nil {
		t.Fatal("unknown format accepted")
	}
}
