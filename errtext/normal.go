package errtext

import (
	"strconv"
	"strings"
	"time"
)

var timeLayouts = []string{
	"2006-01-02 15:04:05Z", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05.999999999Z",
	"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999",
	"01/02/2006 15:04:05",
}

var timeFields = map[string]bool{
	"timestamp": true, "current_time": true, "assertion_valid_from": true, "assertion_expiry": true,
	"token_issued": true, "grant_issued": true, "tokens_valid_from": true, "key_start": true, "key_end": true,
}

var guidFields = map[string]bool{"trace_id": true, "correlation_id": true, "request_id": true, "app_id": true, "tenant": true, "resource": true}

// ParseTime reads the time formats Entra writes in messages (UTC): the
// tail timestamp, ISO 8601 with up to 7 fractional digits, and the
// MM/dd/yyyy HH:mm:ss of key validity ranges.
func ParseTime(v string) (time.Time, bool) {
	v = strings.ReplaceAll(strings.TrimSpace(v), "+", " ")
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// parseDotNetSpan reads a .NET TimeSpan ("90.00:00:00", "01:30:00").
func parseDotNetSpan(v string) (time.Duration, bool) {
	days := 0
	rest := v
	if d, r, ok := strings.Cut(v, "."); ok && strings.Count(r, ":") == 2 {
		n, err := strconv.Atoi(d)
		if err != nil {
			return 0, false
		}
		days, rest = n, r
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return 0, false
	}
	var hms [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(strings.SplitN(p, ".", 2)[0])
		if err != nil {
			return 0, false
		}
		hms[i] = n
	}
	return time.Duration(days)*24*time.Hour + time.Duration(hms[0])*time.Hour +
		time.Duration(hms[1])*time.Minute + time.Duration(hms[2])*time.Second, true
}

// normalise derives canonical values from the fields.
func normalise(fields []Field) []Field {
	var out []Field
	for _, f := range fields {
		switch {
		case timeFields[f.Name]:
			if t, ok := ParseTime(f.Value); ok {
				out = append(out, Field{f.Name, t.Format(time.RFC3339Nano)})
			}
		case guidFields[f.Name]:
			if isStrictGUID(f.Value) {
				out = append(out, Field{f.Name, strings.ToLower(f.Value)})
			}
		case f.Name == "inactive_for":
			if d, ok := parseDotNetSpan(f.Value); ok {
				out = append(out, Field{f.Name, d.String()})
			}
		case f.Name == "max_lifetime":
			if n, err := strconv.Atoi(f.Value); err == nil {
				out = append(out, Field{f.Name, (time.Duration(n) * time.Second).String()})
			}
		case f.Name == "thumbprint":
			if len(f.Value) == 40 || len(f.Value) == 64 {
				out = append(out, Field{f.Name, strings.ToUpper(f.Value)})
			}
		}
	}
	return out
}
