// Package notify posts credential expiry reminders from an audit to a
// webhook: a generic JSON document, a Microsoft Teams card (Adaptive Card
// for Workflows webhooks, or the legacy MessageCard) or a Slack message.
// It owns the payload shapes; package webhook does the posting, retries
// and format picking. It never prints and never sends anything but the
// findings it is given (which hold no secrets).
package notify

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aadsts/aadsts/audit"
	"github.com/aadsts/aadsts/webhook"
)

// Payload formats (see package webhook).
const (
	FormatGeneric     = webhook.FormatGeneric
	FormatTeams       = webhook.FormatTeams       // Adaptive Card in a message, for Teams Workflows webhooks
	FormatMessageCard = webhook.FormatMessageCard // legacy Office 365 connector card
	FormatSlack       = webhook.FormatSlack
)

// Formats lists the accepted Format values ("" or "auto" picks by URL).
var Formats = webhook.Formats

// FormatFor picks a payload format from a webhook URL's host; see
// webhook.FormatFor.
func FormatFor(rawURL string) string { return webhook.FormatFor(rawURL) }

// Options configures Send.
type Options struct {
	URL    string
	Format string // one of Formats; "" or "auto" picks by URL
	Client *http.Client
	// Attempts is the number of tries (default 4); Backoff the first wait
	// (default 1s), doubled after each failure, or the server's
	// Retry-After when it sends one.
	Attempts int
	Backoff  time.Duration
	// Sleep waits between attempts; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   time.Time
}

// ErrWebhook is wrapped by Send's error when the webhook refused the post.
var ErrWebhook = webhook.ErrRefused

// Reminders keeps the findings that are expiry reminders: expired and
// expiring credentials.
func Reminders(fs []audit.Finding) []audit.Finding {
	var out []audit.Finding
	for _, f := range fs {
		if f.Rule == audit.RuleExpired || f.Rule == audit.RuleExpiring {
			out = append(out, f)
		}
	}
	return out
}

// Send posts the expiry reminders among fs. It returns how many reminders
// were sent; with none it posts nothing.
func Send(ctx context.Context, o Options, fs []audit.Finding) (int, error) {
	rs := Reminders(fs)
	if len(rs) == 0 {
		return 0, nil
	}
	body, err := Payload(webhook.Pick(o.Format, o.URL), rs, o.Now)
	if err != nil {
		return 0, err
	}
	p := webhook.Poster{Client: o.Client, Attempts: o.Attempts, Backoff: o.Backoff, Sleep: o.Sleep, UserAgent: "aadsts-audit"}
	if err := p.Post(ctx, o.URL, body); err != nil {
		return 0, fmt.Errorf("notify %s: %w", webhook.Redact(o.URL), err)
	}
	return len(rs), nil
}
