package emulator

import "github.com/aadsts/aadsts/rules"

// User-flow plumbing: turning rules verdicts into failures. Every decision
// (scope reading, redirect URI, consent, PKCE, code and refresh token
// redemption, device code, password, on-behalf-of) is made by package
// rules; the emulator only keeps the state they are made on.

// failureOfResult renders a rules verdict as the emulator's failure, nil
// when the rules accept.
func failureOfResult(r rules.Result) *Failure {
	if r.Verdict == nil {
		return nil
	}
	f := failureOf(*r.Verdict)
	return &f
}

// codeInvalid is the answer for a code (or the user it stands for) the
// emulator no longer knows: the rules' verdict for an unknown code.
func codeInvalid() *Failure {
	return failureOfResult(rules.CheckCodeRedemption(rules.CodeRedemption{}))
}
