package explain

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/aadsts/aadsts/catalog"
)

// TextOptions tune the text rendering. The caller decides Color (a
// terminal, and NO_COLOR unset): the renderer never looks at the terminal.
type TextOptions struct {
	Color bool
	Width int // wrap width, 80 when 0
}

// style applies ANSI styles when colour is on.
type style struct{ on bool }

func (s style) wrap(code, v string) string {
	if !s.on || v == "" {
		return v
	}
	return "\x1b[" + code + "m" + v + "\x1b[0m"
}
func (s style) bold(v string) string  { return s.wrap("1", v) }
func (s style) code(v string) string  { return s.wrap("1;31", v) }
func (s style) dim(v string) string   { return s.wrap("2", v) }
func (s style) cmd(v string) string   { return s.wrap("32", v) }
func (s style) title(v string) string { return s.wrap("1;36", v) }

// WriteText renders the report for a person: codes, names and meanings,
// the facts from the text, causes ranked with their evidence, fixes,
// verification steps and the error page.
func WriteText(w io.Writer, r Report, opt TextOptions) error {
	bw := bufio.NewWriter(w)
	st := style{opt.Color}
	width := opt.Width
	if width <= 0 {
		width = 80
	}
	if len(r.Codes) == 0 {
		fmt.Fprintln(bw, "No AADSTS code found in the text.")
	}
	if len(r.Fields) > 0 {
		fmt.Fprintln(bw, st.title("Facts from the text"))
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		for _, f := range r.Fields {
			fmt.Fprintf(tw, "  %s\t%s\n", f.Name, f.Value)
		}
		if r.OAuthError != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", "oauth error", r.OAuthError)
		}
		if r.Form != "" && r.Form != "other" {
			fmt.Fprintf(tw, "  %s\t%s\n", "form", r.Form)
		}
		tw.Flush()
		fmt.Fprintln(bw)
	}
	if len(r.TextFacts) > 0 {
		fmt.Fprintln(bw, st.title("What the values say"))
		for _, f := range r.TextFacts {
			writeWrapped(bw, "- "+f.Note+" "+st.dim("("+f.Fact+")"), "  ", width)
		}
		fmt.Fprintln(bw)
	}
	for i, e := range r.Errors {
		if i > 0 {
			fmt.Fprintln(bw, st.dim(strings.Repeat("─", min(width, 60))))
			fmt.Fprintln(bw)
		}
		writeCodeText(bw, e, st, width)
	}
	return bw.Flush()
}

func writeCodeText(w io.Writer, e CodeReport, st style, width int) {
	head := st.code("AADSTS" + strconv.Itoa(e.Code))
	if !e.Known {
		fmt.Fprintf(w, "%s is not in the aadsts catalog: it is a well-formed code this version does not know.\n", head)
		if e.Message != "" {
			fmt.Fprintf(w, "  message     %s\n", e.Message)
		}
		fmt.Fprintf(w, "  error page  %s\n\n", e.ErrorURI)
		return
	}
	fmt.Fprintf(w, "%s  %s\n", head, st.bold(e.Name))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", k, v)
		}
	}
	row("meaning", e.Meaning)
	row("category", e.Category)
	if e.OAuthError != "" || e.HTTPStatus != 0 {
		v := e.OAuthError
		if e.HTTPStatus != 0 {
			v = strings.TrimSpace(v + " (HTTP " + strconv.Itoa(e.HTTPStatus) + ")")
		}
		row("oauth error", v)
	}
	row("message", e.Message)
	row("error page", e.ErrorURI)
	tw.Flush()
	fmt.Fprintln(w)
	if e.Summary == "" {
		fmt.Fprintln(w, st.dim("  No deep guide for this code yet: the meaning above and the error page are what is known."))
		fmt.Fprintln(w)
		return
	}
	if !e.Primary {
		// The guide of a secondary code (a wrapper, another error in a
		// log) would bury the primary one: point to it instead.
		fmt.Fprintf(w, "  %s\n\n", st.dim(fmt.Sprintf("Not the primary code of this text; its guide: aadsts explain %d", e.Code)))
		return
	}
	fmt.Fprintln(w, st.title("What it means"))
	writeWrapped(w, e.Summary, "  ", width)
	if len(e.Flows) > 0 || len(e.Credentials) > 0 {
		fmt.Fprintln(w, st.dim("  flows: "+strings.Join(e.Flows, ", ")+"; credentials: "+strings.Join(e.Credentials, ", ")))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.title("Likely causes, ranked for this text"))
	for i, c := range e.Causes {
		fmt.Fprintf(w, "  %d. %s %s\n", i+1, st.bold(c.Title), st.dim(fmt.Sprintf("[score %d]", c.Score)))
		writeWrapped(w, c.Explanation, "     ", width)
		if len(c.Evidence) > 0 {
			fmt.Fprintln(w, "     Evidence:")
			for _, ev := range c.Evidence {
				writeWrapped(w, fmt.Sprintf("- %+d %s: %s", ev.Weight, ev.Kind, ev.Note), "       ", width)
			}
		}
		if len(c.Fixes) > 0 {
			fmt.Fprintln(w, "     Fix:")
			writeStepsText(w, c.Fixes, "       ", st, width)
		}
		if len(c.Verify) > 0 {
			fmt.Fprintln(w, "     Verify:")
			writeStepsText(w, c.Verify, "       ", st, width)
		}
	}
	fmt.Fprintln(w)
	if len(e.Verify) > 0 {
		fmt.Fprintln(w, st.title("Verify the fix"))
		writeStepsText(w, e.Verify, "  ", st, width)
		fmt.Fprintln(w)
	}
	if len(e.Pitfalls) > 0 {
		fmt.Fprintln(w, st.title("Pitfalls"))
		for _, p := range e.Pitfalls {
			writeWrapped(w, "- "+p, "  ", width)
		}
		fmt.Fprintln(w)
	}
	if len(e.Related) > 0 {
		fmt.Fprintf(w, "%s  %s\n\n", st.title("Related"), relatedList(e.Related))
	}
}

func relatedList(codes []int) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = "AADSTS" + strconv.Itoa(c)
	}
	return strings.Join(parts, ", ")
}

func writeStepsText(w io.Writer, steps []Step, indent string, st style, width int) {
	for _, s := range steps {
		writeWrapped(w, "- "+s.Text, indent, width)
		for _, c := range s.Commands {
			fmt.Fprintf(w, "%s    %-10s %s\n", indent, c.Tool, st.cmd(c.Run))
		}
	}
}

// writeWrapped writes text wrapped at width, every line indented; the
// lines of a "- " bullet hang under its first word.
func writeWrapped(w io.Writer, text, indent string, width int) {
	words := strings.Fields(text)
	line := indent
	hang := indent
	if strings.HasPrefix(text, "- ") {
		hang += "  "
	}
	for _, word := range words {
		if len(line) > len(indent) && len(line)+1+len(word) > width {
			fmt.Fprintln(w, line)
			line = hang
		}
		if len(line) > len(indent) && !strings.HasSuffix(line, " ") {
			line += " "
		}
		line += word
	}
	if strings.TrimSpace(line) != "" {
		fmt.Fprintln(w, line)
	}
}

// WriteEntriesText writes catalog entries as an aligned table.
func WriteEntriesText(w io.Writer, entries []catalog.Entry, opt TextOptions) error {
	st := style{opt.Color}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tCATEGORY\tGUIDE\tMEANING")
	for _, e := range entries {
		guide := ""
		if e.Guide != nil {
			guide = "yes"
		}
		// Colour only the last column, so escapes do not upset alignment.
		fmt.Fprintf(tw, "AADSTS%d\t%s\t%s\t%s\t%s\n", e.Code, e.Name, e.Category, guide, st.dim(e.Meaning))
	}
	return tw.Flush()
}
