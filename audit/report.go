package audit

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the JSON document of an audit: {"findings": [...]} plus a
// summary. Findings is never null.
type Report struct {
	Findings []Finding `json:"findings"`
	Summary  Summary   `json:"summary"`
}

// Summary counts findings by severity.
type Summary struct {
	GeneratedAt  time.Time `json:"generated_at"`
	Applications int       `json:"applications"`
	SPs          int       `json:"service_principals"`
	Critical     int       `json:"critical"`
	Warning      int       `json:"warning"`
	Info         int       `json:"info"`
}

// NewReport wraps findings with counts.
func NewReport(fs []Finding, now time.Time, apps, sps int) Report {
	if fs == nil {
		fs = []Finding{}
	}
	s := Summary{GeneratedAt: now.UTC(), Applications: apps, SPs: sps}
	for _, f := range fs {
		switch f.Severity {
		case Critical:
			s.Critical++
		case Warning:
			s.Warning++
		case Info:
			s.Info++
		}
	}
	return Report{Findings: fs, Summary: s}
}

// WriteJSON writes the report as JSON: one finding per line inside the
// findings array, so that large reports stream without being held twice.
func WriteJSON(w io.Writer, r Report) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	bw.WriteString("{\n  \"findings\": [")
	for i, f := range r.Findings {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		// Encode ends each finding with a newline, before the comma.
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	if len(r.Findings) > 0 {
		bw.WriteString("  ")
	}
	bw.WriteString("],\n  \"summary\": ")
	if err := enc.Encode(r.Summary); err != nil {
		return err
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// TextOptions shapes the text rendering.
type TextOptions struct {
	// Table aligns columns and shows relative times (for a terminal).
	Table bool
	// Color adds ANSI colours to severities (only with Table).
	Color bool
	// Now anchors relative times.
	Now time.Time
}

// WriteText writes one line per finding. As a table (on a terminal) the
// columns are aligned and expiry is relative; piped, it is plain
// tab-separated text with RFC 3339 times, stable for scripts.
func WriteText(w io.Writer, r Report, o TextOptions) error {
	if len(r.Findings) == 0 {
		_, err := fmt.Fprintf(w, "No findings (%d applications, %d service principals).\n", r.Summary.Applications, r.Summary.SPs)
		return err
	}
	if !o.Table {
		for _, f := range r.Findings {
			exp := ""
			if f.Expires != nil {
				exp = f.Expires.UTC().Format(time.RFC3339)
			}
			if _, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Severity, f.Rule, f.AppID, f.ObjectID, f.KeyID, exp, f.Message); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tRULE\tOBJECT\tCREDENTIAL\tEXPIRES")
	for _, f := range r.Findings {
		sev := strings.ToUpper(f.Severity.String())
		if o.Color {
			sev = colour(f.Severity) + sev + "\x1b[0m"
		}
		obj := f.DisplayName
		if obj == "" {
			obj = f.AppID
		}
		if obj == "" {
			obj = "(unnamed, in " + filepath.Base(sourceFile(f.Source)) + ")"
		}
		if f.ObjectType == ObjectServicePrincipal {
			obj += " (SP)"
		}
		credName := f.CredentialName
		if credName == "" {
			credName = f.KeyID
		}
		exp := ""
		if f.Expires != nil {
			exp = relative(*f.Expires, o.Now)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", sev, f.Rule, clip(obj, 40), clip(credName, 30), exp)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d critical, %d warning, %d info. Use --output json or markdown for messages and fixes.\n",
		r.Summary.Critical, r.Summary.Warning, r.Summary.Info)
	return err
}

func colour(s Severity) string {
	switch s {
	case Critical:
		return "\x1b[31;1m"
	case Warning:
		return "\x1b[33m"
	}
	return "\x1b[36m"
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func relative(t, now time.Time) string {
	d := t.Sub(now)
	n := int(d.Abs() / Day)
	unit := "days"
	if n == 1 {
		unit = "day"
	}
	switch {
	case d.Abs() < Day && d >= 0:
		return "today"
	case d.Abs() < Day:
		return "expired today"
	case d < 0:
		return fmt.Sprintf("%d %s ago", n, unit)
	}
	return fmt.Sprintf("in %d %s", n, unit)
}

// WriteMarkdown writes a summary and one section per finding.
func WriteMarkdown(w io.Writer, r Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# App registration audit\n\n%d critical, %d warning, %d info across %d applications and %d service principals (as of %s).\n\n",
		r.Summary.Critical, r.Summary.Warning, r.Summary.Info, r.Summary.Applications, r.Summary.SPs, r.Summary.GeneratedAt.Format(time.RFC3339))
	if len(r.Findings) > 0 {
		b.WriteString("| Severity | Rule | Object | appId | keyId | Expires |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, f := range r.Findings {
			exp := ""
			if f.Expires != nil {
				exp = f.Expires.UTC().Format("2006-01-02")
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | `%s` | `%s` | %s |\n", f.Severity, f.Rule, mdEscape(f.DisplayName), f.AppID, f.KeyID, exp)
		}
		b.WriteString("\n## Findings\n")
		for i, f := range r.Findings {
			fmt.Fprintf(&b, "\n### %d. %s: `%s`\n\n%s\n\n**Fix:** %s\n", i+1, f.Severity, f.Rule, mdEscape(f.Message), mdEscape(f.Fix))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;").Replace(s)
}

// CSVHeader is the header row of WriteCSV.
var CSVHeader = []string{"rule", "severity", "app_id", "object_id", "key_id", "object_type", "display_name", "credential_type", "credential_name", "expires", "message", "fix", "tenant_id", "source"}

// WriteCSV writes one row per finding under CSVHeader. Cells starting with
// = + - @ are prefixed with ' so spreadsheets do not run them.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, f := range r.Findings {
		exp := ""
		if f.Expires != nil {
			exp = f.Expires.UTC().Format(time.RFC3339)
		}
		row := []string{f.Rule, f.Severity.String(), f.AppID, f.ObjectID, f.KeyID, f.ObjectType, f.DisplayName, f.CredentialType, f.CredentialName, exp, f.Message, f.Fix, f.TenantID, f.Source}
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				row[i] = "'" + c
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SARIF 2.1.0, the subset code-scanning tools read.
type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifText    `json:"shortDescription"`
	FullDescription      sarifText    `json:"fullDescription"`
	Help                 sarifText    `json:"help"`
	DefaultConfiguration sarifDefault `json:"defaultConfiguration"`
}

type sarifDefault struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string           `json:"ruleId"`
	RuleIndex           int              `json:"ruleIndex"`
	Level               string           `json:"level"`
	Message             sarifText        `json:"message"`
	Locations           []sarifLocation  `json:"locations"`
	PartialFingerprints sarifFingerprint `json:"partialFingerprints"`
	Properties          sarifProps       `json:"properties"`
}

type sarifFingerprint struct {
	Finding string `json:"aadstsFinding/v1"`
}

type sarifProps struct {
	AppID    string `json:"app_id"`
	ObjectID string `json:"object_id"`
	KeyID    string `json:"key_id,omitempty"`
	Severity string `json:"severity"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

func sarifLevel(s Severity) string {
	switch s {
	case Critical:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes the findings as a SARIF 2.1.0 log, one rule per audit
// rule, for code-scanning dashboards. version is the tool's version.
func WriteSARIF(w io.Writer, r Report, version string) error {
	rules := Rules()
	index := map[string]int{}
	drv := sarifDriver{Name: "aadsts audit", InformationURI: "https://github.com/aadsts/aadsts/blob/main/docs/audit.md", Version: version}
	for i, ru := range rules {
		index[ru.ID] = i
		level := "warning"
		if strings.HasPrefix(ru.Severity, "critical") {
			level = "error"
		} else if strings.HasPrefix(ru.Severity, "info") {
			level = "note"
		}
		drv.Rules = append(drv.Rules, sarifRule{ID: ru.ID, Name: ru.Title, ShortDescription: sarifText{ru.Title}, FullDescription: sarifText{ru.Why},
			Help: sarifText{ru.Why}, DefaultConfiguration: sarifDefault{level}})
	}
	// The run is written by hand around the results so that large reports
	// stream: one result per line.
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	bw.WriteString("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": ")
	if err := enc.Encode(sarifTool{Driver: drv}); err != nil {
		return err
	}
	bw.WriteString("      ,\"results\": [")
	for i, f := range r.Findings {
		fq := "applications/" + f.ObjectID
		if f.ObjectType == ObjectServicePrincipal {
			fq = "servicePrincipals/" + f.ObjectID
		}
		if f.KeyID != "" {
			fq += "/credentials/" + f.KeyID
		}
		loc := sarifLocation{LogicalLocations: []sarifLogical{{Name: f.DisplayName, FullyQualifiedName: fq, Kind: "object"}}}
		if src := sourceFile(f.Source); src != "" {
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: src}}
		}
		sum := sha256.Sum256([]byte(f.Rule + "\x00" + f.TenantID + "\x00" + f.AppID + "\x00" + f.ObjectID + "\x00" + f.KeyID))
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message: sarifText{f.Message + " Fix: " + f.Fix}, Locations: []sarifLocation{loc},
			PartialFingerprints: sarifFingerprint{hex.EncodeToString(sum[:16])},
			Properties:          sarifProps{AppID: f.AppID, ObjectID: f.ObjectID, KeyID: f.KeyID, Severity: f.Severity.String()}}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n        ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	}
	bw.WriteString("      ]\n    }\n  ]\n}\n")
	return bw.Flush()
}

// sourceFile turns an object's Source ("file.json: [0].value[2]") into the
// file part, or "" for live reads.
func sourceFile(src string) string {
	file, _, _ := strings.Cut(src, ": ")
	if strings.HasPrefix(file, "graph:") || file == "-" {
		return ""
	}
	return file
}
