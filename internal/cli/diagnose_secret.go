package cli

import (
	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/diagnose"
)

type secretOptions struct {
	secretFile, secretEnv, app, clientID, now, output string
}

func newDiagnoseSecretCmd(e *env) *cobra.Command {
	var o secretOptions
	cmd := &cobra.Command{
		Use:   "secret",
		Short: "Check a client secret against the app's registered secrets",
		Long: `secret checks a client secret the way Entra does: whether it is a registered
secret's value (7000215 otherwise) inside its validity window (7000222), and
names the usual mistakes: the secret ID sent instead of the value,
whitespace, quotes or a newline around it, characters that break form
encoding. Without secret values in the export it matches by hint (the first
three characters). The secret is read from a file or an environment
variable, never from the command line, and is never printed.

Exit code 0 when Entra would accept, 1 when a check fails, 2 on bad input.`,
		Example: `  aadsts diagnose secret --secret-env AZURE_CLIENT_SECRET --app app.json
  az ad app credential list --id $APP_ID > creds.json
  aadsts diagnose secret --secret-file secret.txt --app creds.json --now 2026-03-01T00:00:00Z`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now, err := startDiagnosis(o.output, o.now)
			if err != nil {
				return err
			}
			r, err := diagnose.Secret(diagnose.SecretOptions{Env: diagnose.Env{Now: now}, SecretFile: o.secretFile, SecretEnv: o.secretEnv,
				Getenv: e.getenv, App: o.app, ClientID: o.clientID})
			return finishDiagnosis(e, o.output, r, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.secretFile, "secret-file", "", "file holding the secret")
	f.StringVar(&o.secretEnv, "secret-env", "", "environment variable holding the secret")
	f.StringVar(&o.app, "app", "", "app registration or credential list: Graph JSON or az CLI output")
	f.StringVar(&o.clientID, "client-id", "", "the application (client) id, when the export holds several apps")
	addDiagnosisFlags(cmd, &o.now, &o.output)
	return cmd
}
