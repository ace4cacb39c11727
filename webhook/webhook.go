// Package webhook owns posting a JSON payload to a webhook URL: retries
// with exponential backoff, honouring Retry-After, a redacted form of the
// URL for messages (its path and query are the secret), and picking the
// payload format (generic, Teams, Slack) from the URL or a flag. It does
// not build payloads and knows nothing about audit findings or sign-ins;
// it never prints.
package webhook

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
)

// Payload formats.
const (
	FormatGeneric     = "generic"
	FormatTeams       = "teams"       // Adaptive Card in a message, for Teams Workflows webhooks
	FormatMessageCard = "messagecard" // legacy Office 365 connector card
	FormatSlack       = "slack"
)

// Formats lists the accepted format flag values ("" or "auto" picks by URL).
var Formats = []string{"auto", FormatGeneric, FormatTeams, FormatMessageCard, FormatSlack}

// FormatFor picks a payload format from a webhook URL's host: Slack
// (hooks.slack.com), MessageCard (*.webhook.office.com, outlook.office.com,
// outlook.office365.com), Teams Adaptive Card (Power Automate / Logic Apps
// hosts used by Teams Workflows), else generic.
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

// Pick returns flag unless it is "" or "auto", in which case it picks by
// the URL with FormatFor.
func Pick(flag, rawURL string) string {
	if flag == "" || flag == "auto" {
		return FormatFor(rawURL)
	}
	return flag
}

// Redact keeps a webhook URL's scheme and host (never user info) and drops
// its path and query, which carry the webhook's secret.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "(webhook)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// ErrRefused is wrapped by Post's error when the webhook answered with a
// non-2xx status.
var ErrRefused = errors.New("webhook refused the post")

// Poster posts JSON bodies with retries. The zero value is ready to use.
type Poster struct {
	Client *http.Client // default: 30s timeout
	// Attempts is the number of tries (default 4); Backoff the first wait
	// (default 1s), doubled after each failure, or the server's
	// Retry-After (seconds, 0-300) when it sends one with a 429 or 5xx.
	Attempts int
	Backoff  time.Duration
	// Sleep waits between attempts; tests replace it. Default: Sleep.
	Sleep     func(ctx context.Context, d time.Duration) error
	UserAgent string // optional User-Agent header
}

// maxRetryAfter bounds the Retry-After the poster honours; a longer one
// falls back to the exponential backoff.
const maxRetryAfter = 300

// Post sends body to rawURL as application/json. It retries transport
// errors, 429 and 5xx; other non-2xx statuses fail at once. Errors never
// contain the URL; callers add Redact(rawURL) for context.
func (p Poster) Post(ctx context.Context, rawURL string, body []byte) error {
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	attempts, wait := p.Attempts, p.Backoff
	if attempts <= 0 {
		attempts = 4
	}
	if wait <= 0 {
		wait = time.Second
	}
	sleep := p.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	var last error
	for i := range attempts {
		if i > 0 {
			if err := sleep(ctx, wait); err != nil {
				return err
			}
			wait *= 2
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
		if err != nil {
			return errors.New("invalid webhook URL") // url.Error would quote the URL
		}
		req.Header.Set("Content-Type", "application/json")
		if p.UserAgent != "" {
			req.Header.Set("User-Agent", p.UserAgent)
		}
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			last = transportError(err)
			continue
		}
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		switch {
		case resp.StatusCode < 300:
			return nil
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			last = fmt.Errorf("%w: HTTP %d", ErrRefused, resp.StatusCode)
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 && s <= maxRetryAfter {
				wait = time.Duration(s) * time.Second
			}
		default:
			return fmt.Errorf("%w: HTTP %d: %s", ErrRefused, resp.StatusCode, strings.TrimSpace(string(msg)))
		}
	}
	return fmt.Errorf("after %d attempts: %w", attempts, last)
}

// transportError drops the URL a *url.Error carries, keeping its cause.
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// Sleep waits d or until ctx is done, returning ctx.Err() then.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
