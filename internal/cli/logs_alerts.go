package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/alert"
)

type logsAlertsOptions struct {
	rules  string
	now    string
	output string
	notify bool
}

func loadRules(path string) (*alert.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageError(fmt.Errorf("--rules: %w", err))
	}
	defer f.Close()
	rf, err := alert.Load(f, path)
	if err != nil {
		return nil, usageError(err)
	}
	return rf, nil
}

func newLogsAlertsCmd(e *env, lo *logsOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "Evaluate alert rules over the stored sign-ins",
	}
	o := &logsAlertsOptions{}
	check := &cobra.Command{
		Use:   "check --rules FILE",
		Short: "Evaluate every rule now (or at --now); exit 1 when one fires",
		Long: `check evaluates each rule of the YAML rules file over the window ending now
(or at --now) and prints why each fired. With --notify it posts the fired
rules to the file's webhooks (generic JSON, Teams or Slack), retrying with
backoff. Exit code 1 when a rule fires.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(o.output, "text", "json"); err != nil {
				return err
			}
			rf, err := loadRules(o.rules)
			if err != nil {
				return err
			}
			now := time.Now().UTC()
			if o.now != "" {
				if now, err = signins.ParseTime(o.now); err != nil {
					return usageError(fmt.Errorf("--now: %w", err))
				}
			}
			ctx := cmd.Context()
			s, err := lo.open(ctx, e)
			if err != nil {
				return err
			}
			defer s.Close()
			results, err := alert.Evaluate(ctx, s, rf, now)
			if err != nil {
				return err
			}
			fired := firedOf(results)
			if o.output == "json" {
				if err := writeJSON(e.stdout, results); err != nil {
					return err
				}
			} else {
				printAlerts(e.stdout, results)
			}
			if o.notify && len(fired) > 0 {
				notifyAll(ctx, e.stderr, rf, fired)
			}
			if len(fired) > 0 {
				return withCode(ExitFound, nil)
			}
			return nil
		},
	}
	check.Flags().StringVar(&o.rules, "rules", "", "YAML rules file (required)")
	check.Flags().StringVar(&o.now, "now", "", "evaluate at this time instead of the clock (RFC 3339)")
	check.Flags().StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	check.Flags().BoolVar(&o.notify, "notify", false, "post fired rules to the rules file's webhooks")
	_ = check.MarkFlagRequired("rules")
	cmd.AddCommand(check)
	return cmd
}

func firedOf(results []alert.Result) []alert.Result {
	var fired []alert.Result
	for _, r := range results {
		if r.Fired {
			fired = append(fired, r)
		}
	}
	return fired
}

func notifyAll(ctx context.Context, errw io.Writer, rf *alert.File, fired []alert.Result) {
	n := &alert.Notifier{}
	for _, t := range rf.Notify {
		if err := n.Send(ctx, t, fired); err != nil {
			fmt.Fprintf(errw, "aadsts: %v\n", err)
		}
	}
}

func printAlerts(w io.Writer, results []alert.Result) {
	for _, r := range results {
		state := "ok    "
		if r.Fired {
			state = "FIRED "
		}
		fmt.Fprintf(w, "%s %s: %s\n", state, r.Rule, r.Reason)
	}
}

type logsKQLOptions struct {
	rules string
	arm   bool
}

func newLogsKQLCmd(e *env) *cobra.Command {
	o := &logsKQLOptions{}
	cmd := &cobra.Command{
		Use:   "kql --rules FILE [--arm]",
		Short: "Export alert rules as KQL for Log Analytics / Sentinel, or as an ARM template",
		Long: `kql prints each rule of the rules file as a KQL query over SigninLogs,
AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs,
AADManagedIdentitySignInLogs or AuditLogs that returns a row when the rule
fires. With --arm it prints an ARM template that deploys every rule as an
Azure Monitor scheduled query rule (Microsoft.Insights/scheduledQueryRules);
its parameters are the workspace resource id and the action groups.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rf, err := loadRules(o.rules)
			if err != nil {
				return err
			}
			if o.arm {
				b, err := alert.ARMTemplate(rf)
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(e.stdout, "%s\n", b)
				return err
			}
			for i := range rf.Rules {
				q := alert.KQL(&rf.Rules[i])
				fmt.Fprintf(e.stdout, "%s\n\n", q.KQL)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&o.rules, "rules", "", "YAML rules file (required)")
	cmd.Flags().BoolVar(&o.arm, "arm", false, "print an ARM template of scheduled query rules instead")
	_ = cmd.MarkFlagRequired("rules")
	return cmd
}
