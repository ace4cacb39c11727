package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/inspect"
)

type clockOptions struct {
	authority string
	output    string
	timeout   time.Duration
}

func newDiagnoseClockCmd(e *env) *cobra.Command {
	var o clockOptions
	cmd := &cobra.Command{
		Use:   "clock",
		Short: "Compare the local clock with the authority's and say what the skew breaks",
		Long: `clock reads the HTTP Date header of the authority (one request, no
credentials) and compares it with the local clock. It says whether client
assertions built on this machine fall inside Entra's time window (AADSTS700024
otherwise) and whether tokens validate here with Microsoft.IdentityModel's
default 5-minute ClockSkew (IDX10222 / IDX10223 otherwise).

Exit code 1 when the skew makes Entra reject client assertions.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(o.output, "text", "json"); err != nil {
				return err
			}
			if !strings.HasPrefix(o.authority, "https://") && !strings.HasPrefix(o.authority, "http://") {
				return usageError(fmt.Errorf("--authority %q: want an http(s) URL", o.authority))
			}
			c, err := inspect.CheckClock(cmd.Context(), &http.Client{Timeout: o.timeout}, o.authority, time.Now)
			if err != nil {
				return usageError(err)
			}
			if err := renderClock(e, o.output, c); err != nil {
				return err
			}
			if c.EntraCode != 0 {
				return withCode(ExitFound, nil)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.authority, "authority", inspect.DefaultAuthority, "authority whose clock to compare with")
	f.StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	f.DurationVar(&o.timeout, "timeout", 10*time.Second, "how long to wait for the authority")
	return cmd
}

func renderClock(e *env, output string, c *inspect.Clock) error {
	if output == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "local clock\t%s\n", c.Local.Format(time.RFC3339Nano))
	fmt.Fprintf(tw, "authority clock\t%s (%s, Date header)\n", c.Server.Format(time.RFC3339), c.Authority)
	fmt.Fprintf(tw, "skew\t%+.1fs (± %.1fs; positive = local clock ahead)\n", c.SkewSeconds, c.UncertaintySeconds)
	for _, ch := range c.Checks {
		fmt.Fprintf(tw, "[%s]\t%s: %s\n", ch.Status, ch.ID, ch.Detail)
		if ch.Fix != "" {
			fmt.Fprintf(tw, "\t  fix: %s\n", ch.Fix)
		}
	}
	if c.EntraCode != 0 {
		fmt.Fprintf(tw, "Entra would answer AADSTS%d to a client assertion made on this machine.\n", c.EntraCode)
	}
	return tw.Flush()
}
