package signins

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csv decodes a Log Analytics "Export to CSV" or a portal download.
func (d *decoder) csv(br *bufio.Reader) error {
	skipped := skipTypeLine(br)
	cr := csv.NewReader(br)
	cr.Comma = sniffDelimiter(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: %w: %v", d.name, ErrUnknownFormat, err)
	}
	cols := make([]string, len(header))
	names := make([]string, len(header))
	seen := map[string]int{}
	for i, h := range header {
		cols[i] = foldColumn(h)
		name := strings.Join(strings.Fields(strings.TrimSuffix(strings.TrimSpace(h), "[UTC]")), " ")
		seen[name]++
		if seen[name] > 1 {
			name = fmt.Sprintf("%s (%d)", name, seen[name])
		}
		names[i] = name
	}
	f, ok := csvFlavour(cols)
	if !ok {
		return fmt.Errorf("%s: %w: CSV header %q names no time column", d.name, ErrUnknownFormat, strings.Join(header, ","))
	}
	var batch []Item
	for {
		if err := d.ctx.Err(); err != nil {
			return err
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		line += skipped
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				batch = append(batch, d.bad(pe.StartLine+skipped, "invalid CSV: "+pe.Err.Error()))
				continue
			}
			return fmt.Errorf("%s: %w", d.name, err)
		}
		if swallowed := d.swallowedRows(rec, line, len(header), cr.Comma, cols, names, f); swallowed != nil {
			// An unterminated quote ran over the next lines: report the
			// row it began and read the rows it swallowed.
			batch = append(batch, d.bad(line, "invalid CSV: a quote left open runs over the next lines"))
			batch = append(batch, swallowed...)
			continue
		}
		if len(rec) < len(header) && !(len(rec) == 1 && rec[0] == "") {
			// A row cut short (a truncated or garbled line) is reported
			// rather than read with its last columns empty.
			batch = append(batch, d.bad(line, fmt.Sprintf("CSV row has %d fields, the header %d", len(rec), len(header))))
			continue
		}
		batch = append(batch, d.csvRow(rec, line, cols, names, f))
		if len(batch) >= 1024 {
			if err := d.emit(batch); err != nil {
				return err
			}
			batch = nil
		}
	}
	if len(batch) == 0 {
		return nil
	}
	return d.emit(batch)
}

// sniffDelimiter picks the CSV delimiter from the header line: a comma,
// or the semicolon or tab that spreadsheets in some locales save with.
func sniffDelimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	best, n := ',', bytes.Count(head, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if c := bytes.Count(head, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

// skipTypeLine drops the "#TYPE Microsoft.Graph.PowerShell.Models.…"
// line that Windows PowerShell's Export-Csv writes before the header
// unless told -NoTypeInformation, and returns the lines dropped.
func skipTypeLine(br *bufio.Reader) int {
	if head, _ := br.Peek(6); !bytes.Equal(head, []byte("#TYPE ")) {
		return 0
	}
	if _, err := br.ReadSlice('\n'); err != nil {
		return 0
	}
	return 1
}

func csvFlavour(cols []string) (Format, bool) {
	has := map[string]bool{}
	for _, c := range cols {
		has[c] = true
	}
	switch {
	case has["auditdata"]:
		// Search-UnifiedAuditLog | Export-Csv and the Purview audit
		// search's export: the record is the JSON in AuditData.
		return FormatUnifiedAuditCSV, true
	case has["date(utc)"] || has["date"]:
		return FormatPortalCSV, true
	case has["timegenerated"] || has["createddatetime"] || has["time"]:
		return FormatLogAnalyticsC, true
	}
	return "", false
}

// csvRow decodes one CSV record that starts on line.
func (d *decoder) csvRow(rec []string, line int, cols, names []string, f Format) Item {
	r := make(row, len(rec))
	obj := make(map[string]string, len(rec))
	for i, v := range rec {
		if i >= len(cols) {
			break
		}
		if _, dup := r[cols[i]]; !dup {
			r[cols[i]] = v
		}
		obj[names[i]] = v
	}
	if f == FormatUnifiedAuditCSV {
		return d.auditDataRow(r["auditdata"], line)
	}
	raw, _ := json.Marshal(obj)
	it, err := fromRow(r, raw, d.h, f)
	if err != nil {
		it = d.bad(line, err.Error())
	}
	it.Line = line
	return it
}

// swallowedRows returns the rows hidden in the fields of a record that
// spans lines because a quote was left open: each line inside a field that
// reads as a whole row (as many fields as the header) and decodes as a
// record. It returns nil when there are none (a field with a legitimate
// line break).
func (d *decoder) swallowedRows(rec []string, line, nfields int, comma rune, cols, names []string, f Format) []Item {
	var out []Item
	n := line
	for _, v := range rec {
		if !strings.Contains(v, "\n") {
			continue
		}
		parts := strings.Split(v, "\n")
		for _, p := range parts[1:] {
			n++
			cr := csv.NewReader(strings.NewReader(strings.TrimSuffix(p, "\r")))
			cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = comma, -1, true
			sub, err := cr.Read()
			if err != nil || len(sub) > nfields {
				continue
			}
			it := d.csvRow(sub, n, cols, names, f)
			switch {
			case it.Bad != nil:
				// Not the start of a row: a line break inside a value.
			case len(sub) == nfields:
				out = append(out, it)
			default:
				// A row whose end the open quote took: count it.
				out = append(out, d.bad(n, fmt.Sprintf("CSV row cut short by the quote left open on line %d", line)))
			}
		}
	}
	return out
}

// auditDataRow decodes the AuditData cell of a Unified Audit Log CSV row:
// one Management Activity record, a sign-in or an audit event.
func (d *decoder) auditDataRow(cell string, line int) Item {
	cell = strings.TrimSpace(cell)
	if !strings.HasPrefix(cell, "{") {
		return d.bad(line, "AuditData is not a JSON object")
	}
	items, err := classify([]byte(cell), d.h, maxDepth, nil)
	if err == nil && len(items) != 1 {
		err = errors.New("AuditData does not hold one record")
	}
	if err != nil {
		return d.bad(line, "AuditData: "+err.Error())
	}
	it := items[0]
	if it.Bad != nil {
		return d.bad(line, "AuditData: "+it.Bad.Reason)
	}
	it.Line = line
	return it
}
