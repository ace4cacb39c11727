package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/catalog"
	"github.com/aadsts/aadsts/explain"
)

// maxExplainInput bounds the text explain reads (a pasted error, a log).
const maxExplainInput = 16 << 20

type explainOptions struct {
	file     string
	output   string
	list     bool
	category string
	search   string
	facts    []string
}

func newExplainCmd(e *env) *cobra.Command {
	o := &explainOptions{}
	cmd := &cobra.Command{
		Use:   "explain [TEXT...|-]",
		Short: "Explain an AADSTS error from any pasted text",
		Long: `explain reads an AADSTS error in whatever form you have it (a token endpoint
JSON body, an MSAL or Azure Identity exception, an az CLI or CI log line, a
browser sign-in page, an error?code= URL, escaped or quoted text, or just the
code) and explains it: name and meaning, the facts pulled from the text, the
causes ranked for this text with the evidence for each, fixes with concrete
commands, how to verify, and Entra's error page.

The text comes from the arguments, from --file, or from standard input ("-"
or no argument). --list and --search browse the catalog instead.

Exit codes: 0 explained, 1 no AADSTS code found (or the code is not in the
catalog, or a search found nothing), 2 usage or input error.`,
		Example: `  aadsts explain AADSTS700027
  aadsts explain "AADSTS7000215: Invalid client secret provided..."
  pbpaste | aadsts explain --output markdown
  aadsts explain --file error.log --output json
  aadsts explain --list --category client-auth
  aadsts explain --search client secret expired`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExplain(e, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.file, "file", "f", "", "read the text from `FILE` (- for standard input)")
	f.StringVarP(&o.output, "output", "o", "text", "output format: text, json or markdown")
	f.BoolVar(&o.list, "list", false, "list the catalog's codes instead of explaining a text")
	f.StringVar(&o.category, "category", "", "with --list: only codes of `CATEGORY` ("+strings.Join(catalog.Categories(), ", ")+")")
	f.StringVar(&o.search, "search", "", "search the catalog for `WORDS` (the remaining arguments are added to the query)")
	f.StringArrayVar(&o.facts, "fact", nil, "a `CHECK=STATUS` fact from an offline diagnosis that weighs the causes (repeatable)")
	return cmd
}

func runExplain(e *env, o *explainOptions, args []string) error {
	if err := checkOutput(o.output, "text", "json", "markdown"); err != nil {
		return err
	}
	if o.category != "" && !o.list {
		return usageError(errors.New("--category needs --list"))
	}
	if o.list && o.search != "" {
		return usageError(errors.New("--list and --search cannot be used together"))
	}
	switch {
	case o.list:
		if len(args) > 0 || o.file != "" {
			return usageError(errors.New("--list takes no text"))
		}
		cat := catalog.Default()
		entries := cat.All()
		if o.category != "" {
			if !catalog.IsCategory(o.category) {
				return usageError(fmt.Errorf("--category %q: must be one of %s", o.category, strings.Join(catalog.Categories(), ", ")))
			}
			entries = cat.ByCategory(o.category)
		}
		return writeEntries(e, o.output, entries)
	case o.search != "":
		if o.file != "" {
			return usageError(errors.New("--search and --file cannot be used together"))
		}
		query := strings.TrimSpace(o.search + " " + strings.Join(args, " "))
		entries := catalog.Default().Search(query)
		if err := writeEntries(e, o.output, entries); err != nil {
			return err
		}
		if len(entries) == 0 {
			return withCode(ExitFound, fmt.Errorf("no catalog entry matches %q", query))
		}
		return nil
	}
	for _, f := range o.facts {
		if id, status, ok := strings.Cut(f, "="); !ok || id == "" || status == "" {
			return usageError(fmt.Errorf("--fact %q: want CHECK=STATUS, e.g. assertion.kid-registered=fail", f))
		}
	}
	text, err := explainInput(e, o.file, args)
	if err != nil {
		return err
	}
	parsed := explain.ParseInput(text)
	// Only the guides of the codes in the text are decoded: start-up time.
	rep := explain.Explain(parsed, explain.CatalogFor(parsed.Codes), o.facts)
	switch o.output {
	case "json":
		err = explain.WriteJSON(e.stdout, rep)
	case "markdown":
		err = explain.WriteMarkdown(e.stdout, rep)
	default:
		err = explain.WriteText(e.stdout, rep, explain.TextOptions{Color: explainColor(e)})
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	switch {
	case len(rep.Codes) == 0:
		return withCode(ExitFound, errors.New("no AADSTS code found in the text"))
	case !rep.PrimaryKnown():
		return withCode(ExitFound, fmt.Errorf("AADSTS%d is not in the catalog; see %s", rep.Primary, catalog.ErrorURI(rep.Primary)))
	}
	return nil
}

// explainInput reads the text from the arguments, --file or stdin.
func explainInput(e *env, file string, args []string) (string, error) {
	if file != "" && len(args) > 0 {
		return "", usageError(errors.New("give the text as arguments or with --file, not both"))
	}
	var r io.Reader
	name := "standard input"
	switch {
	case file != "" && file != "-":
		f, err := os.Open(file)
		if err != nil {
			return "", usageError(fmt.Errorf("read --file %s: %w", file, err))
		}
		defer f.Close()
		r, name = f, file
	case file == "-" || len(args) == 0 || len(args) == 1 && args[0] == "-":
		if f, ok := e.stdin.(*os.File); ok && isCharDevice(f) {
			fmt.Fprintln(e.stderr, "Paste the error text, then press Ctrl-D (Ctrl-Z and Enter on Windows):")
		}
		r = e.stdin
	default:
		return strings.Join(args, " "), nil
	}
	b, err := io.ReadAll(io.LimitReader(r, maxExplainInput+1))
	if err != nil {
		return "", usageError(fmt.Errorf("read %s: %w", name, err))
	}
	if len(b) > maxExplainInput {
		return "", usageError(fmt.Errorf("read %s: more than %d MiB", name, maxExplainInput>>20))
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", usageError(fmt.Errorf("read %s: the text is empty", name))
	}
	return string(b), nil
}

func writeEntries(e *env, output string, entries []catalog.Entry) error {
	var err error
	switch output {
	case "json":
		err = explain.WriteEntriesJSON(e.stdout, entries)
	case "markdown":
		err = explain.WriteEntriesMarkdown(e.stdout, entries)
	default:
		err = explain.WriteEntriesText(e.stdout, entries, explain.TextOptions{Color: explainColor(e)})
	}
	if err != nil {
		return fmt.Errorf("write list: %w", err)
	}
	return nil
}

// explainColor: colour only on a terminal, and never with NO_COLOR set.
func explainColor(e *env) bool {
	if e.getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := e.stdout.(*os.File)
	return ok && isCharDevice(f)
}

func isCharDevice(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
