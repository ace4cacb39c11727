package cli

import "github.com/spf13/cobra"

// newDiagnoseCmd is the parent of the offline diagnosis commands. Each
// subcommand lives in its own file (diagnose_<name>.go) and is wired here.
func newDiagnoseCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "diagnose",
		Short: "Check your own artifacts the way Entra checks them",
		Long: `diagnose runs Entra's checks offline against your own artifacts (client
assertions, certificates, keys, secrets, tokens, token requests) and says what
Entra would answer and how to fix it.`,
	}
	cmd.AddCommand(
		// subcommands: one line each
		newDiagnoseClockCmd(e),
		newDiagnoseAssertionCmd(e),
		newDiagnoseSecretCmd(e),
		newDiagnoseTokenCmd(e),
		newDiagnoseRequestCmd(e),
	)
	return cmd
}
