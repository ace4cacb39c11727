package signins

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// Slash dates ("3/12/2025 10:00:00") are written month-first by US
// exports and day-first by exports re-saved by a spreadsheet or made on
// other locales. A value whose first field is above 12 can only be
// day-first, one whose second field is above 12 only month-first; one with
// both at most 12 is ambiguous, and the file decides: the order its other
// slash dates show is used for all of them. A file that shows both orders
// leaves its ambiguous dates unread (bad records), and one that shows
// neither is read month-first.

// DateOrder is how the ambiguous slash dates of an input are read.
// Unambiguous ones are always read as they are. It is a flag value.
type DateOrder int

const (
	// DateAuto reads ambiguous dates in the order the input's other slash
	// dates show; month-first when they show none.
	DateAuto DateOrder = iota
	// DateMDY reads ambiguous dates month-first.
	DateMDY
	// DateDMY reads ambiguous dates day-first.
	DateDMY
)

var dateOrderNames = []string{"auto", "mdy", "dmy"}

func (o DateOrder) String() string {
	if o < 0 || int(o) >= len(dateOrderNames) {
		return fmt.Sprintf("DateOrder(%d)", int(o))
	}
	return dateOrderNames[o]
}

// Set reads auto, mdy or dmy.
func (o *DateOrder) Set(s string) error {
	for i, n := range dateOrderNames {
		if s == n {
			*o = DateOrder(i)
			return nil
		}
	}
	return fmt.Errorf("date order %q: want auto, mdy or dmy", s)
}

// Type names the flag's value.
func (o *DateOrder) Type() string { return "string" }

// ErrDateOrder is wrapped by the reason of a record whose ambiguous slash
// date cannot be read because its file has both day-first and month-first
// dates.
var ErrDateOrder = errors.New("day and month order is ambiguous in this file")

// What a slash date's two first fields say.
type slashKind int

const (
	slashInvalid slashKind = iota
	slashAmbiguous
	slashMonthFirst
	slashDayFirst
)

func slashOrder(a, b int) slashKind {
	switch {
	case a < 1 || b < 1 || a > 31 || b > 31:
		return slashInvalid
	case a <= 12 && b <= 12:
		return slashAmbiguous
	case a <= 12:
		return slashMonthFirst
	case b <= 12:
		return slashDayFirst
	}
	return slashInvalid
}

// dates is how one input reads its slash dates, shared by every record
// decoder of the input (NDJSON workers run in parallel).
type dates struct {
	order  DateOrder // DateMDY or DateDMY: how ambiguous dates are read
	forced bool      // told by the caller, not inferred
	// la: the input is a Log Analytics CSV export, whose own form
	// ("9/19/2023, 1:45:17.287 PM") is month-first.
	la bool
	// Examples of each order found by the scan, "" when none: both set
	// means the ambiguous dates cannot be read.
	dayFirst, monthFirst string
	// Past the scanned window: an unambiguous date of the other order
	// (the first noted), and whether an ambiguous date was read in the
	// inferred order. Both together are reported once at the end.
	contrary atomic.Pointer[string]
	guessed  atomic.Bool
}

func newDates(o DateOrder) *dates {
	if o == DateMDY || o == DateDMY {
		return &dates{order: o, forced: true}
	}
	return &dates{order: DateMDY}
}

// conflict reports whether the scan found both orders.
func (d *dates) conflict() bool {
	return !d.forced && d.dayFirst != "" && d.monthFirst != ""
}

// monthFirstForm returns s with its date fields month-first, reading an
// ambiguous date as the input says; a, b and rest are s's fields as
// slashFields gives them.
func (d *dates) monthFirstForm(s string, a, b int, rest string) (string, error) {
	swap := false
	kind := slashOrder(a, b)
	if kind == slashAmbiguous && d != nil && d.la && laForm(rest) {
		kind = slashMonthFirst
	}
	switch kind {
	case slashDayFirst:
		d.note(DateDMY, s)
		swap = true
	case slashMonthFirst:
		d.note(DateMDY, s)
	case slashAmbiguous:
		if d == nil {
			break
		}
		if d.conflict() {
			return "", fmt.Errorf("time %q: %w, which has day-first (%q) and month-first (%q) dates: export ISO 8601 times, or pass --date-order dmy or mdy",
				s, ErrDateOrder, d.dayFirst, d.monthFirst)
		}
		if !d.forced && !d.guessed.Load() {
			d.guessed.Store(true)
		}
		swap = d.order == DateDMY
	}
	if !swap {
		return s, nil
	}
	return strconv.Itoa(b) + "/" + strconv.Itoa(a) + "/" + rest, nil
}

// note records an unambiguous date of order o that the scan did not
// predict.
func (d *dates) note(o DateOrder, s string) {
	if d == nil || d.forced || d.conflict() || o == d.order {
		return
	}
	d.contrary.CompareAndSwap(nil, &s)
}

// late returns the reason of the bad record that reports a date past the
// scanned window that contradicts how the ambiguous ones were read.
func (d *dates) late() (string, bool) {
	s := d.contrary.Load()
	if s == nil || !d.guessed.Load() {
		return "", false
	}
	other := DateDMY
	if d.order == DateDMY {
		other = DateMDY
	}
	return fmt.Sprintf("date order: %q is %s, but the ambiguous slash dates of this file were read %s from its first %d MiB and may be wrong: "+
		"export ISO 8601 times, or import again with --date-order %s", *s, other.words(), d.order.words(), dateWindow>>20, other), true
}

func (o DateOrder) words() string {
	if o == DateDMY {
		return "day-first"
	}
	return "month-first"
}

// laForm reports whether what follows a slash date's second slash has
// Log Analytics' form: a year, a comma, and a time with AM or PM.
func laForm(rest string) bool {
	return len(rest) > 8 && rest[4] == ',' && (strings.HasSuffix(rest, " AM") || strings.HasSuffix(rest, " PM"))
}

// slashFields reads the day and month fields of a time that starts with
// one or two digits, a slash, one or two digits and a slash; rest is what
// follows the second slash.
func slashFields(s string) (a, b int, rest string, ok bool) {
	a, n := leadingNumber(s)
	if n == 0 || n >= len(s) || s[n] != '/' {
		return 0, 0, "", false
	}
	s = s[n+1:]
	b, n = leadingNumber(s)
	if n == 0 || n >= len(s) || s[n] != '/' {
		return 0, 0, "", false
	}
	return a, b, s[n+1:], true
}

// leadingNumber reads up to two leading digits.
func leadingNumber(s string) (int, int) {
	v, n := 0, 0
	for n < len(s) && n < 2 && isDigit(s[n]) {
		v = v*10 + int(s[n]-'0')
		n++
	}
	if n < len(s) && isDigit(s[n]) {
		return 0, 0 // three digits: not a day or month
	}
	return v, n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// dateWindow is how much of an input is scanned for its date order before
// any record is decoded: a document read whole is scanned whole, a larger
// or line-delimited input up to this. A variable so that tests can exercise
// the window's end.
var dateWindow = 32 << 20

// scan looks through b for slash date-times (d/d/yyyy followed by an
// optional comma, a space and h:mm; a slash may be escaped as JSON allows)
// and keeps the first example of each order. In a Log Analytics CSV
// export (d.la) an ambiguous date of its own form counts as month-first.
// Day-first examples alone make ambiguous dates read day-first.
func (d *dates) scan(b []byte) {
	d.examples(b, 0)
	d.decide()
}

// decide sets the order the examples show.
func (d *dates) decide() {
	if d.dayFirst != "" && d.monthFirst == "" {
		d.order = DateDMY
	}
}

// scanParts scans an input read in parts: each part, and the seam
// between it and the one before.
func (d *dates) scanParts(prev, part []byte) {
	const edge = 64 // longer than a date-time up to its minutes
	if len(prev) > 0 {
		a, b := prev[max(0, len(prev)-edge):], part[:min(len(part), edge)]
		d.examples(append(append(make([]byte, 0, len(a)+len(b)), a...), b...), len(a))
	}
	d.examples(part, 0)
}

// examples keeps the first example of each order found in b; with seam
// above 0, only of dates that start before b[seam] and end after it.
func (d *dates) examples(b []byte, seam int) {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '/')
		if j < 0 {
			return
		}
		i += j
		start, end, kind, laForm := dateAt(b, i)
		if end < 0 || seam > 0 && (start >= seam || end <= seam) {
			i++
			continue
		}
		if kind == slashAmbiguous && d.la && laForm {
			kind = slashMonthFirst
		}
		v := strings.ReplaceAll(string(b[start:end]), `\/`, "/")
		switch {
		case kind == slashDayFirst && d.dayFirst == "":
			d.dayFirst = v
		case kind == slashMonthFirst && d.monthFirst == "":
			d.monthFirst = v
		}
		if d.dayFirst != "" && d.monthFirst != "" {
			return
		}
		i = end
	}
}

// dateAt reads the slash date-time whose first slash is at b[i]: its
// bounds (end < 0 when there is none), what its fields say, and whether it
// has Log Analytics' form (a comma after the date, AM or PM after the time).
func dateAt(b []byte, i int) (start, end int, kind slashKind, laForm bool) {
	sep := func(k int) int { // the length of a separator at k, 0 if none
		switch {
		case k < len(b) && b[k] == '/':
			return 1
		case k+1 < len(b) && b[k] == '\\' && b[k+1] == '/':
			return 2
		}
		return 0
	}
	digits := func(k, max int) (int, int) { // value and count at k
		v, n := 0, 0
		for k+n < len(b) && isDigit(b[k+n]) && n < max+1 {
			v = v*10 + int(b[k+n]-'0')
			n++
		}
		return v, n
	}
	// Back over the first field, and an escaping backslash.
	s := i
	if s > 0 && b[s-1] == '\\' {
		s--
	}
	start = s
	for start > 0 && s-start < 3 && isDigit(b[start-1]) {
		start--
	}
	if n := s - start; n < 1 || n > 2 || start > 0 && (isDigit(b[start-1]) || b[start-1] == '/' || b[start-1] == '.') {
		return 0, -1, 0, false
	}
	a, _ := digits(start, 2)
	k := s + sep(s)
	m, n := digits(k, 2)
	if n < 1 || n > 2 {
		return 0, -1, 0, false
	}
	k += n
	w := sep(k)
	if w == 0 {
		return 0, -1, 0, false
	}
	k += w
	if _, n = digits(k, 4); n != 4 {
		return 0, -1, 0, false
	}
	k += 4
	comma := k < len(b) && b[k] == ','
	if comma {
		k++
	}
	if k >= len(b) || b[k] != ' ' {
		return 0, -1, 0, false
	}
	k++
	if _, n = digits(k, 2); n < 1 || n > 2 || k+n+2 >= len(b) || b[k+n] != ':' || !isDigit(b[k+n+1]) || !isDigit(b[k+n+2]) {
		return 0, -1, 0, false
	}
	k += n + 3
	for k < len(b) && (isDigit(b[k]) || b[k] == ':' || b[k] == '.') {
		k++
	}
	if laForm = comma && k+2 < len(b) && b[k] == ' ' && (b[k+1] == 'A' || b[k+1] == 'P') && b[k+2] == 'M'; laForm {
		k += 3
	}
	return start, k, slashOrder(a, m), laForm
}
