package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/diagnose"
)

type requestOptions struct {
	url, app, now, output string
}

func newDiagnoseRequestCmd(e *env) *cobra.Command {
	var o requestOptions
	cmd := &cobra.Command{
		Use:   "request [FILE|-]",
		Short: "Check a token request (curl command, raw HTTP or form body) the way Entra does",
		Long: `request reads a token request, as a curl command line, a raw HTTP request or
a bare form body, from FILE or standard input, and runs Entra's checks on it:
missing parameters (900144), scope vs resource for the endpoint version,
/.default for client credentials (1002012), both secret and assertion,
client_assertion_type, /common or /consumers with client credentials
(9001023), and the assertion's aud against the URL posted to (700023).
Secrets and assertions in the request are never printed.

Exit code 0 when Entra would accept, 1 when a check fails, 2 on bad input.`,
		Example: `  aadsts diagnose request request.sh
  pbpaste | aadsts diagnose request --app app.json -o json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			now, err := startDiagnosis(o.output, o.now)
			if err != nil {
				return err
			}
			var data []byte
			if len(args) == 0 || args[0] == "-" {
				data, err = io.ReadAll(io.LimitReader(e.stdin, 1<<20+1))
			} else {
				data, err = os.ReadFile(args[0])
			}
			if err != nil {
				return usageError(fmt.Errorf("read request: %w", err))
			}
			r, err := diagnose.Request(diagnose.RequestOptions{Env: diagnose.Env{Now: now}, Text: string(data), URL: o.url, App: o.app})
			return finishDiagnosis(e, o.output, r, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.url, "url", "", "token endpoint URL, when the input is only a form body")
	f.StringVar(&o.app, "app", "", "app registration export to check the client against")
	addDiagnosisFlags(cmd, &o.now, &o.output)
	return cmd
}
