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
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				batch = append(batch, d.bad(pe.StartLine, "invalid CSV: "+pe.Err.Error()))
				continue
			}
			return fmt.Errorf("%s: %w", d.name, err)
		}
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
		raw, _ := json.Marshal(obj)
		it, err := fromRow(r, raw, d.h, f)
		if err != nil {
			it = d.bad(line, err.Error())
		}
		it.Line = line
		batch = append(batch, it)
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

func csvFlavour(cols []string) (Format, bool) {
	has := map[string]bool{}
	for _, c := range cols {
		has[c] = true
	}
	switch {
	case has["date(utc)"] || has["date"]:
		return FormatPortalCSV, true
	case has["timegenerated"] || has["createddatetime"] || has["time"]:
		return FormatLogAnalyticsC, true
	}
	return "", false
}
