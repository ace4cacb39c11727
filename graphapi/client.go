package graphapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is Microsoft Graph v1.0.
const DefaultBaseURL = "https://graph.microsoft.com/v1.0"

// TokenSource returns a bearer token for Microsoft Graph.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// StaticToken is a TokenSource that always returns the same token.
type StaticToken string

// Token returns the token.
func (s StaticToken) Token(context.Context) (string, error) { return string(s), nil }

// Client reads Microsoft Graph collections.
type Client struct {
	base   *url.URL
	http   *http.Client
	tokens TokenSource
	// MaxRetries is how many times a throttled (429) or unavailable (503,
	// 504) request is retried; default 6.
	MaxRetries int
	// MaxWait caps one wait; default 2 minutes.
	MaxWait time.Duration
	// Sleep waits between retries; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// New returns a client for baseURL (DefaultBaseURL when empty, or for the
// emulator https://127.0.0.1:PORT/v1.0). hc may be nil.
func New(baseURL string, tokens TokenSource, hc *http.Client) (*Client, error) {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	u, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("graph base URL %q: want an absolute https URL", baseURL)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("graph base URL %q: plain http is only allowed to a loopback address", baseURL)
	}
	if tokens == nil {
		return nil, errors.New("graph client: no token source")
	}
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &Client{base: u, http: hc, tokens: tokens, MaxRetries: 6, MaxWait: 2 * time.Minute, Sleep: sleepCtx}, nil
}

func isLoopback(h string) bool { return h == "127.0.0.1" || h == "::1" || h == "localhost" }

// Error is an error answer from Graph.
type Error struct {
	Status    int
	Code      string
	Message   string
	RequestID string
	URL       string // without query
}

func (e *Error) Error() string {
	s := fmt.Sprintf("graph %s: HTTP %d", e.URL, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RequestID != "" {
		s += " (request-id " + e.RequestID + ")"
	}
	return s
}

// ErrForeignNextLink means a page pointed @odata.nextLink at another host;
// the client refuses to send the token there.
var ErrForeignNextLink = errors.New("@odata.nextLink points to another host")

type page struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

// Each GETs the collection at path (relative to the base URL, with its
// query, e.g. "/applications?$top=999") and calls fn for each item of
// every page, following @odata.nextLink. It stops at fn's first error.
func (c *Client) Each(ctx context.Context, path string, fn func(json.RawMessage) error) error {
	next, err := c.resolve(path)
	if err != nil {
		return err
	}
	for next != "" {
		var p page
		if err := c.get(ctx, next, &p); err != nil {
			return err
		}
		for _, item := range p.Value {
			if err := fn(item); err != nil {
				return err
			}
		}
		if p.NextLink == "" {
			break
		}
		n, err := url.Parse(p.NextLink)
		if err != nil || !strings.EqualFold(n.Host, c.base.Host) || n.Scheme != c.base.Scheme {
			return fmt.Errorf("graph %s: %w", redact(next), ErrForeignNextLink)
		}
		next = p.NextLink
	}
	return nil
}

// Get GETs one object at path into v.
func (c *Client) Get(ctx context.Context, path string, v any) error {
	u, err := c.resolve(path)
	if err != nil {
		return err
	}
	return c.get(ctx, u, v)
}

func (c *Client) resolve(path string) (string, error) {
	if strings.HasPrefix(path, "https://") || strings.HasPrefix(path, "http://") {
		return "", fmt.Errorf("graph path %q: give a path relative to the base URL", path)
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return c.base.String() + path, nil
}

func (c *Client) get(ctx context.Context, u string, v any) error {
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return fmt.Errorf("graph token: %w", err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return fmt.Errorf("graph %s: %w", redact(u), err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", "aadsts")
		resp, err := c.http.Do(req)
		if err != nil {
			return fmt.Errorf("graph %s: %w", redact(u), err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("graph %s: %w", redact(u), err)
		}
		retryable := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout
		if retryable && attempt < c.MaxRetries {
			if err := c.Sleep(ctx, c.wait(resp.Header.Get("Retry-After"), attempt)); err != nil {
				return err
			}
			continue
		}
		if resp.StatusCode/100 != 2 {
			return graphError(u, resp.StatusCode, body)
		}
		if err := json.Unmarshal(body, v); err != nil {
			return fmt.Errorf("graph %s: not JSON: %w", redact(u), err)
		}
		return nil
	}
}

// wait is the server's Retry-After (seconds or an HTTP date), else an
// exponential backoff from one second, capped by MaxWait.
func (c *Client) wait(retryAfter string, attempt int) time.Duration {
	d := time.Second << min(attempt, 7)
	if s, err := strconv.Atoi(strings.TrimSpace(retryAfter)); err == nil && s >= 0 {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(retryAfter); err == nil {
		d = time.Until(t)
	}
	if d < 0 {
		d = 0
	}
	if c.MaxWait > 0 && d > c.MaxWait {
		d = c.MaxWait
	}
	return d
}

func graphError(u string, status int, body []byte) error {
	var e struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID string `json:"request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return &Error{Status: status, Code: e.Error.Code, Message: e.Error.Message, RequestID: e.Error.InnerError.RequestID, URL: redact(u)}
}

// redact drops the query (skip tokens) from a URL for messages.
func redact(u string) string {
	s, _, _ := strings.Cut(u, "?")
	return s
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
