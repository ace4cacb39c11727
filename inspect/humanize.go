package inspect

import (
	"fmt"
	"time"
)

// Relative says how far t is from now in words: "in 3 days", "2 years ago".
func Relative(t, now time.Time) string {
	d := t.Sub(now)
	if d < 0 {
		return span(-d) + " ago"
	}
	return "in " + span(d)
}

func span(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d < time.Minute:
		return plural(int(d/time.Second), "second")
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < day:
		return plural(int(d/time.Hour), "hour")
	case d < 60*day:
		return plural(int(d/day), "day")
	case d < 730*day:
		return plural(int(d/(30*day)), "month")
	}
	return plural(int(d/(365*day)), "year")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// Window describes a validity window against now: its status ("valid",
// "expired", "not-yet-valid") and a phrase.
func Window(notBefore, notAfter, now time.Time) (status, phrase string) {
	switch {
	case !notBefore.IsZero() && now.Before(notBefore):
		return "not-yet-valid", "not valid yet: starts " + Relative(notBefore, now)
	case !notAfter.IsZero() && !now.Before(notAfter):
		return "expired", "expired " + Relative(notAfter, now)
	case notAfter.IsZero():
		return "valid", "valid, no end"
	}
	return "valid", "valid, expires " + Relative(notAfter, now)
}
