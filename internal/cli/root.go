// Package cli owns the aadsts command line: commands, flags, output
// selection and exit codes. It holds no domain logic: each command reads its
// flags into an options value, calls one library function and renders.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// env is what a command may touch of the outside world. Tests pass their own.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// Main runs the aadsts command line with args and returns the process exit
// code. It never calls os.Exit, so tests run the real CLI in-process.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(args, &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: osGetenv})
}

func run(args []string, e *env) int {
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(e.stderr, "aadsts: %v\n", ee.err)
		}
		return ee.code
	}
	// Errors cobra itself raises (unknown flag, unknown command, bad args)
	// are usage errors.
	fmt.Fprintf(e.stderr, "aadsts: %v\n", err)
	if strings.Contains(err.Error(), "unknown command") {
		fmt.Fprintln(e.stderr, "Run 'aadsts --help' for the list of commands.")
	}
	return ExitUsage
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "aadsts",
		Short: "Explain, diagnose and emulate Microsoft Entra ID (AADSTS) errors",
		Long: `aadsts explains Microsoft Entra ID sign-in and token errors (the AADSTS codes),
diagnoses them from your own artifacts (assertions, certificates, secrets,
tokens, requests), emulates Entra's token service for tests, audits app
registrations and analyses sign-in logs. Everything works offline.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.HiddenDefaultCmd = false
	// Each command lives in its own file; wiring is explicit, here.
	root.AddCommand(
		newVersionCmd(e),
		newExplainCmd(e),
		newDiagnoseCmd(e),
		newInspectCmd(e),
		newServeCmd(e),
		newEmulateCmd(e),
		newProbeCmd(e),
		newLogsCmd(e),
		newAuditCmd(e),
	)
	return root
}
