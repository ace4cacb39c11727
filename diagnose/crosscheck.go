package diagnose

import (
	"fmt"
	"strings"
	"time"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/directory"
	"github.com/aadsts/aadsts/errtext"
	"github.com/aadsts/aadsts/jose"
	"github.com/aadsts/aadsts/rules"
)

// crossCheck compares the error text the user got with the artifacts: the
// code the rules predict, the thumbprint the error names against the
// certificate's, the app id, and the key window against the error's
// timestamp.
func crossCheck(r *Report, text string, c credentials, tok *jose.JWT, in rules.AssertionInput) {
	e := errtext.Parse(text)
	add := func(id, status, detail, fix string) {
		r.CrossChecks = append(r.CrossChecks, Check{ID: id, Status: status, Detail: detail, Fix: fix})
	}
	if e.Primary == 0 {
		add("error.code", "warn", "the --error text holds no AADSTS code", "Paste the whole error_description or the JSON response body.")
		return
	}
	r.fact("error_code", fmt.Sprint(e.Primary))
	switch {
	case e.Primary == r.EntraCode:
		add("error.code", "pass", fmt.Sprintf("the error's code AADSTS%d is what the checks predict from these artifacts", e.Primary), "")
	case r.EntraCode == 0:
		add("error.code", "warn", fmt.Sprintf("the error is AADSTS%d but these artifacts pass every check: the failing request used something else (another assertion, certificate, app or time)", e.Primary),
			"Diagnose the assertion the failing request actually sent (log it redacted, or capture it with --assertion from the same run).")
	default:
		add("error.code", "warn", fmt.Sprintf("the error is AADSTS%d; these artifacts give AADSTS%d", e.Primary, r.EntraCode), "")
	}
	if appID, ok := e.Normal("app_id"); ok && in.App != nil && in.App.AppID != "" && !strings.EqualFold(appID, in.App.AppID) {
		add("error.app", "fail", fmt.Sprintf("the error is about app %s; the export given is app %s", appID, in.App.AppID), "Export the app the error names (az ad app show --id "+appID+").")
	}
	thumb, hasThumb := e.Field("thumbprint")
	if hasThumb {
		p, err := cred.ParseThumbprintForm(thumb)
		if err == nil {
			for i, cert := range c.certs {
				if i > 0 {
					break
				}
				tp := cred.ThumbprintsOf(cert)
				if tp.Matches(p) {
					add("error.thumbprint", "pass", "the thumbprint in the error is the given certificate's ("+tp.SHA1Hex+")", "")
				} else {
					add("error.thumbprint", "fail", fmt.Sprintf("the error names thumbprint %s; the given certificate is %s: the client signs with a different certificate", p.Hex(), tp.SHA1Hex),
						"Find which certificate the client loads (path, certificate store, configured thumbprint) and register that one, or point the client at the registered certificate.")
				}
			}
			if in.App != nil {
				registered := false
				for _, kc := range in.App.KeyCredentials {
					registered = registered || rules.KeyThumbprints(kc).Matches(p)
				}
				if registered {
					add("error.thumbprint-registered", "pass", "the certificate the error names is registered on the app", "")
				} else {
					add("error.thumbprint-registered", "fail", "the certificate the error names is not registered on the app: that is why Entra says the key was not found",
						"Upload that certificate to the app registration, or switch the client to a registered certificate.")
				}
			}
		}
	}
	ts, hasTS := normalTime(e, "timestamp")
	if !hasTS {
		ts, hasTS = normalTime(e, "current_time")
	}
	hdr := ""
	if tok != nil {
		hdr = tok.X5t()
	}
	reg := registeredFor(in, c, thumb, hdr)
	end, hasEnd := normalTime(e, "key_end")
	start, hasStart := normalTime(e, "key_start")
	if !hasEnd && reg != nil && !reg.End.IsZero() {
		end, hasEnd = reg.End, true
		start, hasStart = reg.Start, !reg.Start.IsZero()
	}
	if hasEnd && hasTS {
		switch {
		case ts.After(end):
			add("error.key-window", "pass", fmt.Sprintf("when the error happened (%s) the key had ended (%s): the registered certificate expired", fmtT(ts), fmtT(end)),
				"Register a renewed certificate and switch the client to it.")
		case hasStart && ts.Before(start):
			add("error.key-window", "pass", fmt.Sprintf("when the error happened (%s) the key had not started (%s): the certificate was minted on a machine whose clock was ahead, or registered with a future start", fmtT(ts), fmtT(start)), "")
		default:
			add("error.key-window", "warn", fmt.Sprintf("at the error's time (%s) the key was inside its window (ends %s)", fmtT(ts), fmtT(end)), "")
		}
	}
	if errEnd, ok := normalTime(e, "key_end"); ok && reg != nil && !reg.End.IsZero() && !reg.End.Truncate(time.Second).Equal(errEnd.Truncate(time.Second)) {
		add("error.registration-changed", "warn", fmt.Sprintf("the error's key ended %s; the registered key with that thumbprint now ends %s: the registration changed since the error", fmtT(errEnd), fmtT(reg.End)),
			"Retry: the renewed registration may already fix it.")
	}
	if exp, ok := normalTime(e, "assertion_expiry"); ok && tok != nil {
		if texp, ok := tok.TimeClaim("exp"); ok && !texp.Equal(exp.Truncate(time.Second)) {
			add("error.assertion", "warn", fmt.Sprintf("the failing assertion expired at %s; the one given expires at %s: they are different assertions", fmtT(exp), fmtT(texp)),
				"The client reused an assertion that had expired: build a new one per request.")
		}
	}
}

func normalTime(e errtext.Result, name string) (time.Time, bool) {
	v, ok := e.Normal(name)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t, err = time.Parse(time.RFC3339Nano, v)
	}
	return t, err == nil
}

func fmtT(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// registeredFor returns the app's keyCredential named by the first SHA-1
// thumbprint of thumbs (or else the given certificate), or nil.
func registeredFor(in rules.AssertionInput, c credentials, thumbs ...string) *directory.KeyCredential {
	if in.App == nil {
		return nil
	}
	want := ""
	for _, th := range thumbs {
		if p, err := cred.ParseThumbprintForm(th); err == nil && p.Kind == cred.KindSHA1 && want == "" {
			want = p.Hex()
		}
	}
	if want == "" && len(c.certs) > 0 {
		want = cred.ThumbprintsOf(c.certs[0]).SHA1Hex
	}
	if want == "" {
		return nil
	}
	for i, kc := range in.App.KeyCredentials {
		if rules.KeyThumbprints(kc).SHA1Hex == want {
			return &in.App.KeyCredentials[i]
		}
	}
	return nil
}
