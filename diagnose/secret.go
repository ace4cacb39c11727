package diagnose

import (
	"fmt"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/rules"
)

// SecretOptions are the inputs of `aadsts diagnose secret`.
type SecretOptions struct {
	Env
	// SecretFile names a file holding the secret; SecretEnv an
	// environment variable (read through Getenv).
	SecretFile, SecretEnv string
	Getenv                func(string) string
	// App names the app registration export; ClientID picks one app.
	App, ClientID string
}

// Secret diagnoses a client secret against the app's registered secrets
// (by value when the export has them, by hint otherwise). The secret is
// never reported: only its length, hint and fingerprint.
func Secret(o SecretOptions) (*Report, error) {
	var secret string
	switch {
	case o.SecretFile != "" && o.SecretEnv != "":
		return nil, usagef("give one of --secret-file and --secret-env")
	case o.SecretFile != "":
		b, err := o.readFile("--secret-file", o.SecretFile)
		if err != nil {
			return nil, err
		}
		secret = string(b)
	case o.SecretEnv != "":
		if o.Getenv != nil {
			secret = o.Getenv(o.SecretEnv)
		}
		if secret == "" {
			return nil, usagef("--secret-env %s: the variable is empty or not set", o.SecretEnv)
		}
	default:
		return nil, usagef("give the secret with --secret-file FILE or --secret-env VAR (never on the command line)")
	}
	in := rules.SecretInput{Now: o.now(), ClientID: o.ClientID, Secret: secret}
	var notes []string
	if o.App != "" {
		d, err := o.readApps(o.App)
		if err != nil {
			return nil, err
		}
		app, _ := pickApp(d, o.ClientID)
		if app == nil {
			return nil, usagef("--app %s: several applications and no --client-id, or no application %q", o.App, o.ClientID)
		}
		in.App = app
		notes = d.Notes
	}
	r := newReport(KindSecret, rules.CheckSecret(in))
	sh := cred.ShapeOfSecret(secret)
	r.fact("secret_length", fmt.Sprint(sh.Length))
	if sh.Length >= 16 {
		r.fact("secret_hint", sh.Hint)
	}
	r.fact("secret_fingerprint", sh.Fingerprint)
	r.fact("secret_looks_current_format", fmt.Sprint(currentFormat(sh.Trimmed)))
	for _, p := range sh.Problems {
		r.Notes = append(r.Notes, p.Detail)
	}
	r.Notes = append(r.Notes, notes...)
	if in.App != nil {
		r.fact("app_id", in.App.AppID)
		for _, pc := range in.App.PasswordCredentials {
			r.fact("registered_secret", fmt.Sprintf("%s hint=%s… %s..%s", pc.KeyID, pc.Hint, fmtT(pc.Start), fmtT(pc.End)))
		}
	}
	return r, nil
}

// currentFormat reports whether s has the shape of secrets Entra has
// generated since about 2021: three characters, a digit, "Q~", then 31 to
// 34 more.
func currentFormat(s string) bool {
	if len(s) < 37 || len(s) > 40 || s[3] < '0' || s[3] > '9' || s[4:6] != "Q~" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '~' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
