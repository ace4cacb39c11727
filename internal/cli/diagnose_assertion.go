package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/diagnose"
)

type assertionOptions struct {
	assertion, cert, key, pfx, passwordFile string
	app, tenant, clientID, tokenEndpoint    string
	now, errorText, output                  string
}

func newDiagnoseAssertionCmd(e *env) *cobra.Command {
	var o assertionOptions
	cmd := &cobra.Command{
		Use:   "assertion",
		Short: "Check a client assertion (certificate credential) the way Entra does",
		Long: `assertion runs Entra's checks on a client assertion JWT in Entra's order:
JWS structure, alg, key identifier, iss/aud, iss = sub = client id, aud = the
token endpoint, time window, key registered on the app, key validity window,
signature. Give the certificate, key or PFX and the app registration export
to check key lookup and signature; give the error you got (--error) to
cross-check its thumbprint and timestamp.

Exit code 0 when Entra would accept, 1 when a check fails, 2 on bad input.`,
		Example: `  aadsts diagnose assertion --assertion assertion.jwt --cert cert.pem --app app.json \
    --token-endpoint https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token
  aadsts diagnose assertion --assertion "$JWT" --pfx app.pfx --password-file pw.txt --error error.txt -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now, err := startDiagnosis(o.output, o.now)
			if err != nil {
				return err
			}
			password, err := readPassword(e, o.passwordFile)
			if err != nil {
				return err
			}
			r, err := diagnose.Assertion(diagnose.AssertionOptions{
				Env: diagnose.Env{Now: now}, Assertion: o.assertion, Cert: o.cert, Key: o.key, PFX: o.pfx, PFXPassword: password,
				App: o.app, Tenant: o.tenant, ClientID: o.clientID, TokenEndpoint: o.tokenEndpoint, Error: o.errorText,
			})
			return finishDiagnosis(e, o.output, r, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.assertion, "assertion", "", "the client assertion JWT, or a file holding it")
	f.StringVar(&o.cert, "cert", "", "certificate file (PEM, DER, base64)")
	f.StringVar(&o.key, "key", "", "private key file (PKCS#1, PKCS#8, EC)")
	f.StringVar(&o.pfx, "pfx", "", "PKCS#12/PFX file")
	addPasswordFileFlag(cmd, &o.passwordFile)
	f.StringVar(&o.app, "app", "", "app registration: Graph application JSON, az CLI output, or a list")
	f.StringVar(&o.tenant, "tenant", "", "tenant id or verified domain")
	f.StringVar(&o.clientID, "client-id", "", "the client_id sent with the assertion (default: the assertion's iss)")
	f.StringVar(&o.tokenEndpoint, "token-endpoint", "", "the URL the assertion was posted to")
	f.StringVar(&o.errorText, "error", "", "the error you got (text or a file) to cross-check")
	addDiagnosisFlags(cmd, &o.now, &o.output)
	return cmd
}

// startDiagnosis checks --output and reads --now, before any work.
func startDiagnosis(output, now string) (time.Time, error) {
	if err := checkOutput(output, diagnose.Formats()...); err != nil {
		return time.Time{}, err
	}
	return parseNow(now)
}

// addDiagnosisFlags adds --now and --output, shared by the diagnose commands.
func addDiagnosisFlags(cmd *cobra.Command, now, output *string) {
	f := cmd.Flags()
	f.StringVar(now, "now", "", "judge at this time (RFC 3339) instead of the current time")
	f.StringVarP(output, "output", "o", "text", "output format: text, json or markdown")
}

// parseNow reads --now (RFC 3339); empty means the current time.
func parseNow(v string) (time.Time, error) {
	if v == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, usageError(fmt.Errorf("--now %q: want RFC 3339, such as 2026-03-01T12:00:00Z", v))
	}
	return t.UTC(), nil
}

// finishDiagnosis renders a diagnosis report and decides the exit code: 0
// accepted, 1 a check fails, 2 bad input.
func finishDiagnosis(e *env, output string, r *diagnose.Report, err error) error {
	if err != nil {
		if errors.Is(err, diagnose.ErrUsage) {
			return usageError(errors.Unwrap(err))
		}
		return usageError(err)
	}
	if err := diagnose.RenderWith(e.stdout, r, output, diagnose.RenderOptions{Color: explainColor(e)}); err != nil {
		return err
	}
	if r.Failed() {
		return withCode(ExitFound, nil)
	}
	return nil
}
