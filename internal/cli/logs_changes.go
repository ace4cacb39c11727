package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/signins"
)

type logsChangesOptions struct {
	since, until, now string
	window            time.Duration
	output            string
}

type changeJSON struct {
	AuditID        string                    `json:"audit_id"`
	ChangedAt      time.Time                 `json:"changed_at"`
	Activity       string                    `json:"activity"`
	InitiatedBy    string                    `json:"initiated_by,omitempty"`
	AppID          string                    `json:"app_id"`
	Target         string                    `json:"target,omitempty"`
	Keys           []signins.KeyChange       `json:"keys,omitempty"`
	Failures       int                       `json:"failures"`
	FailuresBefore int                       `json:"failures_before"`
	FirstFailure   time.Time                 `json:"first_failure"`
	LastFailure    time.Time                 `json:"last_failure"`
	NewCodes       []signins.CodeCount       `json:"new_codes"`
	Credentials    []signins.CredentialCount `json:"failing_credentials"`
}

func newLogsChangesCmd(e *env, lo *logsOptions) *cobra.Command {
	o := &logsChangesOptions{}
	cmd := &cobra.Command{
		Use:   "changes",
		Short: "What changed: failures of an app that began after a credential change of that app",
		Long: `changes lists each stored credential change (certificates and secrets added or
removed, service principal credentials, federated identity credentials) after
which the same app started failing with codes it did not fail with in the
same window before, and the credentials (key id, thumbprint) the failing
sign-ins used. Exit code 1 when such a change is found.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(o.output, "text", "json"); err != nil {
				return err
			}
			now := time.Now().UTC()
			if o.now != "" {
				t, err := signins.ParseTime(o.now)
				if err != nil {
					return usageError(fmt.Errorf("--now: %w", err))
				}
				now = t
			}
			since, err := parseWhen("since", o.since, now)
			if err != nil {
				return err
			}
			until, err := parseWhen("until", o.until, now)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := lo.open(ctx, e)
			if err != nil {
				return err
			}
			defer s.Close()
			changes, err := signins.Changes(ctx, s, since, until, o.window)
			if err != nil {
				return usageError(err)
			}
			if o.output == "json" {
				out := make([]changeJSON, 0, len(changes))
				for _, c := range changes {
					out = append(out, changeJSON{AuditID: c.Audit.ID, ChangedAt: c.Audit.Time, Activity: c.Audit.Activity,
						InitiatedBy: c.Audit.InitiatedBy, AppID: c.AppID, Target: c.Audit.TargetName, Keys: c.Audit.Keys,
						Failures: c.Failures, FailuresBefore: c.FailuresBefore, FirstFailure: c.FirstFailure, LastFailure: c.LastFailure,
						NewCodes: c.NewCodes, Credentials: c.Credentials})
				}
				if err := writeJSON(e.stdout, out); err != nil {
					return err
				}
			} else {
				printChanges(e.stdout, changes)
			}
			if len(changes) > 0 {
				return withCode(ExitFound, nil)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&o.since, "since", "", "changes from this time (RFC 3339, a date, or back from now: 7d)")
	cmd.Flags().StringVar(&o.until, "until", "", "changes before this time")
	cmd.Flags().StringVar(&o.now, "now", "", "the current time for relative --since/--until")
	cmd.Flags().DurationVar(&o.window, "window", 24*time.Hour, "how long after a change failures count")
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	return cmd
}

func printChanges(w io.Writer, changes []signins.Change) {
	if len(changes) == 0 {
		fmt.Fprintln(w, "no credential change was followed by new failures")
		return
	}
	for _, c := range changes {
		fmt.Fprintf(w, "%s  %s (by %s) on app %s %s\n", c.Audit.Time.Format(time.RFC3339), c.Audit.Activity, orNone(c.Audit.InitiatedBy), c.AppID, c.Audit.TargetName)
		for _, k := range c.Audit.Keys {
			fmt.Fprintf(w, "    key %s: %s (%s %s)\n", k.Action, k.KeyID, k.KeyType, k.DisplayName)
		}
		var codes []string
		for _, cc := range c.NewCodes {
			codes = append(codes, fmt.Sprintf("AADSTS%d x%d", cc.Code, cc.Count))
		}
		fmt.Fprintf(w, "    then %d failures (%d in the same window before), %s to %s: %s\n", c.Failures, c.FailuresBefore,
			c.FirstFailure.Format(time.RFC3339), c.LastFailure.Format(time.RFC3339), strings.Join(codes, ", "))
		for _, cr := range c.Credentials {
			note := ""
			if cr.Changed != "" {
				note = " <- " + cr.Changed + " by this change"
			}
			fmt.Fprintf(w, "    failing credential %s %s x%d%s\n", cr.Credential, cr.Type, cr.Count, note)
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
