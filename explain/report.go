package explain

import (
	"regexp"
	"slices"
	"strings"

	"github.com/aadsts/aadsts/catalog"
	"github.com/aadsts/aadsts/errtext"
)

// Report is the explanation of one pasted text.
type Report struct {
	Codes      []int
	Primary    int // 0 when the text has no code
	OAuthError string
	Form       string
	Fields     []errtext.Field
	Normalised []errtext.Field
	Facts      []string
	// TextFacts are derived from the text's own values; their Fact ids
	// count like Facts when causes are ranked.
	TextFacts []TextFact
	// Errors has one entry per code, the primary code first, then the
	// others in the order of the text.
	Errors []CodeReport
}

// Unknown returns the codes of the text that the catalog does not know.
func (r Report) Unknown() []int {
	var out []int
	for _, e := range r.Errors {
		if !e.Known {
			out = append(out, e.Code)
		}
	}
	return out
}

// PrimaryKnown reports whether the primary code is in the catalog.
func (r Report) PrimaryKnown() bool {
	for _, e := range r.Errors {
		if e.Code == r.Primary {
			return e.Known
		}
	}
	return false
}

// CodeReport explains one code.
type CodeReport struct {
	Code    int
	Primary bool
	// Known is false for a well-formed code the catalog does not have.
	Known      bool
	Name       string
	Category   string
	Meaning    string
	OAuthError string // the catalog's value for the code
	HTTPStatus int
	ErrorURI   string
	// Message is the text that followed the code in the paste.
	Message     string
	Summary     string // from the deep guide, empty without one
	Flows       []string
	Credentials []string
	Causes      []RankedCause
	Verify      []Step
	Related     []int
	Pitfalls    []string
}

// RankedCause is one cause with its score for this text.
type RankedCause struct {
	ID          string
	Title       string
	Explanation string
	Prior       int
	// Score is Prior plus the weights of the matching signals.
	Score    int
	Evidence []Evidence
	Fixes    []Step
	Verify   []Step
}

// Evidence is a signal of the guide that matched this text.
type Evidence struct {
	Kind   string
	Match  string
	Weight int
	Note   string
}

// Step is one instruction with its commands, placeholders filled.
type Step struct {
	Text     string
	Commands []Command
}

// Command is one concrete command.
type Command struct {
	Tool string
	Run  string
}

// Explain builds the report for a parsed text. facts are "check.id=status"
// values raised by an offline diagnosis (they match fact signals); nil when
// there are none. cat must not be nil.
func Explain(r errtext.Result, cat *catalog.Catalog, facts []string) Report {
	rep := Report{
		Codes:      r.Codes,
		Primary:    r.Primary,
		OAuthError: r.OAuthError,
		Form:       r.Form,
		Fields:     redactFields(r.Fields),
		Normalised: r.Normalised,
		Facts:      facts,
		TextFacts:  TextFacts(r),
	}
	all := append([]string(nil), facts...)
	for _, tf := range rep.TextFacts {
		all = append(all, tf.Fact)
	}
	order := orderedCodes(r.Codes, r.Primary)
	fill := placeholders(r.Fields)
	for _, code := range order {
		rep.Errors = append(rep.Errors, explainCode(code, r, cat, all, fill))
	}
	return rep
}

// orderedCodes puts the primary code first.
func orderedCodes(codes []int, primary int) []int {
	out := make([]int, 0, len(codes))
	if primary != 0 {
		out = append(out, primary)
	}
	for _, c := range codes {
		if c != primary {
			out = append(out, c)
		}
	}
	return out
}

func explainCode(code int, r errtext.Result, cat *catalog.Catalog, facts []string, fill *strings.Replacer) CodeReport {
	cr := CodeReport{Code: code, Primary: code == r.Primary, ErrorURI: catalog.ErrorURI(code), Message: redact(r.Messages[code])}
	e, ok := cat.Lookup(code)
	if !ok {
		return cr
	}
	cr.Known = true
	cr.Name, cr.Category, cr.Meaning = e.Name, e.Category, e.Meaning
	cr.OAuthError, cr.HTTPStatus = e.OAuthError, e.HTTPStatus
	g := e.Guide
	if g == nil {
		return cr
	}
	cr.Summary = g.Summary
	cr.Flows, cr.Credentials = g.Flows, g.Credentials
	cr.Related, cr.Pitfalls = g.Related, g.Pitfalls
	cr.Verify = steps(g.Verify, fill)
	for _, c := range g.Causes {
		rc := RankedCause{ID: c.ID, Title: c.Title, Explanation: c.Explanation, Prior: c.Prior, Score: c.Prior}
		for _, s := range c.Signals {
			if matches(s, r, facts) {
				rc.Score += s.Weight
				rc.Evidence = append(rc.Evidence, Evidence{s.Kind, s.Match, s.Weight, s.Note})
			}
		}
		rc.Fixes = steps(c.Fixes, fill)
		if len(c.Verify) > 0 {
			rc.Verify = steps(c.Verify, fill)
		}
		cr.Causes = append(cr.Causes, rc)
	}
	// Highest score first; ties keep the guide's order (its own ranking).
	slices.SortStableFunc(cr.Causes, func(a, b RankedCause) int { return b.Score - a.Score })
	return cr
}

// matches reports whether a guide signal holds for this text.
func matches(s catalog.Signal, r errtext.Result, facts []string) bool {
	switch s.Kind {
	case catalog.SignalMessage:
		re := s.Regexp()
		if re == nil {
			var err error
			if re, err = regexp.Compile("(?i)" + s.Match); err != nil {
				return false
			}
		}
		return re.MatchString(r.Text)
	case catalog.SignalField:
		_, ok := r.Field(s.Match)
		return ok
	case catalog.SignalOAuthError:
		return r.OAuthError != "" && strings.EqualFold(r.OAuthError, s.Match)
	case catalog.SignalForm:
		return r.Form == s.Match
	case catalog.SignalFact:
		return slices.Contains(facts, s.Match)
	}
	return false
}

func steps(in []catalog.Step, fill *strings.Replacer) []Step {
	out := make([]Step, 0, len(in))
	for _, s := range in {
		st := Step{Text: s.Text}
		for _, c := range s.Commands {
			st.Commands = append(st.Commands, Command{Tool: c.Tool, Run: fill.Replace(c.Run)})
		}
		out = append(out, st)
	}
	return out
}

// placeholderFields maps the guide's <placeholders> to errtext field names.
var placeholderFields = []struct{ placeholder, field string }{
	{"<app-id>", "app_id"}, {"<client-id>", "app_id"}, {"<appid>", "app_id"},
	{"<tenant>", "tenant"}, {"<tenant-id>", "tenant"},
	{"<thumbprint>", "thumbprint"}, {"<redirect-uri>", "redirect_uri"},
	{"<scope>", "scope"}, {"<resource>", "resource"}, {"<user>", "user"}, {"<upn>", "user"},
	{"<issuer>", "issuer"}, {"<subject>", "subject"}, {"<audience>", "audience"},
	{"<origin>", "origin"}, {"<authority>", "authority"},
	{"<correlation-id>", "correlation_id"}, {"<trace-id>", "trace_id"}, {"<request-id>", "request_id"},
	{"<timestamp>", "timestamp"},
}

// placeholders builds the replacer that fills <placeholders> with the
// text's own values, skipping values that are themselves redactions or
// placeholders ('***', 'XXXX', '<client id>', '{id}').
func placeholders(fields []errtext.Field) *strings.Replacer {
	var pairs []string
	for _, p := range placeholderFields {
		for _, f := range fields {
			if f.Name == p.field && isRealValue(f.Value) {
				pairs = append(pairs, p.placeholder, quoteArg(f.Value))
				break
			}
		}
	}
	return strings.NewReplacer(pairs...)
}

// isRealValue rejects redacted and placeholder values.
func isRealValue(v string) bool {
	if v == "" || strings.ContainsAny(v, "<>{}[]*\"`") {
		return false
	}
	if strings.Trim(strings.ToLower(v), "x-.0") == "" {
		return false
	}
	switch strings.ToLower(v) {
	case "appid", "app-id", "app_id", "clientid", "client_id", "tenant", "tenantid", "tenant_id", "your_tenant",
		"redacted", "sanitized", "removed", "hidden", "guid", "id", "foo", "bar":
		return false
	}
	return true
}

// quoteArg single-quotes a value for a command line when it needs it.
func quoteArg(v string) string {
	if strings.ContainsAny(v, " \t'\"$`\\;&|()") {
		return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
	}
	return v
}
