package signins

import (
	"bytes"
	"encoding/json"
	"regexp"
)

// salvage decodes a JSON document that is not valid as a whole (a record cut
// or garbled in the middle of an array) element by element, so that a
// corrupt record costs only itself: it is reported with its line, and
// decoding resumes at the next element that reads as a record. Top-level
// arrays and the records/value arrays of top-level objects are salvaged;
// anything else unreadable is reported once.
func (d *decoder) salvage(data []byte) []Item {
	var out []Item
	lc := &lineCounter{data: data, line: 1}
	pos := 0
	for {
		pos = skipSpaceAt(data, pos)
		if pos >= len(data) {
			return out
		}
		switch data[pos] {
		case '[':
			out, pos = d.salvageElems(data, pos+1, lc, out)
			continue
		case '{':
			if raw, n, err := decodeAt(data, pos); err == nil {
				out = d.classifyAt(raw, 0, lc.at(pos), out)
				pos += n
				continue
			}
			if loc := collectionKey.FindIndex(data[pos:]); loc != nil {
				out, pos = d.salvageElems(data, pos+loc[1], lc, out)
				pos = skipObjectRest(data, pos)
				continue
			}
		}
		_, _, err := decodeAt(data, pos)
		out = append(out, d.bad(lc.at(pos), "invalid JSON: "+errText(err)))
		// Resume at the next value that starts a line (concatenated pages).
		next := bytes.Index(data[pos+1:], []byte("\n{"))
		if next < 0 {
			return out
		}
		pos += next + 2
	}
}

// collectionKey finds the array of a {"records":[…]} blob or a Graph page.
var collectionKey = regexp.MustCompile(`"(records|value)"\s*:\s*\[`)

// salvageElems decodes the elements of an array from pos (after its '[')
// and returns the position after its ']'.
func (d *decoder) salvageElems(data []byte, pos int, lc *lineCounter, out []Item) ([]Item, int) {
	for {
		pos = skipSpaceAt(data, pos)
		if pos >= len(data) {
			return out, pos
		}
		switch data[pos] {
		case ',':
			pos++
			continue
		case ']':
			return out, pos + 1
		}
		raw, n, err := decodeAt(data, pos)
		if err == nil {
			out = d.classifyAt(raw, 1, lc.at(pos), out)
			pos += n
			continue
		}
		out = append(out, d.bad(lc.at(pos), "invalid JSON: "+errText(err)))
		if pos = d.resync(data, pos+1); pos < 0 {
			return out, len(data)
		}
	}
}

// resync returns the position of the next object after from that follows a
// comma and reads as a record, or -1.
func (d *decoder) resync(data []byte, from int) int {
	for i := from; i < len(data); i++ {
		j := bytes.IndexByte(data[i:], '{')
		if j < 0 {
			return -1
		}
		i += j
		k := i - 1
		for k >= 0 && isSpace(data[k]) {
			k--
		}
		if k < 0 || data[k] != ',' {
			continue
		}
		raw, _, err := decodeAt(data, i)
		if err != nil {
			continue
		}
		if items, err := classify(raw, d.h, 1, nil); err == nil && len(items) > 0 && items[0].Bad == nil {
			return i
		}
	}
	return -1
}

// classifyAt classifies one value that starts on line, setting the line of
// its items and reporting it as bad when it is not a record.
func (d *decoder) classifyAt(raw json.RawMessage, depth, line int, out []Item) []Item {
	start := len(out)
	out, err := classify(raw, d.h, depth, out)
	if err != nil {
		out = append(out, d.bad(line, err.Error()))
	}
	for i := start; i < len(out); i++ {
		out[i].Line = line
		if out[i].Bad != nil {
			out[i].Bad.File, out[i].Bad.Line = d.name, line
		}
	}
	return out
}

// decodeAt decodes the JSON value at data[pos:] and returns its length.
func decodeAt(data []byte, pos int) (json.RawMessage, int, error) {
	dec := json.NewDecoder(bytes.NewReader(data[pos:]))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, 0, err
	}
	return raw, int(dec.InputOffset()), nil
}

func errText(err error) string {
	if err == nil {
		return "not a record"
	}
	return err.Error()
}

func skipSpaceAt(data []byte, pos int) int {
	for pos < len(data) && isSpace(data[pos]) {
		pos++
	}
	return pos
}

// skipObjectRest returns the position after the '}' that closes the object
// pos is inside of, skipping strings and nested values.
func skipObjectRest(data []byte, pos int) int {
	depth, inStr, esc := 1, false, false
	for ; pos < len(data); pos++ {
		c := data[pos]
		switch {
		case esc:
			esc = false
		case inStr:
			esc = c == '\\'
			inStr = c != '"'
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				return pos + 1
			}
		}
	}
	return pos
}

// lineCounter gives the line of increasing positions in data without
// recounting from the start.
type lineCounter struct {
	data      []byte
	pos, line int
}

func (l *lineCounter) at(pos int) int {
	if pos < l.pos {
		l.pos, l.line = 0, 1
	}
	l.line += bytes.Count(l.data[l.pos:pos], []byte("\n"))
	l.pos = pos
	return l.line
}
