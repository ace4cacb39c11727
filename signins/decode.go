package signins

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Item is one decoded input record: a sign-in, an audit event, or a record
// that could not be read.
type Item struct {
	Line   int
	SignIn *Record
	Audit  *AuditEvent
	Bad    *BadRecord
}

// BadRecord is an input record that could not be imported, with where it
// was and why.
type BadRecord struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (b BadRecord) String() string {
	if b.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", b.File, b.Line, b.Reason)
	}
	return fmt.Sprintf("%s: %s", b.File, b.Reason)
}

// ErrUnknownFormat is returned when a file is neither JSON nor a known CSV
// export.
var ErrUnknownFormat = errors.New("unknown log format")

// maxDoc is the size up to which a JSON document (not NDJSON) is read whole,
// which allows lenient fixes; larger documents are streamed.
var maxDoc = 32 << 20 // a variable so that tests can exercise streaming

// maxLine bounds one NDJSON line.
const maxLine = 64 << 20

// DecodeOptions tune Decode.
type DecodeOptions struct {
	// Workers decoding NDJSON lines in parallel; 0 means GOMAXPROCS.
	Workers int
	// ChunkLines is the number of lines handed to a worker at once.
	ChunkLines int
	// DateOrder says how ambiguous slash dates ("3/12/2025") are read;
	// the zero value infers it per input (see DateAuto).
	DateOrder DateOrder
}

// Decode reads one input (a file's content, gzip or not) named name,
// detects its format and calls emit with its items in input order, in
// chunks. A record that cannot be read becomes an Item with Bad set; Decode
// itself fails only when the input as a whole is unreadable or emit fails.
func Decode(ctx context.Context, r io.Reader, name string, opt DecodeOptions, emit func([]Item) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: gzip: %w", name, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 1<<20)
	}
	if bom, _ := br.Peek(2); len(bom) == 2 && (bom[0] == 0xff && bom[1] == 0xfe || bom[0] == 0xfe && bom[1] == 0xff) {
		// UTF-16, as Windows PowerShell's Out-File writes by default.
		br = bufio.NewReaderSize(newUTF16Reader(br, bom[0] == 0xfe), 1<<20)
	}
	// The kind hint reads the name without .gz; reports keep the name given.
	h := hintFromName(strings.TrimSuffix(name, ".gz"))
	if err := skipBOMAndSpace(br); err != nil {
		if err == io.EOF {
			return nil
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	first, _ := br.Peek(1)
	if len(first) == 0 {
		return nil
	}
	h.dates = newDates(opt.DateOrder)
	d := &decoder{name: name, h: h, emit: emit, ctx: ctx, opt: opt}
	var err error
	switch {
	case first[0] == '{' && isNDJSON(br):
		err = d.ndjson(d.scanDates(br, false))
	case first[0] == '{' || first[0] == '[':
		err = d.document(br)
	default:
		err = d.csv(d.scanDates(br, true))
	}
	if reason, late := h.dates.late(); err == nil && late {
		err = emit([]Item{d.bad(0, reason)})
	}
	return err
}

// scanDates reads the first dateWindow bytes of a line-delimited input
// (CSV or NDJSON), in parts, to learn its date order, and returns a reader
// of the whole input again (a read error comes where it was met). Only the
// window is held, and no more once the input has shown both orders.
func (d *decoder) scanDates(br *bufio.Reader, csv bool) *bufio.Reader {
	dt := d.h.dates
	if dt.forced {
		return br
	}
	var parts []io.Reader
	var prev []byte
	read, size := 0, 1<<20
	for read < dateWindow && !dt.conflict() {
		// A part is what the buffer holds: a small input is copied once
		// and its new buffer is no larger than it.
		if _, err := br.Peek(1); err == io.EOF {
			size = min(size, read)
			break
		} else if err != nil {
			// Decoded as far as it reads, as without the scan.
			parts = append(parts, failedReader{err})
			break
		}
		part := make([]byte, min(br.Buffered(), dateWindow-read))
		_, _ = io.ReadFull(br, part) // buffered: cannot fail
		if read == 0 {
			dt.la = csv && laHeader(part)
		}
		dt.scanParts(prev, part)
		parts = append(parts, bytes.NewReader(part))
		read, prev = read+len(part), part
	}
	dt.decide()
	return bufio.NewReaderSize(io.MultiReader(append(parts, br)...), size)
}

// failedReader returns the error a read met.
type failedReader struct{ err error }

func (f failedReader) Read([]byte) (int, error) { return 0, f.err }

// laHeader reports whether a CSV's first line is Log Analytics' own
// export's, whose time column is "TimeGenerated [UTC]".
func laHeader(b []byte) bool {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.Contains(b, []byte("TimeGenerated [UTC]"))
}

func hintFromName(name string) hint {
	base := strings.ToLower(filepath.Base(name))
	h := hint{}
	switch {
	case strings.Contains(base, "noninteractivesignins"):
		h.kind, h.portal = KindNonInteractive, true
	case strings.Contains(base, "interactivesignins"):
		h.kind, h.portal = KindInteractive, true
	case strings.Contains(base, "applicationsignins"):
		h.kind, h.portal = KindServicePrincipal, true
	case strings.Contains(base, "msisignins"):
		h.kind, h.portal = KindManagedIdentity, true
	}
	return h
}

func skipBOMAndSpace(br *bufio.Reader) error {
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\ufeff")) {
		_, _ = br.Discard(3)
	}
	for {
		c, err := br.ReadByte()
		if err != nil {
			return err
		}
		if !isSpace(c) {
			return br.UnreadByte()
		}
	}
}

// isNDJSON reports whether the first line is a whole JSON object on its own
// (one record per line) rather than the start of a pretty-printed document.
func isNDJSON(br *bufio.Reader) bool {
	for n := 4096; ; n *= 4 {
		b, err := br.Peek(n)
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[:i]
		} else if err == nil && n < maxDoc {
			continue
		}
		b = bytes.TrimSpace(b)
		return len(b) > 1 && b[0] == '{' && b[len(b)-1] == '}'
	}
}

type decoder struct {
	ctx  context.Context
	name string
	h    hint
	opt  DecodeOptions
	emit func([]Item) error
}

func (d *decoder) bad(line int, reason string) Item {
	return Item{Line: line, Bad: &BadRecord{File: d.name, Line: line, Reason: reason}}
}

// decodeLine classifies one NDJSON line.
func (d *decoder) decodeLine(line []byte, n int, out []Item, in *interner) []Item {
	start := len(out)
	if bytes.IndexByte(line, '\n') < 0 {
		if it, ok := fastEventHub(line, d.h, in); ok {
			it.Line = n
			return append(out, it)
		}
	}
	out, err := classify(line, d.h, 0, out)
	if err != nil {
		fixed := stripTrailingCommas(line)
		if len(fixed) != len(line) {
			out = out[:start]
			if out2, err2 := classify(fixed, d.h, 0, out); err2 == nil {
				out, err = out2, nil
			}
		}
	}
	if err != nil {
		out = out[:start]
		if collectionKey.Match(line) && !json.Valid(line) {
			// A one-line page or records blob with a corrupt record:
			// keep the others.
			out = append(out, d.salvage(stripTrailingCommas(line))...)
		} else {
			out = append(out, d.bad(n, err.Error()))
		}
	}
	for i := start; i < len(out); i++ {
		out[i].Line = n
		if out[i].Bad != nil {
			out[i].Bad.File, out[i].Bad.Line = d.name, n
		}
	}
	return out
}

type chunk struct {
	first int
	lines [][]byte
	res   chan []Item
}

// ndjson decodes one record per line, spreading lines over workers and
// emitting results in input order.
func (d *decoder) ndjson(br *bufio.Reader) error {
	workers := d.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	per := d.opt.ChunkLines
	if per <= 0 {
		per = 256
	}
	jobs := make(chan *chunk, workers)
	order := make(chan *chunk, workers*2)
	ctx, cancel := context.WithCancel(d.ctx)
	defer cancel()
	for range workers {
		go func() {
			in := newInterner()
			for c := range jobs {
				var out []Item
				for i, l := range c.lines {
					if len(l) == 0 {
						continue // blank line
					}
					out = d.decodeLine(l, c.first+i, out, in)
				}
				c.res <- out
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		defer close(order)
		n := 0
		c := &chunk{first: 1, res: make(chan []Item, 1)}
		send := func() bool {
			select {
			case jobs <- c:
			case <-ctx.Done():
				return false
			}
			select {
			case order <- c:
			case <-ctx.Done():
				return false
			}
			return true
		}
		for {
			line, err := readLine(br)
			n++
			if len(bytes.TrimSpace(line)) > 0 {
				c.lines = append(c.lines, line)
			} else if err == nil {
				// Keep line numbers right for blank lines.
				c.lines = append(c.lines, nil)
			}
			if len(c.lines) >= per || (err != nil && len(c.lines) > 0) {
				if !send() {
					readErr <- ctx.Err()
					return
				}
				c = &chunk{first: n + 1, res: make(chan []Item, 1)}
			}
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				readErr <- err
				return
			}
		}
	}()
	for c := range order {
		items := <-c.res
		if err := d.emit(items); err != nil {
			cancel()
			for c := range order { // let the reader and workers finish
				<-c.res
			}
			return err
		}
	}
	if err := <-readErr; err != nil {
		return fmt.Errorf("%s: %w", d.name, err)
	}
	return nil
}

// readLine returns the next line (a fresh copy, without the newline). A
// line longer than maxLine is returned cut, so that it fails to decode and
// is reported, and the rest of it is skipped.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		part, err := br.ReadSlice('\n')
		if len(buf)+len(part) <= maxLine {
			buf = append(buf, part...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == nil {
			// (bytes.TrimRight with a cutset cost 0.35 s of CPU a
			// million lines.)
			for len(buf) > 0 && (buf[len(buf)-1] == '\n' || buf[len(buf)-1] == '\r') {
				buf = buf[:len(buf)-1]
			}
		}
		if err == io.EOF && len(buf) > 0 {
			return buf, io.EOF
		}
		return buf, err
	}
}

// document decodes one or more JSON values that span lines: a
// {"records":[…]} blob, Graph pages, a Log Analytics or portal JSON array, a
// single pretty-printed record. Small documents are read whole, which
// allows fixing the trailing commas of the Graph docs samples.
func (d *decoder) document(br *bufio.Reader) error {
	data, err := io.ReadAll(io.LimitReader(br, int64(maxDoc)+1))
	if err != nil {
		return fmt.Errorf("%s: %w", d.name, err)
	}
	if !d.h.dates.forced {
		d.h.dates.scan(data[:min(len(data), dateWindow)])
	}
	if len(data) > maxDoc {
		return d.stream(io.MultiReader(bytes.NewReader(data), br))
	}
	items, bad := d.values(data)
	if bad != nil {
		if fixed := stripTrailingCommas(data); len(fixed) != len(data) {
			if items2, bad2 := d.values(fixed); bad2 == nil {
				items, bad = items2, nil
			}
		}
	}
	if bad != nil {
		items = d.salvage(stripTrailingCommas(data))
	} else if hasBad(items) && bytes.IndexByte(data, '\n') >= 0 {
		// Decode again element by element, for the line of each bad one.
		items = d.salvage(stripTrailingCommas(data))
	}
	return d.emit(items)
}

// values decodes successive JSON values of data.
func (d *decoder) values(data []byte) ([]Item, *Item) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []Item
	for {
		off := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return out, nil
		}
		line := 1 + bytes.Count(data[:min(int(dec.InputOffset()), len(data))], []byte("\n"))
		if err != nil {
			b := d.bad(line, "invalid JSON: "+err.Error())
			return out, &b
		}
		out = d.classifyAt(raw, 0, 1+bytes.Count(data[:off], []byte("\n")), out)
	}
}

// stream decodes a large document without holding it: the elements of a
// top-level array, or of the "records" or "value" arrays of top-level
// objects, one at a time.
func (d *decoder) stream(r io.Reader) error {
	dec := json.NewDecoder(r)
	var batch []Item
	items := 0
	var skipped []string // keys whose contents were passed over
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		items += len(batch)
		err := d.emit(batch)
		batch = nil
		return err
	}
	elems := func() error {
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			var err error
			start := len(batch)
			if batch, err = classify(raw, d.h, 1, batch); err != nil {
				batch = append(batch[:start], d.bad(0, fmt.Sprintf("offset %d: %v", dec.InputOffset(), err)))
			}
			if len(batch) >= 1024 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		_, err := dec.Token() // ]
		return err
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if items+len(batch) == 0 && len(skipped) > 0 {
				// Nothing read, and something passed over: say so rather
				// than import nothing without a word.
				batch = append(batch, d.bad(0, fmt.Sprintf("no records found: the document holds %s, not records, value or tables", strings.Join(skipped, ", "))))
			}
			return flush()
		}
		if err != nil {
			batch = append(batch, d.bad(0, fmt.Sprintf("invalid JSON at offset %d: %v", dec.InputOffset(), err)))
			return flush()
		}
		switch tok {
		case json.Delim('['):
			err = elems()
		case json.Delim('{'):
			for err == nil && dec.More() {
				var key json.Token
				if key, err = dec.Token(); err != nil {
					break
				}
				k, _ := key.(string)
				if k == "records" || k == "value" {
					if tok, err = dec.Token(); err == nil && tok == json.Delim('[') {
						err = elems()
					}
					continue
				}
				if strings.EqualFold(k, "tables") {
					// A query response: its tables' rows one at a time.
					err = streamTables(dec, func(it Item) error {
						if batch = append(batch, it); len(batch) >= 1024 {
							return flush()
						}
						return nil
					}, d)
					continue
				}
				var skip json.RawMessage
				if err = dec.Decode(&skip); err == nil && len(skip) > 2 && (skip[0] == '[' || skip[0] == '{') && len(skipped) < 5 {
					skipped = append(skipped, strconv.Quote(k))
				}
			}
			if err == nil {
				_, err = dec.Token() // }
			}
		}
		if err != nil {
			if ferr := flush(); ferr != nil {
				return ferr
			}
			batch = append(batch, d.bad(0, fmt.Sprintf("invalid JSON at offset %d: %v", dec.InputOffset(), err)))
			return flush()
		}
	}
}

// streamTables reads a query response's tables (see queryTable) from dec,
// positioned at the array, and gives each row of the log tables to add as
// it is read: a table's columns must come before its rows, as the Log
// Analytics and Azure Data Explorer APIs write them.
func streamTables(dec *json.Decoder, add func(Item) error, d *decoder) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return fmt.Errorf("tables: not an array (%v)", err)
	}
	for dec.More() {
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return fmt.Errorf("tables: a table is not an object (%v)", err)
		}
		var t queryTable
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ := key.(string)
			switch strings.ToLower(k) {
			case "columns":
				err = dec.Decode(&t.Columns)
			case "tablekind":
				err = dec.Decode(&t.TableKind)
			case "rows":
				err = streamRows(dec, &t, add, d)
			default:
				var skip json.RawMessage
				err = dec.Decode(&skip)
			}
			if err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // }
			return err
		}
	}
	_, err := dec.Token() // ]
	return err
}

// streamRows reads the rows array of table t (whose columns were read).
func streamRows(dec *json.Decoder, t *queryTable, add func(Item) error, d *decoder) error {
	if len(t.Columns) > 0 && !t.isLog() {
		var skip json.RawMessage
		return dec.Decode(&skip)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return fmt.Errorf("rows: not an array (%v)", err)
	}
	for i := 0; dec.More(); i++ {
		var cells []json.RawMessage
		if err := dec.Decode(&cells); err != nil {
			return err
		}
		var it Item
		if len(t.Columns) == 0 {
			it = d.bad(0, fmt.Sprintf("offset %d: row %d comes before its table's columns", dec.InputOffset(), i))
		} else if it = t.rowItem(cells, d.h); it.Bad != nil {
			it = d.bad(0, fmt.Sprintf("offset %d: row %d: %s", dec.InputOffset(), i, it.Bad.Reason))
		}
		if err := add(it); err != nil {
			return err
		}
	}
	_, err := dec.Token() // ]
	return err
}

func hasBad(items []Item) bool {
	for _, it := range items {
		if it.Bad != nil {
			return true
		}
	}
	return false
}
