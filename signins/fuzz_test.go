package signins

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func seedShared(f *testing.F) {
	for _, dir := range []string{"signins", "audits"} {
		files, _ := filepath.Glob(filepath.Join("../../shared/data", dir, "*"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b, filepath.Base(p))
			}
		}
	}
	variants, _ := filepath.Glob(filepath.Join("testdata", "variants", "*"))
	public, _ := filepath.Glob(filepath.Join("testdata", "public", "*"))
	exports, _ := filepath.Glob(filepath.Join("testdata", "exports", "*"))
	for _, p := range append(append(variants, public...), exports...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, filepath.Base(p))
		}
	}
}

// decodeAll runs Decode and checks its invariants: no panic, every item is
// exactly one of sign-in, audit or bad, and records have an id and a kind.
func decodeAll(t *testing.T, data []byte, name string) {
	err := Decode(context.Background(), bytes.NewReader(data), name, DecodeOptions{Workers: 2, ChunkLines: 3}, func(items []Item) error {
		for _, it := range items {
			n := 0
			if it.SignIn != nil {
				n++
				if it.SignIn.ID == "" || it.SignIn.Kind == "" || it.SignIn.Outcome == "" {
					t.Fatalf("sign-in without id, kind or outcome: %+v", it.SignIn)
				}
			}
			if it.Audit != nil {
				n++
				if it.Audit.ID == "" {
					t.Fatalf("audit without id: %+v", it.Audit)
				}
			}
			if it.Bad != nil {
				n++
				if it.Bad.Reason == "" {
					t.Fatal("bad record without a reason")
				}
			}
			if n != 1 {
				t.Fatalf("item is %d things: %+v", n, it)
			}
		}
		return nil
	})
	_ = err
}

// FuzzDecode covers the format detector and every record decoder.
func FuzzDecode(f *testing.F) {
	seedShared(f)
	f.Add([]byte(`{"records":[{"time":"1/9/2007 9:41:00 AM","category":"SignInLogs","properties":"{\"id\":\"x\"}"}]}`), "x.json")
	f.Add([]byte("[{\"TimeGenerated\":\"2023-09-09T22:57:40Z\",\"Type\":\"AuditLogs\",\"TargetResources\":\"[]\"}]"), "la.json")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		decodeAll(t, data, name)
	})
}

// FuzzCSV covers the CSV reader (Log Analytics and portal exports).
func FuzzCSV(f *testing.F) {
	if b, err := os.ReadFile("../../shared/data/signins/loganalytics-export_SigninLogs_2rows.csv"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("Date (UTC),Request ID,Application ID ,Status,Sign-in error code,Autonomous system  number,Incoming token type,Incoming token type\r\n2026-03-05T08:12:44Z,r1,a,Failure,7000222,1,x,y\r\n"))
	for _, p := range []string{"ual_search-unifiedauditlog_export-csv.csv", "mg_get-mgauditlogsignin_export-csv_typenames.csv", "azureadpreview_get-azureadauditsigninlogs_export-csv.csv"} {
		if b, err := os.ReadFile(filepath.Join("testdata", "exports", p)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("TimeGenerated [UTC],ResultType,Status\n\"9/19/2023, 1:45:17.287 PM\",50140,\"{\"\"errorCode\"\":50140}\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		decodeAll(t, data, "export.csv")
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"01/09/2007 09:41:00", "1/9/2007 10:41:00 AM +01:00", "2007-01-09T09:41:00.535404056Z", "9/19/2023, 1:45:17.287 PM", "12/12/2025 3:03:58 PM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, err := ParseTime(s); err == nil && tm.Location().String() != "UTC" {
			t.Fatalf("ParseTime(%q) not UTC", s)
		}
	})
}

// FuzzFastPath checks that the one-pass reader of diagnostic-settings lines
// agrees with the general decoder whenever it accepts a line.
func FuzzFastPath(f *testing.F) {
	files, _ := filepath.Glob("../../shared/data/signins/*.log")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		for _, l := range bytes.Split(b, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				f.Add(l)
			}
		}
	}
	f.Add([]byte(`{"time":"2026-03-05T08:12:44Z","category":"ServicePrincipalSignInLogs","properties":{"id":"a\u00e9\"b","status":{"errorCode":7000222,"failureReason":null},"location":null,"signInEventTypes":["servicePrincipal"]}}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		if bytes.IndexByte(line, '\n') >= 0 {
			return
		}
		fast, ok := fastEventHub(line, hint{}, newInterner())
		if !ok {
			return
		}
		slow, err := classify(line, hint{}, 0, nil)
		if err != nil || len(slow) != 1 || slow[0].SignIn == nil {
			t.Fatalf("fast path accepted what the general decoder refuses (%v): %s", err, line)
		}
		a, b := *fast.SignIn, *slow[0].SignIn
		a.Raw, b.Raw = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("fast path differs:\nfast %+v\nslow %+v", a, b)
		}
	})
}

// FuzzStream covers the reader of documents too large to read whole
// (records, value, tables, arrays, other keys), with the limit lowered so
// that small inputs take that path.
func FuzzStream(f *testing.F) {
	old := maxDoc
	maxDoc = 64
	f.Cleanup(func() { maxDoc = old })
	rec := `{"time":"2026-03-05T08:12:00Z","category":"ServicePrincipalSignInLogs","properties":{"id":"s1","status":{"errorCode":0}}}`
	f.Add([]byte("{\n\"records\": [\n"+rec+",\n"+rec+"\n]}"), "big.json")
	f.Add([]byte("[\n"+rec+",\n"+rec+"\n]"), "big.json")
	f.Add([]byte("{\n\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"TimeGenerated\"},{\"name\":\"Type\"},{\"name\":\"Id\"}],\n\"rows\":[[\"2026-03-05T08:12:00Z\",\"AADServicePrincipalSignInLogs\",\"s1\"],\n[\"2026-03-05T08:13:00Z\",\"AADServicePrincipalSignInLogs\",\"s2\"]]}]}"), "q.json")
	f.Add([]byte("{\n\"data\": [\n"+rec+"\n],\n\"more\": {\"x\": 1}}"), "other.json")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		decodeAll(t, data, name)
	})
}
