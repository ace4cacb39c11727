package diagnose

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Output formats Render writes.
const (
	FormatText     = "text"
	FormatJSON     = "json"
	FormatMarkdown = "markdown"
)

// Formats lists the formats Render accepts.
func Formats() []string { return []string{FormatText, FormatJSON, FormatMarkdown} }

// RenderOptions tune the text format.
type RenderOptions struct {
	// Color adds ANSI colours to the text format (the caller decides:
	// a terminal, NO_COLOR unset). Other formats ignore it.
	Color bool
}

// Render writes r to w in format.
func Render(w io.Writer, r *Report, format string) error {
	return RenderWith(w, r, format, RenderOptions{})
}

// RenderWith writes r to w in format with options.
func RenderWith(w io.Writer, r *Report, format string, o RenderOptions) error {
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case FormatMarkdown:
		return renderMarkdown(w, r)
	case FormatText, "":
		return renderText(w, r, o)
	}
	return fmt.Errorf("output format %q: must be one of %s", format, strings.Join(Formats(), ", "))
}

// Headline is one line saying what Entra (or the API) would answer.
func (r *Report) Headline() string {
	switch {
	case r.EntraCode != 0:
		return fmt.Sprintf("Entra would answer AADSTS%d (%s, HTTP %d)", r.EntraCode, r.Error, r.HTTPStatus)
	case r.Kind == KindToken && !r.OK:
		return "an API would reject this token (" + r.IDX + ")"
	case r.Kind == KindToken:
		return "an API would accept this token"
	case !r.OK:
		return "a check fails"
	}
	if n := r.skipped(); n > 0 {
		return fmt.Sprintf("Entra would accept this %s as far as checked (%d check(s) skipped for lack of input)", r.Kind, n)
	}
	return "Entra would accept this " + r.Kind
}

func (r *Report) skipped() int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == "skip" {
			n++
		}
	}
	return n
}

var marks = map[string]string{"pass": "ok  ", "fail": "FAIL", "warn": "warn", "skip": "skip"}

// ANSI colours of the text format.
var colors = map[string]string{"pass": "\x1b[32m", "fail": "\x1b[1;31m", "warn": "\x1b[33m", "skip": "\x1b[2m", "head": "\x1b[1m"}

func (o RenderOptions) paint(key, s string) string {
	if !o.Color {
		return s
	}
	return colors[key] + s + "\x1b[0m"
}

func renderText(w io.Writer, r *Report, o RenderOptions) error {
	var b strings.Builder
	head := "pass"
	if r.Failed() {
		head = "fail"
	}
	fmt.Fprintf(&b, "%s\n", o.paint(head, r.Headline()))
	if r.Description != "" {
		fmt.Fprintf(&b, "  %s\n", r.Description)
	}
	if m := r.Meaning; m != nil {
		fmt.Fprintf(&b, "  meaning: %s", m.Meaning)
		if m.Name != "" {
			fmt.Fprintf(&b, " (%s)", m.Name)
		}
		fmt.Fprintf(&b, "\n  more: %s", m.URI)
		if m.Guide {
			fmt.Fprintf(&b, "; aadsts explain %d", m.Code)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nchecks:\n")
	writeChecks(&b, r.Checks, o)
	if len(r.CrossChecks) > 0 {
		b.WriteString("\nagainst the error you got:\n")
		writeChecks(&b, r.CrossChecks, o)
	}
	if len(r.Evidence) > 0 {
		b.WriteString("\nevidence:\n")
		width := 0
		for _, f := range r.Evidence {
			width = max(width, len(f.Name))
		}
		for _, f := range r.Evidence {
			fmt.Fprintf(&b, "  %-*s  %s\n", width, f.Name, f.Value)
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeChecks(b *strings.Builder, checks []Check, o RenderOptions) {
	for _, c := range checks {
		code := ""
		if c.Code != 0 {
			code = fmt.Sprintf(" AADSTS%d", c.Code)
		}
		if c.IDX != "" {
			code += " " + c.IDX
		}
		fmt.Fprintf(b, "  %s %-26s%s %s\n", o.paint(c.Status, marks[c.Status]), c.ID, code, c.Detail)
		if c.Fix != "" && c.Status != "pass" && c.Status != "skip" {
			fmt.Fprintf(b, "       fix: %s\n", c.Fix)
		}
	}
}

func renderMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", r.Headline())
	if r.Description != "" {
		fmt.Fprintf(&b, "> %s\n\n", mdEscape(r.Description))
	}
	if m := r.Meaning; m != nil {
		fmt.Fprintf(&b, "**Meaning:** %s ([AADSTS%d](%s))\n\n", mdEscape(m.Meaning), m.Code, m.URI)
	}
	writeMDChecks(&b, "Checks", r.Checks)
	if len(r.CrossChecks) > 0 {
		writeMDChecks(&b, "Against the error you got", r.CrossChecks)
	}
	if len(r.Evidence) > 0 {
		b.WriteString("### Evidence\n\n| fact | value |\n|---|---|\n")
		for _, f := range r.Evidence {
			fmt.Fprintf(&b, "| %s | `%s` |\n", f.Name, mdEscape(f.Value))
		}
		b.WriteString("\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- note: %s\n", mdEscape(n))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMDChecks(b *strings.Builder, title string, checks []Check) {
	fmt.Fprintf(b, "### %s\n\n| check | status | code | detail | fix |\n|---|---|---|---|---|\n", title)
	for _, c := range checks {
		code := ""
		if c.Code != 0 {
			code = fmt.Sprint(c.Code)
		}
		if c.IDX != "" {
			code = strings.TrimSpace(code + " " + c.IDX)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", c.ID, c.Status, code, mdEscape(c.Detail), mdEscape(c.Fix))
	}
	b.WriteString("\n")
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", "").Replace(s)
}
