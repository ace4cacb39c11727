// Package notify posts credential expiry reminders from an audit to a
// webhook: a generic JSON document, a Microsoft Teams card (Adaptive Card
// for Workflows webhooks, or the legacy MessageCard) or a Slack message.
// It owns the payload shapes and the retry policy; it never prints and
// never sends anything but the findings it is given (which hold no
// secrets).
package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/audit"
)

// Payload formats.
const (
	FormatGeneric     = "generic"
	FormatTeams       = "teams"       // Adaptive Card in a message, for Teams Workflows webhooks
	FormatMessageCard = "messagecard" // legacy Office 365 connector card
	FormatSlack       = "slack"
)

// Formats lists the accepted Format values ("" or "auto" picks by URL).
var Formats = []string{"auto", FormatGeneric, FormatTeams, FormatMessageCard, FormatSlack}

// FormatFor picks a payload format from a webhook URL's host: Slack
// (hooks.slack.com), Teams (*.webhook.office.com, outlook.office.com, and
// Power Automate / Logic Apps hosts used by Teams Workflows), else generic.
func FormatFor(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return FormatGeneric
	}
	h := strings.ToLower(u.Hostname())
	switch {
	case h == "hooks.slack.com":
		return FormatSlack
	case strings.HasSuffix(h, ".webhook.office.com"), h == "outlook.office.com", h == "outlook.office365.com":
		return FormatMessageCard
	case strings.HasSuffix(h, ".logic.azure.com"), strings.HasSuffix(h, ".powerautomate.com"), strings.HasSuffix(h, ".environment.api.powerplatform.com"):
		return FormatTeams
	}
	return FormatGeneric
}

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
var ErrWebhook = errors.New("webhook refused the notification")

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
	format := o.Format
	if format == "" || format == "auto" {
		format = FormatFor(o.URL)
	}
	body, err := Payload(format, rs, o.Now)
	if err != nil {
		return 0, err
	}
	if err := post(ctx, o, body); err != nil {
		return 0, fmt.Errorf("notify %s: %w", redactURL(o.URL), err)
	}
	return len(rs), nil
}

func post(ctx context.Context, o Options, body []byte) error {
	client := o.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	attempts, wait := o.Attempts, o.Backoff
	if attempts <= 0 {
		attempts = 4
	}
	if wait <= 0 {
		wait = time.Second
	}
	sleep := o.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	var last error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			if err := sleep(ctx, wait); err != nil {
				return err
			}
			wait *= 2
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.URL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "aadsts-audit")
		resp, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		switch {
		case resp.StatusCode < 300:
			return nil
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			last = fmt.Errorf("%w: HTTP %d", ErrWebhook, resp.StatusCode)
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 && s <= 300 {
				wait = time.Duration(s) * time.Second
			}
		default:
			return fmt.Errorf("%w: HTTP %d: %s", ErrWebhook, resp.StatusCode, strings.TrimSpace(string(msg)))
		}
	}
	return fmt.Errorf("after %d attempts: %w", attempts, last)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// redactURL keeps a webhook URL's host: its path and query are the secret.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "webhook"
	}
	return u.Scheme + "://" + u.Host + "/…"
}
