package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/sqlstore"
)

// logsOptions are the flags every logs subcommand shares.
type logsOptions struct {
	db string
}

func newLogsCmd(e *env) *cobra.Command {
	o := &logsOptions{}
	cmd := &cobra.Command{
		Use:   "logs",
		Short: "Import Entra sign-in and audit logs, report on them, alert, export KQL",
		Long: `logs imports Entra ID sign-in and audit logs (diagnostic-settings / Event Hub
records, Microsoft Graph responses, Log Analytics and portal exports, query API
and Azure Data Explorer responses, Office 365 audit log records, PowerShell
exports; JSON or CSV, gzip or not) into a local SQLite store, reports on them,
finds failures that began after a credential change, evaluates alert rules and
exports the rules as KQL for Azure Monitor.

The store is --db, else $AADSTS_DATA_DIR/aadsts.db, else aadsts/aadsts.db in
the user's configuration directory.`,
	}
	cmd.PersistentFlags().StringVar(&o.db, "db", "", "SQLite database file (default: the user's data directory)")
	cmd.AddCommand(
		newLogsImportCmd(e, o),
		newLogsReportCmd(e, o),
		newLogsShowCmd(e, o),
		newLogsChangesCmd(e, o),
		newLogsAlertsCmd(e, o),
		newLogsKQLCmd(e),
		newLogsWatchCmd(e, o),
	)
	return cmd
}

func (o *logsOptions) open(ctx context.Context, e *env) (*sqlstore.Store, error) {
	path := o.db
	if path == "" {
		var err error
		if path, err = sqlstore.DefaultPath(e.getenv); err != nil {
			return nil, usageError(err)
		}
	}
	if path == ":memory:" {
		return sqlstore.OpenMemory(ctx)
	}
	s, err := sqlstore.Open(ctx, path)
	if err != nil {
		return nil, usageError(err)
	}
	return s, nil
}

// parseWhen reads a --since/--until value: RFC 3339, a date, or a duration
// back from now ("24h", "7d").
func parseWhen(flag, v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if d, ok := parseDays(v); ok {
		return now.Add(-d), nil
	}
	if t, err := signins.ParseTime(v); err == nil {
		return t, nil
	}
	return time.Time{}, usageError(fmt.Errorf("--%s %q: want a time (2026-03-05T08:00:00Z), a date, or a duration back from now (24h, 7d)", flag, v))
}

// parseDays reads a Go duration or a number of days ("7d").
func parseDays(v string) (time.Duration, bool) {
	if strings.HasSuffix(v, "d") {
		var n int
		if _, err := fmt.Sscanf(v, "%dd", &n); err == nil && fmt.Sprintf("%dd", n) == v {
			return time.Duration(n) * 24 * time.Hour, true
		}
	}
	d, err := time.ParseDuration(v)
	return d, err == nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newLogsShowCmd(e *env, o *logsOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Print one stored sign-in or audit event whole, with its original record",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := o.open(ctx, e)
			if err != nil {
				return err
			}
			defer s.Close()
			recs, err := s.SignIn(ctx, args[0])
			if err == nil {
				return writeJSON(e.stdout, recs)
			}
			if !errors.Is(err, signins.ErrNotFound) {
				return err
			}
			a, err := s.Audit(ctx, args[0])
			if errors.Is(err, signins.ErrNotFound) {
				return withCode(ExitFound, fmt.Errorf("no sign-in or audit event with id %q", args[0]))
			}
			if err != nil {
				return err
			}
			return writeJSON(e.stdout, a)
		},
	}
}
