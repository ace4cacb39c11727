package directory

import (
	"sort"
	"unicode/utf16"
)

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// toUTF8 strips a UTF-8 BOM and converts UTF-16 (with a BOM, or detected by
// zero bytes in ASCII positions) to UTF-8.
func toUTF8(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	le, be := false, false
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		le, b = true, b[2:]
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		be, b = true, b[2:]
	case len(b) >= 2 && b[0] != 0 && b[1] == 0:
		le = true
	case len(b) >= 2 && b[0] == 0 && b[1] != 0:
		be = true
	}
	if !le && !be {
		return b
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if le {
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		} else {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// dropTrailingCommas removes commas that directly precede a closing
// bracket or brace (white space between), outside strings, and reports how
// many it removed.
func dropTrailingCommas(b []byte) ([]byte, int) {
	out := make([]byte, 0, len(b))
	inString, escaped, n := false, false, 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			out = append(out, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
		}
		if c == ',' {
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
				j++
			}
			if j < len(b) && (b[j] == ']' || b[j] == '}') {
				n++
				continue
			}
		}
		out = append(out, c)
	}
	return out, n
}
