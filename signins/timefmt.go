package signins

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are the forms sign-in exports use for times: ISO 8601 with 0
// to 9 fractional digits and Z, an offset or no zone; and US month-first
// forms with or without seconds' fraction, AM/PM or an offset, including Log
// Analytics' "9/19/2023, 1:45:17.287 PM". A time without a zone is UTC.
// Go's parser accepts a fraction after the seconds without the layout
// naming it.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04:05 PM -07:00",
	"1/2/2006 3:04:05 PM Z07:00",
	"1/2/2006, 3:04:05 PM",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04:05 -07:00",
	"1/2/2006, 15:04:05",
	"1/2/2006 3:04 PM",
	"1/2/2006 15:04",
	"2006-01-02",
	// Exports formatted for other locales: day first with dots (de-DE).
	// Day-first slash dates (en-GB) are turned month-first before these
	// layouts are tried (see dateorder.go).
	"2.1.2006 15:04:05",
	"2.1.2006, 15:04:05",
}

// ParseTime reads a time in any of the forms found in sign-in exports and
// returns it in UTC. A slash date is read day-first when its first field
// is above 12 and month-first otherwise; Decode reads the ambiguous ones
// of a file in the order the file shows.
func ParseTime(s string) (time.Time, error) {
	return parseTimeIn(s, nil)
}

// parseTime reads a time of the input h describes.
func (h hint) parseTime(s string) (time.Time, error) {
	return parseTimeIn(s, h.dates)
}

func parseTimeIn(s string, d *dates) (time.Time, error) {
	t, err := parseTime(s, d)
	if err == nil && (t.Before(minTime) || !t.Before(maxTime)) {
		// .NET's DateTime.MinValue (year 1) stands for "no date" in
		// PowerShell exports; years past 2261 do not fit the store's
		// nanoseconds. Neither is a sign-in's time.
		return time.Time{}, fmt.Errorf("time %q: outside 1970 to 2261", strings.TrimSpace(s))
	}
	return t, err
}

// The times ParseTime accepts: [minTime, maxTime).
var (
	minTime = time.Unix(0, 0).UTC()
	maxTime = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

func parseTime(s string, d *dates) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty time")
	}
	// Windows PowerShell 5.1's ConvertTo-Json writes "/Date(ms)/" (ms
	// since 1970, optionally followed by an offset that does not change
	// the instant).
	if rest, ok := strings.CutPrefix(s, "/Date("); ok {
		end := strings.IndexAny(rest, "+-)")
		if end == 0 && len(rest) > 1 && rest[0] == '-' {
			end = 1 + strings.IndexAny(rest[1:], "+-)")
		}
		if ms, err := strconv.ParseInt(rest[:max(end, 0)], 10, 64); err == nil && strings.HasSuffix(rest, ")/") {
			return time.UnixMilli(ms).UTC(), nil
		}
		return time.Time{}, fmt.Errorf("time %q: unknown format", s)
	}
	// Fast path: the common ISO form.
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	v := s // month-first when a slash date
	if a, b, rest, ok := slashFields(s); ok {
		var err error
		if v, err = d.monthFirstForm(s, a, b, rest); err != nil {
			return time.Time{}, err
		}
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: unknown format", s)
}
