// Package alert owns alert rules over sign-in logs: the YAML rules file
// (decoded strictly), their evaluation against a signins.Store at a given
// time, webhook notifications (generic JSON, Teams, Slack) with retries,
// and the export of each rule as KQL and an Azure Monitor scheduled query
// rule. It must not print or decide exit codes.
package alert

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/aadsts/aadsts/catalog"
	"github.com/aadsts/aadsts/signins"
)

// File is a rules file.
type File struct {
	Rules  []Rule   `yaml:"rules"`
	Notify []Target `yaml:"notify"`
}

// Rule fires on the sign-ins (or credential changes) it matches: when their
// count in Window reaches Threshold, or, with Baseline set, when that count
// rises above Factor times the average per window over the Baseline period
// before it (and reaches MinCount).
type Rule struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Severity    int      `yaml:"severity"`
	Match       Match    `yaml:"match"`
	Window      Duration `yaml:"window"`
	Threshold   int      `yaml:"threshold"`
	Baseline    Duration `yaml:"baseline"`
	Factor      float64  `yaml:"factor"`
	MinCount    int      `yaml:"min_count"`
}

// Match selects what a rule counts. Empty lists match everything; Outcomes
// defaults to failure. Source "audit" counts credential changes instead of
// sign-ins.
type Match struct {
	Source     string   `yaml:"source"`
	Codes      []int    `yaml:"codes"`
	Categories []string `yaml:"categories"`
	Apps       []string `yaml:"apps"`
	Kinds      []string `yaml:"kinds"`
	Outcomes   []string `yaml:"outcomes"`
}

// Target is a webhook to notify.
type Target struct {
	URL    string `yaml:"url"`
	Format string `yaml:"format"` // json (default), teams, slack
}

// Duration is a YAML duration: Go's form (90m, 1h30m) or days (7d).
type Duration time.Duration

// UnmarshalYAML reads a duration.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := ParseDuration(s)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads "90m", "1h", "7d".
func ParseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err == nil && fmt.Sprint(days) == n {
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: want 90m, 1h or 7d", s)
	}
	return d, nil
}

// ErrInvalid marks a rules file that decodes but does not make sense.
var ErrInvalid = errors.New("invalid rules")

// Load decodes a rules file strictly (unknown fields are errors), fills
// defaults and validates it, reporting every problem at once.
func Load(r io.Reader, name string) (*File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read rules %s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f File
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return nil, fmt.Errorf("rules %s: %w", name, err)
	}
	f.defaults()
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("rules %s: %w", name, err)
	}
	return &f, nil
}

func (f *File) defaults() {
	for i := range f.Rules {
		r := &f.Rules[i]
		if r.Window == 0 {
			r.Window = Duration(time.Hour)
		}
		if r.Baseline != 0 && r.Factor == 0 {
			r.Factor = 3
		}
		if r.Baseline == 0 && r.Threshold == 0 {
			r.Threshold = 1
		}
		if r.Baseline != 0 && r.MinCount == 0 {
			r.MinCount = 1
		}
		if len(r.Match.Outcomes) == 0 && r.Match.Source != "audit" {
			r.Match.Outcomes = []string{"failure"}
		}
		if r.Severity == 0 {
			r.Severity = 2
		}
	}
	for i := range f.Notify {
		if f.Notify[i].Format == "" {
			f.Notify[i].Format = "json"
		}
	}
}

// Validate reports every problem of the file at once.
func (f *File) Validate() error {
	var probs []string
	bad := func(format string, a ...any) { probs = append(probs, fmt.Sprintf(format, a...)) }
	if len(f.Rules) == 0 {
		bad("no rules")
	}
	seen := map[string]bool{}
	for i, r := range f.Rules {
		where := fmt.Sprintf("rule %d (%s)", i+1, r.Name)
		if r.Name == "" {
			bad("rule %d: name is required", i+1)
		} else if seen[r.Name] {
			bad("%s: duplicate name", where)
		}
		seen[r.Name] = true
		if r.Window <= 0 {
			bad("%s: window must be positive", where)
		}
		if r.Threshold < 0 || r.MinCount < 0 || r.Factor < 0 {
			bad("%s: threshold, min_count and factor must not be negative", where)
		}
		if r.Baseline != 0 && r.Baseline < r.Window {
			bad("%s: baseline must be at least the window", where)
		}
		if r.Severity < 0 || r.Severity > 4 {
			bad("%s: severity must be 0 (critical) to 4 (verbose)", where)
		}
		switch r.Match.Source {
		case "", "signins", "audit":
		default:
			bad("%s: source %q must be signins or audit", where, r.Match.Source)
		}
		for _, c := range r.Match.Categories {
			if !catalog.IsCategory(c) {
				bad("%s: category %q is not one of %s", where, c, strings.Join(catalog.Categories(), ", "))
			}
		}
		for _, k := range r.Match.Kinds {
			if _, ok := signins.ParseKind(k); !ok {
				bad("%s: kind %q is not interactive, noninteractive, serviceprincipal, managedidentity or adfs", where, k)
			}
		}
		for _, o := range r.Match.Outcomes {
			if _, ok := signins.ParseOutcome(o); !ok {
				bad("%s: outcome %q is not success, failure or interrupt", where, o)
			}
		}
		for _, a := range r.Match.Apps {
			if strings.ContainsAny(a, "\"'\\\n") {
				bad("%s: app %q has quotes or backslashes", where, a)
			}
		}
	}
	for i, t := range f.Notify {
		if !strings.HasPrefix(t.URL, "https://") && !strings.HasPrefix(t.URL, "http://") {
			bad("notify %d: url %q must be http(s)", i+1, t.URL)
		}
		switch t.Format {
		case "json", "teams", "slack":
		default:
			bad("notify %d: format %q must be json, teams or slack", i+1, t.Format)
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(probs, "; "))
	}
	return nil
}

// Codes returns the codes a rule matches: its codes plus those of its
// catalog categories; nil means any code.
func (r *Rule) Codes() []int {
	codes := append([]int(nil), r.Match.Codes...)
	if cat := catalog.Default(); cat != nil {
		for _, c := range r.Match.Categories {
			for _, e := range cat.ByCategory(c) {
				codes = append(codes, e.Code)
			}
		}
	}
	return codes
}

// Filter returns the sign-in filter of a rule, without time bounds.
func (r *Rule) Filter() signins.Filter {
	f := signins.Filter{Apps: r.Match.Apps, Codes: r.Codes()}
	if len(r.Match.Categories) > 0 && len(f.Codes) == 0 {
		f.Codes = []int{-1} // categories with no codes match nothing
	}
	for _, k := range r.Match.Kinds {
		kind, _ := signins.ParseKind(k)
		f.Kinds = append(f.Kinds, kind)
	}
	for _, o := range r.Match.Outcomes {
		oc, _ := signins.ParseOutcome(o)
		f.Outcomes = append(f.Outcomes, oc)
	}
	return f
}
