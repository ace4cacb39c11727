package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/aadsts/aadsts/signins"
)

type logsImportOptions struct {
	output    string
	batch     int
	dateOrder signins.DateOrder
}

func newLogsImportCmd(e *env, lo *logsOptions) *cobra.Command {
	o := &logsImportOptions{}
	cmd := &cobra.Command{
		Use:   "import FILE...|-",
		Short: "Import sign-in and audit log files (format detected per file, gzip too)",
		Long: `import reads each FILE (or stdin for -), detects its format and stores its
records. Records already stored are skipped, so an import can be re-run. A
record that cannot be read is reported with file, line and reason; a file
that cannot be read at all is reported and the other files still import.
Exit code 1 when any record or file could not be imported.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(o.output, "text", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := lo.open(ctx, e)
			if err != nil {
				return err
			}
			defer s.Close()
			var results []signins.ImportResult
			failed := false
			for _, name := range args {
				res, err := importOne(cmd, e, s, name, o)
				if err != nil {
					failed = true
					res.Bad = append(res.Bad, signins.BadRecord{File: name, Reason: err.Error()})
					res.BadCount++
				}
				if res.BadCount > 0 {
					failed = true
				}
				results = append(results, res)
			}
			if o.output == "json" {
				if err := writeJSON(e.stdout, results); err != nil {
					return err
				}
			} else {
				printImport(e.stdout, e.stderr, results)
			}
			if failed {
				return withCode(ExitFound, nil)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	cmd.Flags().IntVar(&o.batch, "batch", 5000, "records stored per transaction")
	cmd.Flags().Var(&o.dateOrder, "date-order", "ambiguous slash dates (3/12/2025): auto (as the file's other dates show), mdy or dmy")
	return cmd
}

func importOne(cmd *cobra.Command, e *env, s signins.Store, name string, o *logsImportOptions) (signins.ImportResult, error) {
	var r io.Reader
	var size int64
	if name == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return signins.ImportResult{File: name}, fmt.Errorf("open %s: %w", name, err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		r = f
	}
	opt := signins.ImportOptions{BatchSize: o.batch, Decode: signins.DecodeOptions{DateOrder: o.dateOrder}}
	if isTerminal(e.stderr) {
		p := newProgress(e.stderr, name, size, r)
		r = p
		opt.Progress = p.update
		defer p.done()
	}
	return signins.Import(cmd.Context(), s, r, name, opt)
}

func printImport(out, errw io.Writer, results []signins.ImportResult) {
	for _, r := range results {
		formats := make([]string, len(r.Formats))
		for i, f := range r.Formats {
			formats[i] = string(f)
		}
		fmt.Fprintf(out, "%s: read %d record(s) (%d sign-ins, %d audit events) [%s]: %d new, %d already stored, %d bad\n",
			r.File, r.Read, r.SignIns, r.Audits, strings.Join(formats, ", "), r.SignInsAdded+r.AuditsAdded, r.Duplicates, r.BadCount)
		for _, b := range r.Bad {
			fmt.Fprintf(errw, "  bad record: %s\n", b)
		}
		if r.BadCount > len(r.Bad) {
			fmt.Fprintf(errw, "  ... and %d more bad records\n", r.BadCount-len(r.Bad))
		}
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// progress draws a one-line progress bar on a terminal: records, records
// per second, and an ETA from the bytes read.
type progress struct {
	w     io.Writer
	name  string
	size  int64
	r     io.Reader
	read  atomic.Int64 // written by the decoder's reader, read by update
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, name string, size int64, r io.Reader) *progress {
	now := time.Now()
	return &progress{w: w, name: name, size: size, r: r, start: now, last: now}
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read.Add(int64(n))
	return n, err
}

func (p *progress) update(r signins.ImportResult) {
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(r.Read) / max(el, 0.001)
	line := fmt.Sprintf("\r%s: %d records, %.0f/s", p.name, r.Read, rate)
	if read := p.read.Load(); p.size > 0 && read > 0 {
		frac := min(float64(read)/float64(p.size), 1)
		const width = 24
		bar := strings.Repeat("=", int(frac*width)) + strings.Repeat(" ", width-int(frac*width))
		eta := time.Duration(el/frac*(1-frac)) * time.Second
		line = fmt.Sprintf("\r%s [%s] %3.0f%% %d records, %.0f/s, ETA %s", p.name, bar, frac*100, r.Read, rate, eta.Round(time.Second))
	}
	fmt.Fprint(p.w, line+"\x1b[K")
}

func (p *progress) done() { fmt.Fprint(p.w, "\r\x1b[K") }
