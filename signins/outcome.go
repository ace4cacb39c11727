package signins

import (
	"slices"
	"strings"
)

// interruptCodes are the AADSTS codes Entra logs for a sign-in that stopped
// to ask for something the user or client is expected to provide (MFA,
// registration, "stay signed in?", an account pick, a device check), listed
// as "Interrupted" by the portal rather than as failures.
var interruptCodes = map[int]bool{
	16000: true, // interaction required: pick an account
	16001: true, // account selection
	50055: true, // password expired: the user is sent to change it
	50058: true, // no session for silent sign-in
	50072: true, // MFA enrollment required
	50074: true, // strong authentication required
	50076: true, // MFA required by location or policy
	50079: true, // MFA registration required
	50097: true, // device authentication required
	50125: true, // interrupted by password reset or registration
	50127: true, // broker app must be installed
	50129: true, // device not workplace joined
	50140: true, // "keep me signed in" interrupt
	50143: true, // session mismatch
	50144: true, // AD password expired
	50158: true, // external security challenge
	50199: true, // CMSI interrupt: confirm the app
	51006: true, // reauthentication required
	81010: true, // Seamless SSO failed: falls back
	81012: true, // Seamless SSO: user mismatch, falls back
	81014: true, // Seamless SSO: falls back
}

// IsInterrupt reports whether code is logged as an interrupt rather than a
// failure.
func IsInterrupt(code int) bool { return interruptCodes[code] }

// InterruptCodes returns the interrupt codes, sorted.
func InterruptCodes() []int {
	out := make([]int, 0, len(interruptCodes))
	for c := range interruptCodes {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// OutcomeOf derives the outcome from an AADSTS code.
func OutcomeOf(code int) Outcome {
	switch {
	case code == 0:
		return OutcomeSuccess
	case IsInterrupt(code):
		return OutcomeInterrupt
	}
	return OutcomeFailure
}

// ParseOutcome accepts success, failure, interrupt and the portal's words
// (Success, Failure, Interrupted).
func ParseOutcome(s string) (Outcome, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "success", "succeeded":
		return OutcomeSuccess, true
	case "failure", "failed":
		return OutcomeFailure, true
	case "interrupt", "interrupted":
		return OutcomeInterrupt, true
	}
	return "", false
}

// foldName lowercases s and drops spaces, dashes and underscores.
func foldName(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c == ' ' || c == '-' || c == '_' || c == '\t':
		default:
			b = append(b, c)
		}
	}
	return string(b)
}
