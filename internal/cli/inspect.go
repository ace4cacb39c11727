package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/inspect"
)

type inspectOptions struct {
	passwordFile string
	now          string
	output       string
}

func newInspectCmd(e *env) *cobra.Command {
	var o inspectOptions
	cmd := &cobra.Command{
		Use:   "inspect [FILE|-]...",
		Short: "Detect and explain a token, certificate, key, PFX, JWKS, discovery document or Graph app JSON",
		Long: `inspect reads each FILE (or standard input when there is none or it is "-"),
detects what it is and explains it: a JWT (also with a Bearer prefix, quotes or
whitespace; a JWE is named), X.509 certificates in PEM, DER or bundles, private
keys, a PKCS#12/PFX, a JWK set, an OIDC discovery document, Microsoft Graph
application or servicePrincipal JSON, or a bare thumbprint. Certificates get
their thumbprint in every form; keys are matched with the certificates given;
mangled encodings are named. Secrets, private keys and whole tokens are never
printed. The PFX password comes from --password-file or AADSTS_PFX_PASSWORD.`,
		Example: `  aadsts inspect cert.pfx --password-file pw.txt
  aadsts inspect key.pem cert.pem
  pbpaste | aadsts inspect --output json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(e, o, args)
		},
	}
	f := cmd.Flags()
	addPasswordFileFlag(cmd, &o.passwordFile)
	f.StringVar(&o.now, "now", "", "judge validity at this time (RFC 3339) instead of the current time")
	f.StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	return cmd
}

func runInspect(e *env, o inspectOptions, args []string) error {
	if err := checkOutput(o.output, "text", "json"); err != nil {
		return err
	}
	now, err := parseNow(o.now)
	if err != nil {
		return err
	}
	password, err := readPassword(e, o.passwordFile)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	var inputs []inspect.Input
	for _, a := range args {
		data, err := readArg(e, a)
		if err != nil {
			return usageError(err)
		}
		inputs = append(inputs, inspect.Input{Name: displayName(a), Data: data})
	}
	reports, err := inspect.InspectAll(inputs, inspect.Options{Password: password, Now: now})
	if err != nil {
		return usageError(err)
	}
	if o.output == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Now    time.Time         `json:"now"`
			Inputs []*inspect.Report `json:"inputs"`
		}{now, reports})
	}
	return inspect.WriteText(e.stdout, reports, inspect.TextOptions{Color: explainColor(e)})
}

// passwordEnv is the environment variable that holds a PFX or key
// password when --password-file is not given.
const passwordEnv = "AADSTS_PFX_PASSWORD"

// addPasswordFileFlag adds --password-file, read with readPassword.
func addPasswordFileFlag(cmd *cobra.Command, file *string) {
	cmd.Flags().StringVar(file, "password-file", "", "file holding the PFX or key password (else env "+passwordEnv+")")
}

// readPassword reads --password-file, else AADSTS_PFX_PASSWORD: the one
// place the CLI takes a password. A leading BOM and one final line break
// (echo adds it) are dropped; the value is never printed.
func readPassword(e *env, file string) (string, error) {
	if file == "" {
		return e.getenv(passwordEnv), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", usageError(fmt.Errorf("--password-file: %w", err))
	}
	s := strings.TrimPrefix(string(b), "\ufeff")
	return strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r"), nil
}

func readArg(e *env, a string) ([]byte, error) {
	if a == "-" {
		return io.ReadAll(io.LimitReader(e.stdin, 16<<20))
	}
	return os.ReadFile(a)
}

func displayName(a string) string {
	if a == "-" {
		return "stdin"
	}
	return a
}
