package signins

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// dated is what a test expects of one record: its time, or a bad record
// whose reason holds bad.
type dated struct {
	time time.Time
	bad  string
}

func at(y int, m time.Month, d, h, min, s, ms int) dated {
	return dated{time: time.Date(y, m, d, h, min, s, ms*1e6, time.UTC)}
}

const ambiguousReason = "day and month order is ambiguous in this file"

var badAmbiguous = dated{bad: ambiguousReason}

// decodeDates decodes data and returns, in input order, each record's time
// or bad reason.
func decodeDates(t *testing.T, data, name string, order DateOrder) []dated {
	t.Helper()
	var got []dated
	err := Decode(context.Background(), strings.NewReader(data), name, DecodeOptions{Workers: 2, ChunkLines: 1, DateOrder: order}, func(items []Item) error {
		for _, it := range items {
			switch {
			case it.SignIn != nil:
				got = append(got, dated{time: it.SignIn.Time})
			case it.Audit != nil:
				got = append(got, dated{time: it.Audit.Time})
			case it.Bad != nil:
				got = append(got, dated{bad: it.Bad.Reason})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return got
}

func checkDates(t *testing.T, got, want []dated) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		switch {
		case want[i].bad != "":
			if !strings.Contains(got[i].bad, want[i].bad) {
				t.Errorf("record %d = %v, want a bad record saying %q", i, got[i], want[i].bad)
			}
		case got[i].bad != "" || !got[i].time.Equal(want[i].time):
			t.Errorf("record %d = %v, want %v", i, got[i], want[i].time)
		}
	}
}

// portalCSV is a portal download (as Excel or another locale saves it)
// with one row per time.
func portalCSV(times ...string) string {
	var b strings.Builder
	b.WriteString("Date (UTC),Request ID,Application ID,Status,Sign-in error code\r\n")
	for i, tm := range times {
		fmt.Fprintf(&b, "%s,req-%d,app,Success,0\r\n", tm, i)
	}
	return b.String()
}

// jsonArray is a flat JSON array of Graph-style sign-ins.
func jsonArray(times ...string) string {
	var parts []string
	for i, tm := range times {
		parts = append(parts, fmt.Sprintf("  {\"id\": \"id-%d\", \"createdDateTime\": %q, \"ipAddress\": \"192.0.2.1\", \"status\": {\"errorCode\": 0}}", i, tm))
	}
	return "[\n" + strings.Join(parts, ",\n") + "\n]\n"
}

// ndjson is a diagnostic-settings export, one sign-in a line.
func ndjson(times ...string) string {
	var b strings.Builder
	for i, tm := range times {
		fmt.Fprintf(&b, "{\"time\":%q,\"category\":\"SignInLogs\",\"properties\":{\"id\":\"id-%d\",\"status\":{\"errorCode\":0}}}\n", tm, i)
	}
	return b.String()
}

// TestDateOrderPerFile: the ambiguous slash dates of a file are read in the
// order its other slash dates show, whatever the input's shape.
func TestDateOrderPerFile(t *testing.T) {
	shapes := []struct {
		name  string
		build func(...string) string
	}{
		{"export.csv", portalCSV},
		{"export.json", jsonArray},
		{"export.log", ndjson},
	}
	cases := []struct {
		name  string
		order DateOrder
		times []string
		want  []dated
	}{
		{"day-first", DateAuto,
			[]string{"03/12/2025 09:05:00", "15/11/2025 10:12:00", "3/1/2026 17:45"},
			[]dated{at(2025, 12, 3, 9, 5, 0, 0), at(2025, 11, 15, 10, 12, 0, 0), at(2026, 1, 3, 17, 45, 0, 0)}},
		{"month-first", DateAuto,
			[]string{"3/12/2025 9:05:00 PM", "11/15/2025 10:12:00 AM", "01/02/2026 08:00:00"},
			[]dated{at(2025, 3, 12, 21, 5, 0, 0), at(2025, 11, 15, 10, 12, 0, 0), at(2026, 1, 2, 8, 0, 0, 0)}},
		{"only ambiguous: month-first", DateAuto,
			[]string{"3/12/2025 10:00:00", "1/2/2026 08:00:00"},
			[]dated{at(2025, 3, 12, 10, 0, 0, 0), at(2026, 1, 2, 8, 0, 0, 0)}},
		{"both orders", DateAuto,
			[]string{"3/12/2025 10:00:00", "15/11/2025 10:12:00", "11/16/2025 10:12:00", "4/5/2025 10:00:00", "2025-12-03T09:05:00Z"},
			[]dated{badAmbiguous, at(2025, 11, 15, 10, 12, 0, 0), at(2025, 11, 16, 10, 12, 0, 0), badAmbiguous, at(2025, 12, 3, 9, 5, 0, 0)}},
		{"both orders, dmy forced", DateDMY,
			[]string{"3/12/2025 10:00:00", "15/11/2025 10:12:00", "11/16/2025 10:12:00"},
			[]dated{at(2025, 12, 3, 10, 0, 0, 0), at(2025, 11, 15, 10, 12, 0, 0), at(2025, 11, 16, 10, 12, 0, 0)}},
		{"both orders, mdy forced", DateMDY,
			[]string{"3/12/2025 10:00:00", "15/11/2025 10:12:00", "11/16/2025 10:12:00"},
			[]dated{at(2025, 3, 12, 10, 0, 0, 0), at(2025, 11, 15, 10, 12, 0, 0), at(2025, 11, 16, 10, 12, 0, 0)}},
		{"day-first, mdy forced", DateMDY,
			[]string{"03/12/2025 09:05:00", "15/11/2025 10:12:00"},
			[]dated{at(2025, 3, 12, 9, 5, 0, 0), at(2025, 11, 15, 10, 12, 0, 0)}},
		{"only ambiguous, dmy forced", DateDMY,
			[]string{"3/12/2025 10:00:00", "1/2/2026 08:00:00"},
			[]dated{at(2025, 12, 3, 10, 0, 0, 0), at(2026, 2, 1, 8, 0, 0, 0)}},
	}
	for _, sh := range shapes {
		for _, c := range cases {
			t.Run(sh.name+"/"+c.name, func(t *testing.T) {
				checkDates(t, decodeDates(t, sh.build(c.times...), sh.name, c.order), c.want)
			})
		}
	}
}

// TestDateOrderReason: the bad record of an ambiguous date says why, with
// an example of each order, and how to fix it.
func TestDateOrderReason(t *testing.T) {
	got := decodeDates(t, portalCSV("15/11/2025 10:12:00", "11/16/2025 10:12:00", "3/12/2025 10:00:00"), "export.csv", DateAuto)
	r := got[2].bad
	for _, want := range []string{`"3/12/2025 10:00:00"`, ambiguousReason, `"15/11/2025 10:12:00"`, `"11/16/2025 10:12:00"`, "ISO 8601", "--date-order"} {
		if !strings.Contains(r, want) {
			t.Errorf("reason %q does not say %q", r, want)
		}
	}
	if _, err := parseTimeIn("3/12/2025 10:00:00", &dates{order: DateMDY, dayFirst: "a", monthFirst: "b"}); !errors.Is(err, ErrDateOrder) {
		t.Errorf("error %v is not ErrDateOrder", err)
	}
}

// TestDateOrderLogAnalytics: Log Analytics' own CSV form is month-first
// even in a file that has day-first dates (a row edited in a spreadsheet).
func TestDateOrderLogAnalytics(t *testing.T) {
	data := "TimeGenerated [UTC],ResultType,Status\r\n" +
		"\"3/12/2025, 1:45:17.287 PM\",0,\"{\"\"errorCode\"\":0}\"\r\n" +
		"15/11/2025 13:00:00,0,\"{\"\"errorCode\"\":0}\"\r\n" +
		"4/11/2025 13:00:00,0,\"{\"\"errorCode\"\":0}\"\r\n"
	checkDates(t, decodeDates(t, data, "query_data.csv", DateAuto),
		[]dated{at(2025, 3, 12, 13, 45, 17, 287), at(2025, 11, 15, 13, 0, 0, 0), badAmbiguous})
	// The same rows under another header are not Log Analytics' export:
	// the day-first row decides.
	other := strings.Replace(data, "TimeGenerated [UTC]", "TimeGenerated", 1)
	checkDates(t, decodeDates(t, other, "query_data.csv", DateAuto),
		[]dated{at(2025, 12, 3, 13, 45, 17, 287), at(2025, 11, 15, 13, 0, 0, 0), at(2025, 11, 4, 13, 0, 0, 0)})
}

// TestDateOrderEscapedSlashes: JSON may escape a slash; the scan reads it.
func TestDateOrderEscapedSlashes(t *testing.T) {
	data := strings.ReplaceAll(jsonArray("3/12/2025 10:00:00", "15/11/2025 10:12:00"), "/", `\/`)
	checkDates(t, decodeDates(t, data, "export.json", DateAuto),
		[]dated{at(2025, 12, 3, 10, 0, 0, 0), at(2025, 11, 15, 10, 12, 0, 0)})
}

// TestDateOrderPastWindow: a date past the scanned window that contradicts
// how the ambiguous dates were read is reported once, at the end.
func TestDateOrderPastWindow(t *testing.T) {
	defer func(w, m int) { dateWindow, maxDoc = w, m }(dateWindow, maxDoc)
	lines := []string{"3/12/2025 10:00:00", "4/12/2025 10:00:00", "5/12/2025 10:00:00", "15/11/2025 10:12:00"}
	for _, sh := range []struct {
		name  string
		build func(...string) string
	}{{"export.log", ndjson}, {"export.csv", portalCSV}, {"export.json", jsonArray}} {
		t.Run(sh.name, func(t *testing.T) {
			data := sh.build(lines...)
			dateWindow, maxDoc = strings.Index(data, "15/11")-20, 64 // the JSON document streams
			want := []dated{at(2025, 3, 12, 10, 0, 0, 0), at(2025, 4, 12, 10, 0, 0, 0), at(2025, 5, 12, 10, 0, 0, 0), at(2025, 11, 15, 10, 12, 0, 0),
				{bad: `date order: "15/11/2025 10:12:00" is day-first, but the ambiguous slash dates of this file were read month-first`}}
			checkDates(t, decodeDates(t, data, sh.name, DateAuto), want)
			// Forced, nothing is guessed and nothing reported.
			checkDates(t, decodeDates(t, data, sh.name, DateMDY), want[:4])
		})
	}
}

func TestDateOrderFlag(t *testing.T) {
	var o DateOrder
	for _, s := range []string{"dmy", "mdy", "auto"} {
		if err := o.Set(s); err != nil || o.String() != s {
			t.Errorf("Set(%q) = %v, String() = %q", s, err, o)
		}
	}
	if err := o.Set("ymd"); err == nil {
		t.Error("Set(ymd) accepted")
	}
}

// FuzzDateScan: the scan never fails, and every example it keeps is a date
// ParseTime reads in the order the example stands for.
func FuzzDateScan(f *testing.F) {
	for _, s := range []string{portalCSV("03/12/2025 09:05:00", "11/16/2025 10:12:00"), jsonArray("3\\/12\\/2025 10:00:00"),
		"TimeGenerated [UTC]\n\"3/12/2025, 1:45:17.287 PM\"\n", "1/2/3/2025 1:00", "99/1/2025 1:1", "/1/2025 10:00"} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, b []byte, la bool) {
		d := &dates{order: DateMDY, la: la}
		d.scan(b)
		for _, c := range []struct {
			ex   string
			kind slashKind
		}{{d.dayFirst, slashDayFirst}, {d.monthFirst, slashMonthFirst}} {
			if c.ex == "" {
				continue
			}
			a, m, rest, ok := slashFields(c.ex)
			if !ok || !bytes.Contains(bytes.ReplaceAll(b, []byte(`\/`), []byte("/")), []byte(c.ex)) {
				t.Fatalf("example %q is not a slash date of the input", c.ex)
			}
			if k := slashOrder(a, m); k != c.kind && !(la && k == slashAmbiguous && c.kind == slashMonthFirst && laForm(rest)) {
				t.Fatalf("example %q kept as %d, is %d", c.ex, c.kind, k)
			}
		}
	})
}

// BenchmarkDateWindow measures the date-order scan and what the window
// costs a decode of NDJSON (auto scans 32 MiB first; mdy skips the scan).
func BenchmarkDateWindow(b *testing.B) {
	sample, err := os.ReadFile("../../shared/data/signins/elastic_test-service-principal-signinlogs-sample.log")
	if err != nil {
		b.Skip(err)
	}
	data := bytes.Repeat(sample, (48<<20)/len(sample))
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(dateWindow))
		for b.Loop() {
			(&dates{order: DateMDY}).scan(data[:dateWindow])
		}
	})
	for _, o := range []DateOrder{DateAuto, DateMDY} {
		b.Run("decode/"+o.String(), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				err := Decode(context.Background(), bytes.NewReader(data), "x.log", DecodeOptions{DateOrder: o}, func([]Item) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDateOrderSeam: a date cut by the boundary between two parts of the
// scanned window is still seen.
func TestDateOrderSeam(t *testing.T) {
	first := ndjson("3/12/2025 10:00:00")
	pad := func(n int) string {
		return fmt.Sprintf("{\"time\":\"2025-01-01T00:00:00Z\",\"category\":\"SignInLogs\",\"properties\":{\"id\":\"pad\",\"status\":{\"errorCode\":0},\"userAgent\":%q}}\n", strings.Repeat("x", n))
	}
	// The date line's date starts 5 bytes before the first part's end.
	n := 1<<20 - 5 - len(`{"time":"`) - len(first) - len(pad(0))
	data := first + pad(n) + ndjson("15/11/2025 10:12:00")
	if i := strings.Index(data, "15/11"); i != 1<<20-5 {
		t.Fatalf("date at %d", i)
	}
	checkDates(t, decodeDates(t, data, "export.log", DateAuto),
		[]dated{at(2025, 12, 3, 10, 0, 0, 0), at(2025, 1, 1, 0, 0, 0, 0), at(2025, 11, 15, 10, 12, 0, 0)})
}

// TestDateScanReadError: an input that fails part way (a cut gzip file)
// still gives the records before the failure, scan or not.
func TestDateScanReadError(t *testing.T) {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(ndjson("3/12/2025 10:00:00", "15/11/2025 10:12:00", "4/12/2025 10:00:00")))
	zw.Close()
	cut := z.Bytes()[:z.Len()-4] // no length: the reader fails at the end
	for _, o := range []DateOrder{DateAuto, DateDMY} {
		var got []time.Time
		err := Decode(context.Background(), bytes.NewReader(cut), "x.log.gz", DecodeOptions{DateOrder: o}, func(items []Item) error {
			for _, it := range items {
				if it.SignIn != nil {
					got = append(got, it.SignIn.Time)
				}
			}
			return nil
		})
		if err == nil || len(got) != 3 || !got[0].Equal(time.Date(2025, 12, 3, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: got %v, %v; want 3 records from 3 December and an error", o, got, err)
		}
	}
}
