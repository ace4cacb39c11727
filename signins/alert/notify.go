package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aadsts/aadsts/webhook"
)

// Notifier posts fired results to webhooks through package webhook, which
// retries transport errors, 429 and 5xx with exponential backoff, honouring
// Retry-After.
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
	case webhook.FormatSlack:
		return json.Marshal(map[string]any{"text": title + "\n" + strings.Join(lines, "\n")})
	case webhook.FormatTeams:
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
	p := webhook.Poster{Client: n.Client, Attempts: n.Attempts, Backoff: n.Backoff, Sleep: n.Sleep}
	if err := p.Post(ctx, t.URL, body); err != nil {
		return fmt.Errorf("notify %s: %w", webhook.Redact(t.URL), err)
	}
	return nil
}
