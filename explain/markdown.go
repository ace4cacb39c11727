package explain

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aadsts/aadsts/catalog"
)

// WriteMarkdown renders the report as GitHub-flavoured markdown, for an
// issue, a ticket or a wiki page.
func WriteMarkdown(w io.Writer, r Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# aadsts explain")
	fmt.Fprintln(bw)
	if len(r.Codes) == 0 {
		fmt.Fprintln(bw, "No AADSTS code found in the text.")
		fmt.Fprintln(bw)
	}
	if len(r.Fields) > 0 || r.OAuthError != "" {
		fmt.Fprintln(bw, "## Facts from the text")
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "| field | value |")
		fmt.Fprintln(bw, "|---|---|")
		for _, f := range r.Fields {
			fmt.Fprintf(bw, "| %s | %s |\n", f.Name, mdCode(f.Value))
		}
		if r.OAuthError != "" {
			fmt.Fprintf(bw, "| oauth error | %s |\n", mdCode(r.OAuthError))
		}
		if r.Form != "" && r.Form != "other" {
			fmt.Fprintf(bw, "| form | %s |\n", r.Form)
		}
		fmt.Fprintln(bw)
	}
	if len(r.TextFacts) > 0 {
		fmt.Fprintln(bw, "## What the values say")
		fmt.Fprintln(bw)
		for _, f := range r.TextFacts {
			fmt.Fprintf(bw, "- %s (`%s`)\n", mdLine(f.Note), f.Fact)
		}
		fmt.Fprintln(bw)
	}
	for _, e := range r.Errors {
		writeCodeMarkdown(bw, e)
	}
	return bw.Flush()
}

func writeCodeMarkdown(w io.Writer, e CodeReport) {
	code := "AADSTS" + strconv.Itoa(e.Code)
	if !e.Known {
		fmt.Fprintf(w, "## %s (not in the catalog)\n\n", code)
		fmt.Fprintf(w, "%s is a well-formed code this version of aadsts does not know. Entra's page for it: <%s>\n\n", code, e.ErrorURI)
		if e.Message != "" {
			fmt.Fprintf(w, "> %s\n\n", mdLine(e.Message))
		}
		return
	}
	fmt.Fprintf(w, "## %s: %s\n\n", code, e.Name)
	fmt.Fprintf(w, "**Meaning:** %s\n\n", mdLine(e.Meaning))
	meta := []string{"**Category:** " + e.Category}
	if e.OAuthError != "" {
		meta = append(meta, "**OAuth error:** `"+e.OAuthError+"`")
	}
	if e.HTTPStatus != 0 {
		meta = append(meta, "**HTTP:** "+strconv.Itoa(e.HTTPStatus))
	}
	meta = append(meta, "**Error page:** <"+e.ErrorURI+">")
	fmt.Fprintln(w, strings.Join(meta, " · "))
	fmt.Fprintln(w)
	if e.Message != "" {
		fmt.Fprintf(w, "> %s\n\n", mdLine(e.Message))
	}
	if e.Summary == "" {
		fmt.Fprintln(w, "_No deep guide for this code yet._")
		fmt.Fprintln(w)
		return
	}
	if !e.Primary {
		fmt.Fprintf(w, "_Not the primary code of this text; its guide: `aadsts explain %d`._\n\n", e.Code)
		return
	}
	fmt.Fprintf(w, "### What it means\n\n%s\n\n", mdLine(e.Summary))
	if len(e.Flows) > 0 || len(e.Credentials) > 0 {
		fmt.Fprintf(w, "Flows: %s. Credentials: %s.\n\n", strings.Join(e.Flows, ", "), strings.Join(e.Credentials, ", "))
	}
	fmt.Fprintln(w, "### Likely causes, ranked for this text")
	fmt.Fprintln(w)
	for i, c := range e.Causes {
		fmt.Fprintf(w, "#### %d. %s (score %d)\n\n%s\n\n", i+1, mdLine(c.Title), c.Score, mdLine(c.Explanation))
		if len(c.Evidence) > 0 {
			fmt.Fprintln(w, "Evidence:")
			fmt.Fprintln(w)
			for _, ev := range c.Evidence {
				fmt.Fprintf(w, "- %+d (%s) %s\n", ev.Weight, ev.Kind, mdLine(ev.Note))
			}
			fmt.Fprintln(w)
		}
		stepsSection(w, "Fix:", c.Fixes)
		stepsSection(w, "Verify:", c.Verify)
	}
	stepsSection(w, "### Verify the fix", e.Verify)
	if len(e.Pitfalls) > 0 {
		fmt.Fprintln(w, "### Pitfalls")
		fmt.Fprintln(w)
		for _, p := range e.Pitfalls {
			fmt.Fprintf(w, "- %s\n", mdLine(p))
		}
		fmt.Fprintln(w)
	}
	if len(e.Related) > 0 {
		fmt.Fprintf(w, "Related: %s\n\n", relatedList(e.Related))
	}
}

// stepsSection writes a heading and its numbered steps, nothing when there
// are none.
func stepsSection(w io.Writer, heading string, steps []Step) {
	if len(steps) == 0 {
		return
	}
	fmt.Fprintln(w, heading)
	fmt.Fprintln(w)
	writeStepsMarkdown(w, steps)
}

func writeStepsMarkdown(w io.Writer, steps []Step) {
	for i, s := range steps {
		fmt.Fprintf(w, "%d. %s\n", i+1, mdLine(s.Text))
		for _, c := range s.Commands {
			lang := map[string]string{"az": "sh", "bash": "sh", "curl": "sh", "aadsts": "sh", "openssl": "sh", "powershell": "powershell"}[c.Tool]
			if c.Tool == "portal" {
				fmt.Fprintf(w, "   - Portal: %s\n", mdLine(c.Run))
				continue
			}
			fmt.Fprintf(w, "   ```%s\n   %s\n   ```\n", lang, c.Run)
		}
	}
	fmt.Fprintln(w)
}

// mdLine puts text on one line (markdown paragraphs and table cells).
func mdLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mdCode writes a value as inline code, safe inside a table cell.
func mdCode(v string) string {
	v = strings.ReplaceAll(mdLine(v), "|", `\|`)
	if strings.Contains(v, "`") {
		return "``" + v + "``"
	}
	return "`" + v + "`"
}

// WriteEntriesMarkdown writes catalog entries as a markdown table.
func WriteEntriesMarkdown(w io.Writer, entries []catalog.Entry) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "| code | name | category | guide | meaning |")
	fmt.Fprintln(bw, "|---|---|---|---|---|")
	for _, e := range entries {
		guide := ""
		if e.Guide != nil {
			guide = "yes"
		}
		fmt.Fprintf(bw, "| [AADSTS%d](%s) | %s | %s | %s | %s |\n", e.Code, catalog.ErrorURI(e.Code), e.Name, e.Category, guide,
			strings.ReplaceAll(mdLine(e.Meaning), "|", `\|`))
	}
	return bw.Flush()
}
