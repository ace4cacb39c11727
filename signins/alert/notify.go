package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Notifier posts fired results to webhooks, retrying failures with
// exponential backoff (and honouring Retry-After on 429 and 503).
type Notifier struct {
	Client   *http.Client
	Attempts int           // total tries per target; default 4
	Backoff  time.Duration // first wait; doubles each retry; default 1s
	// Sleep waits between tries; tests replace it. Default: a timer that
	// honours ctx.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Payload builds the body for a target format.
func Payload(format string, fired []Result) ([]byte, error) {
	var lines []string
	for _, r := range fired {
		lines = append(lines, fmt.Sprintf("%s (severity %d): %s", r.Rule, r.Severity, r.Reason))
	}
	title := fmt.Sprintf("aadsts: %d sign-in alert rule(s) fired", len(fired))
	switch format {
	case "slack":
		return json.Marshal(map[string]any{"text": title + "\n" + strings.Join(lines, "\n")})
	case "teams":
		body := []map[string]any{{"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": true}}
		for _, l := range lines {
			body = append(body, map[string]any{"type": "TextBlock", "text": l, "wrap": true})
		}
		return json.Marshal(map[string]any{
			"type": "message",
			"attachments": []map[string]any{{
				"contentType": "application/vnd.microsoft.card.adaptive",
				"content": map[string]any{
					"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
					"type":    "AdaptiveCard", "version": "1.4", "body": body,
				},
			}},
		})
	}
	return json.Marshal(map[string]any{"source": "aadsts", "title": title, "alerts": fired})
}

// Send posts the fired results to one target.
func (n *Notifier) Send(ctx context.Context, t Target, fired []Result) error {
	body, err := Payload(t.Format, fired)
	if err != nil {
		return err
	}
	client, attempts, wait := n.Client, n.Attempts, n.Backoff
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	if attempts <= 0 {
		attempts = 4
	}
	if wait <= 0 {
		wait = time.Second
	}
	sleep := n.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	var last error
	for i := range attempts {
		if i > 0 {
			if err := sleep(ctx, wait); err != nil {
				return err
			}
			wait *= 2
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("notify %s: %w", redactURL(t.URL), err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			last = fmt.Errorf("notify %s: %w", redactURL(t.URL), err)
			continue
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if resp.StatusCode < 300 {
			return nil
		}
		last = fmt.Errorf("notify %s: HTTP %d", redactURL(t.URL), resp.StatusCode)
		if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
			return last // a client error will not get better
		}
		if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && ra > 0 {
			wait = time.Duration(ra) * time.Second
		}
	}
	return last
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// redactURL keeps a webhook's host and drops its path and query, which
// carry the webhook's secret.
func redactURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return "(webhook)"
	}
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host + "/…"
}
