package explain

import (
	"fmt"
	"time"

	"github.com/aadsts/aadsts/errtext"
)

// TextFact is a fact derived from the values in the text itself (the times
// Entra printed), in the "check=status" form of fact signals, with a note
// for people. Their ids start with "text.".
type TextFact struct {
	Fact string // e.g. "text.assertion-expired=fail"
	Note string
}

// TextFacts derives facts from the text's own values: how an assertion's
// window relates to Entra's clock, whether a key had expired when Entra
// looked, how long a token lived.
func TextFacts(r errtext.Result) []TextFact {
	var out []TextFact
	add := func(fact, format string, args ...any) {
		out = append(out, TextFact{fact, fmt.Sprintf(format, args...)})
	}
	at := func(name string) (time.Time, bool) {
		v, ok := r.Field(name)
		if !ok {
			return time.Time{}, false
		}
		return errtext.ParseTime(v)
	}
	now, hasNow := at("current_time")
	if !hasNow {
		now, hasNow = at("timestamp")
	}
	if nbf, ok := at("assertion_valid_from"); ok {
		if nbf.Year() <= 1970 {
			add("text.nbf-missing=warn", "the assertion has no usable nbf (Entra shows it as %s)", nbf.Format("2006-01-02"))
		} else if hasNow && nbf.After(now) {
			add("text.assertion-not-yet-valid=fail", "the assertion becomes valid %s after Entra's current time: a clock ahead or local time", nbf.Sub(now).Round(time.Second))
		}
	}
	if exp, ok := at("assertion_expiry"); ok && hasNow && now.After(exp) {
		gap := now.Sub(exp)
		add("text.assertion-expired=fail", "the assertion expired %s before Entra's current time", gap.Round(time.Second))
		if nearWholeHours(gap) {
			add("text.expiry-gap-whole-hours=warn", "the gap is close to a whole number of hours (%s): times computed from local time instead of UTC?", gap.Round(time.Minute))
		}
	}
	if end, ok := at("key_end"); ok && hasNow && now.After(end) {
		add("text.key-expired=fail", "the key Entra found ended on %s, before the request", end.Format("2006-01-02"))
	}
	if start, ok := at("key_start"); ok && hasNow && start.After(now) {
		add("text.key-not-yet-valid=fail", "the key Entra found starts on %s, after the request", start.Format("2006-01-02"))
	}
	if issued, ok := at("token_issued"); ok && hasNow {
		if v, ok := r.Normal("max_lifetime"); ok {
			if d, err := time.ParseDuration(v); err == nil && now.Sub(issued) > d {
				add("text.token-older-than-max-lifetime=fail", "the token was %s old, the allowed lifetime is %s", now.Sub(issued).Round(time.Minute), d)
			}
		}
	}
	if granted, ok := at("grant_issued"); ok {
		if from, ok := at("tokens_valid_from"); ok && from.After(granted) {
			add("text.grant-before-revocation=fail", "the grant was issued %s before the user's tokens-valid-from date (a password change or revocation)", from.Sub(granted).Round(time.Minute))
		}
	}
	return out
}

// nearWholeHours: at least 45 minutes and within 12 minutes of a whole
// number of hours (assertions live minutes, so an offset of hours shows
// up as whole hours less the lifetime).
func nearWholeHours(d time.Duration) bool {
	if d < 45*time.Minute {
		return false
	}
	rem := d % time.Hour
	return rem <= 12*time.Minute || rem >= 48*time.Minute
}
