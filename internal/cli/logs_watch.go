package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/graphapi"
	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/alert"
	"github.com/aadsts/aadsts/signins/watch"
)

type logsWatchOptions struct {
	dir      string
	graph    bool
	graphURL string
	tenant   string
	rules    string
	interval time.Duration
	notify   bool
	once     bool
}

func newLogsWatchCmd(e *env, lo *logsOptions) *cobra.Command {
	o := &logsWatchOptions{}
	cmd := &cobra.Command{
		Use:   "watch (--dir DIR | --graph) [--rules FILE]",
		Short: "Keep importing from a folder or from Graph, evaluating alert rules as records arrive",
		Long: `watch polls a folder for new or changed log files (--dir), or Microsoft
Graph's /auditLogs/signIns (--graph, signed in through Azure Identity:
environment, workload identity, managed identity or Azure CLI), imports what
is new and evaluates the rules file after each import, printing the rules
that fire (and posting them to the file's webhooks with --notify). It runs
until interrupted, or one pass with --once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (o.dir == "") == !o.graph {
				return usageError(fmt.Errorf("give one of --dir or --graph"))
			}
			var rf *alert.File
			if o.rules != "" {
				var err error
				if rf, err = loadRules(o.rules); err != nil {
					return err
				}
			}
			ctx := cmd.Context()
			s, err := lo.open(ctx, e)
			if err != nil {
				return err
			}
			defer s.Close()
			w := &watch.Watcher{Store: s, Rules: rf,
				OnImport: func(r signins.ImportResult) {
					if r.Read > 0 || r.BadCount > 0 {
						printImport(e.stderr, e.stderr, []signins.ImportResult{r})
					}
				},
				OnAlert: func(results []alert.Result) {
					fired := firedOf(results)
					printAlerts(e.stdout, fired)
					if o.notify && len(fired) > 0 {
						notifyAll(ctx, e.stderr, rf, fired)
					}
				},
			}
			var pass func(context.Context) error
			if o.dir != "" {
				pass = func(ctx context.Context) error { _, err := w.FolderPass(ctx, o.dir); return err }
			} else {
				tokens, err := graphapi.AzureIdentity(graphapi.AzureOptions{TenantID: o.tenant})
				if err != nil {
					return usageError(err)
				}
				c, err := graphapi.New(o.graphURL, tokens, nil)
				if err != nil {
					return usageError(err)
				}
				since := time.Now().UTC().Add(-24 * time.Hour)
				pass = func(ctx context.Context) error {
					var err error
					since, _, err = w.GraphPass(ctx, c, "/auditLogs/signIns?$top=999", since, 10*time.Minute)
					return err
				}
			}
			if o.once {
				return pass(ctx)
			}
			return watch.Loop(ctx, o.interval, pass, func(err error) { fmt.Fprintf(e.stderr, "aadsts: %v\n", err) })
		},
	}
	cmd.Flags().StringVar(&o.dir, "dir", "", "folder to poll for log files")
	cmd.Flags().BoolVar(&o.graph, "graph", false, "poll Microsoft Graph /auditLogs/signIns")
	cmd.Flags().StringVar(&o.graphURL, "graph-url", "", "Graph base URL (default https://graph.microsoft.com/v1.0)")
	cmd.Flags().StringVar(&o.tenant, "tenant", "", "tenant to sign in to for --graph")
	cmd.Flags().StringVar(&o.rules, "rules", "", "YAML rules file to evaluate as records arrive")
	cmd.Flags().DurationVar(&o.interval, "interval", time.Minute, "time between polls")
	cmd.Flags().BoolVar(&o.notify, "notify", false, "post fired rules to the rules file's webhooks")
	cmd.Flags().BoolVar(&o.once, "once", false, "poll once and exit")
	return cmd
}
