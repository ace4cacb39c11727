package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/catalog"
	"github.com/aadsts/aadsts/signins"
)

// filterFlags are the sign-in selection flags of report and changes.
type filterFlags struct {
	since, until, now string
	apps, codes       []string
	kinds, outcomes   []string
}

func (f *filterFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.since, "since", "", "from this time (RFC 3339, a date, or back from now: 24h, 7d)")
	cmd.Flags().StringVar(&f.until, "until", "", "before this time (same forms as --since)")
	cmd.Flags().StringVar(&f.now, "now", "", "the current time for relative --since/--until (default: the clock)")
	cmd.Flags().StringSliceVar(&f.apps, "app", nil, "only these apps (app id or display name; repeat or comma-separate)")
	cmd.Flags().StringSliceVar(&f.codes, "code", nil, "only these AADSTS codes (0 is success)")
	cmd.Flags().StringSliceVar(&f.kinds, "kind", nil, "only these kinds: interactive, noninteractive, serviceprincipal, managedidentity, adfs")
	cmd.Flags().StringSliceVar(&f.outcomes, "outcome", nil, "only these outcomes: success, failure, interrupt")
}

func (f *filterFlags) filter() (signins.Filter, error) {
	var out signins.Filter
	now := time.Now().UTC()
	if f.now != "" {
		t, err := signins.ParseTime(f.now)
		if err != nil {
			return out, usageError(fmt.Errorf("--now: %w", err))
		}
		now = t
	}
	var err error
	if out.Since, err = parseWhen("since", f.since, now); err != nil {
		return out, err
	}
	if out.Until, err = parseWhen("until", f.until, now); err != nil {
		return out, err
	}
	out.Apps = f.apps
	for _, c := range f.codes {
		n, err := strconv.Atoi(trimAADSTS(c))
		if err != nil {
			return out, usageError(fmt.Errorf("--code %q: not a number", c))
		}
		out.Codes = append(out.Codes, n)
	}
	for _, k := range f.kinds {
		kind, ok := signins.ParseKind(k)
		if !ok {
			return out, usageError(fmt.Errorf("--kind %q: must be interactive, noninteractive, serviceprincipal, managedidentity or adfs", k))
		}
		out.Kinds = append(out.Kinds, kind)
	}
	for _, o := range f.outcomes {
		oc, ok := signins.ParseOutcome(o)
		if !ok {
			return out, usageError(fmt.Errorf("--outcome %q: must be success, failure or interrupt", o))
		}
		out.Outcomes = append(out.Outcomes, oc)
	}
	return out, nil
}

func trimAADSTS(s string) string {
	if len(s) > 6 && (s[:6] == "AADSTS" || s[:6] == "aadsts") {
		return s[6:]
	}
	return s
}

type logsReportOptions struct {
	filterFlags
	by     string
	output string
}

// reportRow is the JSON and CSV shape of a report line. code is set for
// --by code, app_id for --by app, key for the others.
type reportRow struct {
	Code       *int    `json:"code,omitempty"`
	AppID      *string `json:"app_id,omitempty"`
	Key        string  `json:"key,omitempty"`
	Label      string  `json:"label,omitempty"`
	Name       string  `json:"name,omitempty"`
	Meaning    string  `json:"meaning,omitempty"`
	Count      int     `json:"count"`
	Failures   int     `json:"failures"`
	Interrupts int     `json:"interrupts"`
	FirstSeen  string  `json:"first_seen"`
	LastSeen   string  `json:"last_seen"`
}

func newLogsReportCmd(e *env, lo *logsOptions) *cobra.Command {
	o := &logsReportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Count stored sign-ins by code, app, service principal, resource, credential, IP, day or hour",
		Long: `report groups the stored sign-ins and prints, for each group, the count, the
failures and interrupts, and the first and last time seen; by code it adds
the catalog's name and meaning of each code.

--output json prints an array of objects; with --by code each has "code"
(integer, 0 for success) and "count", with --by app "app_id" and "count",
otherwise "key" and "count".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(o.output, "text", "json", "csv"); err != nil {
				return err
			}
			by, err := signins.ParseBy(o.by)
			if err != nil {
				return usageError(err)
			}
			f, err := o.filter()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := lo.open(ctx, e)
			if err != nil {
				return err
			}
			defer s.Close()
			groups, err := s.Report(ctx, signins.Query{Filter: f, By: by})
			if err != nil {
				return err
			}
			rows := reportRows(by, groups)
			switch o.output {
			case "json":
				return writeJSON(e.stdout, rows)
			case "csv":
				return writeReportCSV(e.stdout, by, rows)
			}
			return writeReportText(e.stdout, by, rows)
		},
	}
	o.filterFlags.add(cmd)
	cmd.Flags().StringVar(&o.by, "by", "code", "group by: code, app, sp, resource, credential, ip, day, hour")
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "output format: text, json or csv")
	return cmd
}

func reportRows(by signins.By, groups []signins.Group) []reportRow {
	rows := make([]reportRow, 0, len(groups))
	cat := catalog.Default()
	for _, g := range groups {
		r := reportRow{Label: g.Label, Count: g.Count, Failures: g.Failures, Interrupts: g.Interrupts,
			FirstSeen: g.First.Format(time.RFC3339Nano), LastSeen: g.Last.Format(time.RFC3339Nano)}
		switch by {
		case signins.ByCode:
			code := g.Code
			r.Code = &code
			if code == 0 {
				r.Name, r.Meaning = "Success", "The sign-in succeeded."
			} else if cat != nil {
				if en, ok := cat.Lookup(code); ok {
					r.Name, r.Meaning = en.Name, en.Meaning
				}
			}
		case signins.ByApp:
			id := g.Key
			r.AppID = &id
		default:
			r.Key = g.Key
		}
		rows = append(rows, r)
	}
	return rows
}

func (r reportRow) key() string {
	switch {
	case r.Code != nil:
		return strconv.Itoa(*r.Code)
	case r.AppID != nil && *r.AppID != "":
		return *r.AppID
	case r.Key == "":
		return "(none)"
	}
	return r.Key
}

func (r reportRow) text() string {
	if r.Code != nil {
		if r.Name == "" {
			return "(not in the catalog)"
		}
		return r.Name + ": " + r.Meaning
	}
	return r.Label
}

func writeReportText(w io.Writer, by signins.By, rows []reportRow) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "no sign-ins match")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tCOUNT\tFAILURES\tINTERRUPTS\tFIRST SEEN\tLAST SEEN\t%s\n", headerOf(by), detailOf(by))
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\n", r.key(), r.Count, r.Failures, r.Interrupts, r.FirstSeen, r.LastSeen, r.text())
	}
	return tw.Flush()
}

func headerOf(by signins.By) string {
	switch by {
	case signins.ByApp:
		return "APP ID"
	case signins.BySP:
		return "SERVICE PRINCIPAL"
	}
	return map[signins.By]string{signins.ByCode: "CODE", signins.ByResource: "RESOURCE", signins.ByCredential: "CREDENTIAL",
		signins.ByIP: "IP", signins.ByDay: "DAY", signins.ByHour: "HOUR"}[by]
}

func detailOf(by signins.By) string {
	switch by {
	case signins.ByCode:
		return "MEANING"
	case signins.ByCredential:
		return "TYPE"
	case signins.ByIP, signins.ByDay, signins.ByHour:
		return ""
	}
	return "NAME"
}

func writeReportCSV(w io.Writer, by signins.By, rows []reportRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{string(by), "label", "count", "failures", "interrupts", "first_seen", "last_seen", "meaning"})
	for _, r := range rows {
		label := r.Label
		if r.Code != nil {
			label = r.Name
		}
		cw.Write([]string{r.key(), label, strconv.Itoa(r.Count), strconv.Itoa(r.Failures), strconv.Itoa(r.Interrupts), r.FirstSeen, r.LastSeen, r.Meaning})
	}
	cw.Flush()
	return cw.Error()
}
