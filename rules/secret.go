package rules

import (
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/aadsts/aadsts/directory"
)

// SecretInput is a client secret to check against an application.
type SecretInput struct {
	Now time.Time
	// App is the application (nil when unknown). Its passwordCredentials
	// carry SecretText in the emulator; exports carry only the hint.
	App      *directory.Application
	ClientID string
	// Secret is the value as Entra received it (after form decoding).
	Secret string
}

// CheckSecret applies Entra's checks to a client secret: it must equal the
// value of a registered passwordCredential (7000215) that is inside its
// validity window (7000222). Without secret values (a Graph export) it
// narrows the candidates by hint and says what it could not verify. It
// also names the usual mistakes: the secret ID sent instead of the value,
// whitespace, quotes, a newline, an un-encoded '+'.
func CheckSecret(in SecretInput) Result {
	var r Result
	appID := in.ClientID
	if in.App != nil {
		appID = in.App.AppID
	}
	s := in.Secret
	checkSecretShape(&r, in)
	if in.App == nil {
		r.add(skip("secret.match", "no application given: the secret was not compared"))
		return r
	}
	creds := in.App.PasswordCredentials
	for _, pc := range creds {
		if pc.KeyID != "" && strings.EqualFold(strings.TrimSpace(s), pc.KeyID) {
			r.add(fail("secret.value", errSecretInvalid(appID), fmt.Sprintf("the value sent is the secret ID (keyId %s) of %q, not the secret value", pc.KeyID, pc.DisplayName),
				"Send the secret Value shown once when the secret was created (Certificates & secrets > Value column), not the Secret ID; if it was not saved, create a new secret.").with("key_id", pc.KeyID))
			return r
		}
	}
	if len(creds) == 0 {
		r.add(fail("secret.match", errSecretInvalid(appID), "the application has no client secret (passwordCredentials is empty)",
			"Add a client secret to the app registration (az ad app credential reset --id "+appID+" --append) and use its value."))
		return r
	}
	var known, matched []directory.PasswordCredential
	for _, pc := range creds {
		if pc.SecretText == "" {
			continue
		}
		known = append(known, pc)
		if subtle.ConstantTimeCompare([]byte(pc.SecretText), []byte(s)) == 1 {
			matched = append(matched, pc)
		}
	}
	if len(known) > 0 {
		if len(matched) == 0 {
			return secretNoMatch(r, in, appID, known)
		}
		return secretWindow(r, in, appID, matched[0], true)
	}
	// No values: match by hint (the first three characters).
	var byHint []directory.PasswordCredential
	for _, pc := range creds {
		if pc.Hint != "" && strings.HasPrefix(s, pc.Hint) {
			byHint = append(byHint, pc)
		}
	}
	if len(byHint) == 0 {
		hints := make([]string, 0, len(creds))
		for _, pc := range creds {
			if pc.Hint != "" {
				hints = append(hints, pc.Hint+"…")
			}
		}
		if len(hints) == 0 {
			r.add(skip("secret.match", "the registered secrets carry neither value nor hint: the secret was not compared"))
			return r
		}
		r.add(fail("secret.match", errSecretInvalid(appID), fmt.Sprintf("the secret starts with none of the registered hints (%s)", strings.Join(hints, ", ")),
			"The value is not one of this app's secrets: check the app (client id) and copy the secret Value again, or create a new secret.").with("registered_hints", strings.Join(hints, ",")))
		return r
	}
	for _, pc := range byHint {
		if inWindow(in.Now, pc.Start, pc.End) {
			return secretWindow(r, in, appID, pc, false)
		}
	}
	return secretWindow(r, in, appID, byHint[0], false)
}

func secretNoMatch(r Result, in SecretInput, appID string, known []directory.PasswordCredential) Result {
	s := in.Secret
	detail := "the value matches no registered secret"
	for _, pc := range known {
		switch {
		case strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"'`)) == pc.SecretText:
			detail = fmt.Sprintf("the value would match %q without the whitespace or quotes around it", pc.DisplayName)
		case strings.ReplaceAll(pc.SecretText, "+", " ") == s:
			detail = fmt.Sprintf("the value would match %q if its '+' had been URL-encoded (%%2B): form decoding turned '+' into a space", pc.DisplayName)
		}
	}
	allExpired := true
	for _, pc := range known {
		allExpired = allExpired && !inWindow(in.Now, pc.Start, pc.End)
	}
	if allExpired {
		r.add(fail("secret.expired", errSecretExpired(appID), detail+", and every registered secret is outside its validity window",
			"Create a new client secret and use its value."))
		return r
	}
	r.add(fail("secret.match", errSecretInvalid(appID), detail,
		"Send the exact secret Value (URL-encoded in the form body), not the Secret ID; create a new secret if the value was lost."))
	return r
}

// secretWindow reports the validity window of the credential the secret
// matched (exact when the value was compared, by hint otherwise).
func secretWindow(r Result, in SecretInput, appID string, pc directory.PasswordCredential, exact bool) Result {
	how := "matches"
	if !exact {
		how = "could be (by hint " + pc.Hint + "…)"
	}
	r.Credential = &CredentialMatch{Type: "secret", KeyID: pc.KeyID, Name: pc.DisplayName}
	facts := []string{"key_id", pc.KeyID, "start", fmtTime(pc.Start), "end", fmtTime(pc.End)}
	if !inWindow(in.Now, pc.Start, pc.End) {
		r.add(fail("secret.expired", errSecretExpired(appID), fmt.Sprintf("the secret %s %q (keyId %s), valid %s to %s, outside its window at %s", how, pc.DisplayName, pc.KeyID, fmtTime(pc.Start), fmtTime(pc.End), fmtTime(in.Now)),
			"Create a new client secret (az ad app credential reset --id "+appID+" --append) and update the app's configuration.").with(facts...))
		return r
	}
	if exact {
		r.add(pass("secret.match", fmt.Sprintf("the secret matches %q (keyId %s)", pc.DisplayName, pc.KeyID)).with(facts...))
	} else {
		r.add(warn("secret.match", fmt.Sprintf("the secret %s %q (keyId %s), valid until %s; the value itself cannot be verified offline", how, pc.DisplayName, pc.KeyID, fmtTime(pc.End)),
			"If Entra still answers 7000215, the value is wrong: copy it again or create a new secret.").with(facts...))
	}
	r.add(pass("secret.window", fmt.Sprintf("valid %s to %s", fmtTime(pc.Start), fmtTime(pc.End))))
	return r
}

// checkSecretShape names mistakes visible in the value alone.
func checkSecretShape(r *Result, in SecretInput) {
	s := in.Secret
	switch {
	case s == "":
		r.add(warn("secret.shape", "the secret is empty", "Send the secret value."))
	case strings.TrimSpace(s) != s:
		r.add(warn("secret.shape", "the secret has whitespace or a newline around it (often a trailing newline from a file or echo)",
			"Trim the value: Entra compares it exactly (printf '%s' instead of echo; no newline at the end of the file)."))
	case len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\''):
		r.add(warn("secret.shape", "the secret is wrapped in quotes", "Remove the quotes: they became part of the value."))
	case isGUID(s):
		r.add(warn("secret.shape", "the secret is a GUID: that is the shape of a Secret ID, not of a secret value",
			"Use the Value column (shown once at creation), not the Secret ID."))
	}
	if strings.ContainsAny(s, "+&=%# ") {
		r.add(warn("secret.encoding", "the secret holds characters that change meaning in a form body (+ & = % # or space)",
			"URL-encode the secret in the body (curl --data-urlencode client_secret=...; MSAL and Azure Identity do it for you)."))
	}
}

func inWindow(now, start, end time.Time) bool {
	if !start.IsZero() && now.Before(start) {
		return false
	}
	if !end.IsZero() && now.After(end) {
		return false
	}
	return true
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "(none)"
	}
	return t.UTC().Format(time.RFC3339)
}
