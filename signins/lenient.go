package signins

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// stripTrailingCommas removes commas that directly precede a closing } or ]
// outside strings, as in the Graph docs samples that print a trailing comma
// after the last array element. Valid JSON is returned unchanged.
func stripTrailingCommas(b []byte) []byte {
	if !bytes.Contains(b, []byte(",")) {
		return b
	}
	out := make([]byte, 0, len(b))
	inStr, esc := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			out = append(out, c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		if c == '"' {
			inStr = true
		}
		if c == ',' {
			j := i + 1
			for j < len(b) && isSpace(b[j]) {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// unnest returns the JSON inside raw when raw is a JSON string holding JSON
// (properties exported as a string), else raw itself.
func unnest(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 1 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			t := strings.TrimSpace(s)
			if t != "" && (t[0] == '{' || t[0] == '[') {
				return json.RawMessage(t)
			}
		}
	}
	return raw
}

// flexString accepts a JSON string, number, bool or null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	*f = flexString(b)
	return nil
}

// flexInt accepts a JSON number, a string holding a number, or null.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		return nil
	}
	s = strings.Trim(s, `"`)
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		fl, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return err
		}
		n = int(fl)
	}
	*f = flexInt(n)
	return nil
}

// flexBool accepts true/false, "TRUE"/"False" strings, or null.
type flexBool struct{ set, v bool }

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(strings.Trim(string(b), `"`)) {
	case "true", "1":
		*f = flexBool{true, true}
	case "false", "0":
		*f = flexBool{true, false}
	}
	return nil
}
