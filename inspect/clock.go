package inspect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aadsts/aadsts/rules"
)

// DefaultAuthority is the public cloud's sign-in host.
const DefaultAuthority = "https://login.microsoftonline.com"

// Tolerances the clock check reasons with.
const (
	// AssertionLifetime is how long MSAL makes a client assertion valid
	// (exp = now + 10 minutes).
	AssertionLifetime = 10 * time.Minute
	// TokenLifetime is a typical Entra access token lifetime (60 to 90
	// minutes, randomised).
	TokenLifetime = 60 * time.Minute
)

// Clock is the result of comparing the local clock with an authority's.
type Clock struct {
	Authority string    `json:"authority"`
	Local     time.Time `json:"local"`
	Server    time.Time `json:"server"`
	// Skew is local minus server: positive when the local clock is ahead.
	Skew        time.Duration `json:"-"`
	SkewSeconds float64       `json:"skew_seconds"`
	// Uncertainty bounds the measurement: half the round trip plus the
	// one-second resolution of the HTTP Date header.
	UncertaintySeconds float64        `json:"uncertainty_seconds"`
	EntraCode          int            `json:"entra_code"`
	Checks             []ClockFinding `json:"checks"`
}

// ClockFinding is one consequence of the skew.
type ClockFinding struct {
	ID     string `json:"id"`
	Status string `json:"status"` // pass, warn or fail
	Code   int    `json:"code,omitempty"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// CheckClock reads the HTTP Date header of authority and compares it with
// now(), taken before and after the request. It follows no redirects.
func CheckClock(ctx context.Context, client *http.Client, authority string, now func() time.Time) (*Clock, error) {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authority, nil)
	if err != nil {
		return nil, fmt.Errorf("authority %q: %w", authority, err)
	}
	t0 := now()
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("authority %s: %w", authority, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	t1 := now()
	date := resp.Header.Get("Date")
	if date == "" {
		return nil, fmt.Errorf("authority %s: %w", authority, errNoDate)
	}
	server, err := http.ParseTime(date)
	if err != nil {
		return nil, fmt.Errorf("authority %s: Date header %q: %w", authority, date, err)
	}
	rtt := t1.Sub(t0)
	local := t0.Add(rtt / 2)
	// The Date header truncates to the second: the server's clock was
	// somewhere in [server, server+1s).
	server = server.Add(500 * time.Millisecond)
	return ExplainSkew(authority, local.UTC(), server.UTC(), rtt/2+500*time.Millisecond), nil
}

var errNoDate = errors.New("the response has no Date header")

// ExplainSkew says what a clock difference means for client assertions
// and for token validation. It does no I/O.
func ExplainSkew(authority string, local, server time.Time, uncertainty time.Duration) *Clock {
	skew := local.Sub(server)
	c := &Clock{Authority: authority, Local: local, Server: server, Skew: skew,
		SkewSeconds: skew.Round(time.Millisecond).Seconds(), UncertaintySeconds: uncertainty.Round(time.Millisecond).Seconds()}
	abs := skew
	if abs < 0 {
		abs = -abs
	}
	dir := "ahead of"
	if skew < 0 {
		dir = "behind"
	}
	add := func(f ClockFinding) { c.Checks = append(c.Checks, f) }
	syncFix := "synchronise the clock with NTP (Windows: w32tm /resync; Linux: timedatectl set-ntp true or chronyc makestep)"

	st := "pass"
	if abs > time.Minute {
		st = "warn"
	}
	if abs > rules.DefaultSkew {
		st = "fail"
	}
	add(ClockFinding{ID: "clock-skew", Status: st, Detail: fmt.Sprintf("the local clock is %s %s the authority's (%s ± %s)", span(abs), dir, authority, uncertainty.Round(time.Millisecond)), Fix: fixIf(st != "pass", syncFix)})

	// Client assertions: MSAL sets nbf = now and exp = now + 10 min from
	// the local clock; rules decides whether Entra, at its own time, takes
	// such an assertion.
	assertion := rules.JudgeTimes(server, local, local.Add(AssertionLifetime), rules.DefaultSkew)
	switch {
	case assertion == rules.NotYetValid:
		c.EntraCode = 700024
		add(ClockFinding{ID: "assertion-window", Status: "fail", Code: 700024, Detail: fmt.Sprintf("a client assertion built now starts (nbf) %s in Entra's future, past the assumed ±%s tolerance: AADSTS700024 (client assertion is not within its valid time range)", span(skew), span(rules.DefaultSkew)), Fix: syncFix})
	case assertion == rules.Expired:
		c.EntraCode = 700024
		add(ClockFinding{ID: "assertion-window", Status: "fail", Code: 700024, Detail: fmt.Sprintf("a client assertion built now (valid for %s) is already expired in Entra's time, past the assumed ±%s tolerance: AADSTS700024", span(AssertionLifetime), span(rules.DefaultSkew)), Fix: syncFix})
	case abs > time.Minute:
		add(ClockFinding{ID: "assertion-window", Status: "warn", Detail: fmt.Sprintf("client assertions still fit Entra's window, with %s of margin lost", span(abs))})
	default:
		add(ClockFinding{ID: "assertion-window", Status: "pass", Detail: "client assertions built with this clock fall inside Entra's time window"})
	}

	// Token validation on this machine with Microsoft.IdentityModel: a
	// token Entra issues now (nbf back-dated, exp a lifetime ahead, in
	// Entra's time) judged at the local time by rules' lifetime rule.
	leeway := rules.DefaultLeeway
	token := rules.JudgeTimes(local, server.Add(-rules.NotBeforeBackdate), server.Add(TokenLifetime), leeway)
	switch {
	case token == rules.NotYetValid:
		add(ClockFinding{ID: "token-validation", Status: "fail", Detail: fmt.Sprintf("fresh Entra tokens look not yet valid here (nbf is back-dated %s, default ClockSkew %s): IDX10222 (lifetime validation failed, the token is not yet valid)", span(rules.NotBeforeBackdate), span(leeway)), Fix: syncFix})
	case token == rules.Expired:
		add(ClockFinding{ID: "token-validation", Status: "fail", Detail: "fresh Entra tokens look expired here: IDX10223 (lifetime validation failed, the token is expired)", Fix: syncFix})
	case skew > leeway:
		add(ClockFinding{ID: "token-validation", Status: "warn", Detail: fmt.Sprintf("tokens are treated as expiring %s early here, and MSAL's cache refreshes them early", span(skew-leeway))})
	default:
		add(ClockFinding{ID: "token-validation", Status: "pass", Detail: fmt.Sprintf("within Microsoft.IdentityModel's default ClockSkew of %s for Entra tokens", span(leeway))})
	}
	return c
}

func fixIf(cond bool, fix string) string {
	if cond {
		return fix
	}
	return ""
}
