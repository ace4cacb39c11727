package signins_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
)

// variantApp is the application id every file in testdata/variants uses.
const variantApp = "11111111-2222-4333-8444-555555555555"

// TestExportVariants imports every file in testdata/variants as is, gzipped
// and as UTF-16 LE with a BOM (PowerShell Out-File), and checks the record
// counts and the normalized fields of chosen records.
func TestExportVariants(t *testing.T) {
	type want struct {
		id      string
		kind    signins.Kind
		code    int
		time    string
		outcome signins.Outcome
	}
	tests := []struct {
		file            string
		signIns, audits int
		bad             []int // lines of the bad records
		check           []want
	}{
		{"graph-v1-pages-concatenated.json", 3, 0, nil, []want{
			{"gv1", signins.KindInteractive, 50126, "2026-03-05T08:12:44.1234567Z", signins.OutcomeFailure},
			{"gv3", signins.KindInteractive, 50076, "2026-03-05T08:12:46Z", signins.OutcomeInterrupt}}},
		{"graph-v1-pages-array.json", 3, 0, nil, []want{
			{"gv2", signins.KindInteractive, 0, "2026-03-05T08:12:45Z", signins.OutcomeSuccess}}},
		{"graph-beta-serviceprincipal.json", 2, 0, nil, []want{
			{"gb1", signins.KindServicePrincipal, 7000215, "2026-03-05T09:00:00Z", signins.OutcomeFailure},
			{"gb2", signins.KindServicePrincipal, 0, "2026-03-05T09:01:00Z", signins.OutcomeSuccess}}},
		{"eventhub-mixed.json", 5, 1, nil, []want{
			{"eh1", signins.KindInteractive, 50126, "2026-03-05T10:00:00Z", signins.OutcomeFailure},
			{"eh2", signins.KindNonInteractive, 0, "2026-03-05T10:00:01Z", signins.OutcomeSuccess},
			{"eh3", signins.KindServicePrincipal, 7000222, "2026-03-05T10:00:02Z", signins.OutcomeFailure},
			{"eh4", signins.KindManagedIdentity, 0, "2026-03-05T10:00:03Z", signins.OutcomeSuccess},
			{"eh5", signins.KindADFS, 300030, "2026-03-05T10:00:04Z", signins.OutcomeFailure}}},
		{"storage-PT1H.json", 5, 0, nil, []want{
			{"eh5", signins.KindADFS, 300030, "2026-03-05T10:00:04Z", signins.OutcomeFailure}}},
		{"ndjson-corrupt-line.log", 4, 0, []int{3}, []want{
			{"eh4", signins.KindManagedIdentity, 0, "2026-03-05T10:00:03Z", signins.OutcomeSuccess}}},
		{"loganalytics-AADServicePrincipalSignInLogs.json", 2, 0, nil, []want{
			{"la-sp1", signins.KindServicePrincipal, 7000222, "2026-03-05T11:00:00.123Z", signins.OutcomeFailure}}},
		{"loganalytics-AADManagedIdentitySignInLogs.json", 1, 0, nil, []want{
			{"la-mi1", signins.KindManagedIdentity, 0, "2026-03-05T11:00:02Z", signins.OutcomeSuccess}}},
		{"loganalytics-AADNonInteractiveUserSignInLogs.json", 2, 0, nil, []want{
			{"la-ni1", signins.KindNonInteractive, 50076, "2026-03-05T11:00:03Z", signins.OutcomeInterrupt}}},
		{"loganalytics-AADServicePrincipalSignInLogs.csv", 2, 0, nil, []want{
			{"la-sp1", signins.KindServicePrincipal, 7000222, "2026-03-05T11:00:00.123Z", signins.OutcomeFailure},
			{"la-sp2", signins.KindServicePrincipal, 0, "2026-03-05T11:00:01Z", signins.OutcomeSuccess}}},
		{"loganalytics-AADManagedIdentitySignInLogs.csv", 1, 0, nil, []want{
			{"la-mi1", signins.KindManagedIdentity, 0, "2026-03-05T11:00:02Z", signins.OutcomeSuccess}}},
		{"loganalytics-AADNonInteractiveUserSignInLogs.csv", 2, 0, nil, []want{
			{"la-ni1", signins.KindNonInteractive, 50076, "2026-03-05T11:00:03Z", signins.OutcomeInterrupt}}},
		{"InteractiveSignIns_2026-03-05_2026-03-06.csv", 3, 0, nil, []want{
			{"pi1", signins.KindInteractive, 50126, "2026-03-05T12:00:00Z", signins.OutcomeFailure},
			{"pi2", signins.KindInteractive, 0, "2026-03-05T12:00:01Z", signins.OutcomeSuccess},
			{"pi3", signins.KindInteractive, 50074, "2026-03-05T12:00:02Z", signins.OutcomeInterrupt}}},
		{"NonInteractiveSignIns_2026-03-05_2026-03-06.csv", 2, 0, nil, []want{
			{"pn1", signins.KindNonInteractive, 50058, "2026-03-05T12:01:00.5Z", signins.OutcomeInterrupt},
			{"pn2", signins.KindNonInteractive, 700082, "2026-03-05T12:01:01Z", signins.OutcomeFailure}}},
		{"ApplicationSignIns_2026-03-05_2026-03-06.csv", 2, 0, nil, []want{
			{"pa1", signins.KindServicePrincipal, 7000222, "2026-03-05T13:00:00Z", signins.OutcomeFailure}}},
		{"MSISignIns_2026-03-05_2026-03-06.csv", 1, 0, nil, []want{
			{"pm1", signins.KindManagedIdentity, 0, "2026-03-05T14:00:00Z", signins.OutcomeSuccess}}},
		{"InteractiveSignIns_2026-03-05_2026-03-06.json", 2, 0, nil, []want{
			{"pj1", signins.KindInteractive, 50126, "2026-03-05T15:00:00Z", signins.OutcomeFailure}}},
		{"NonInteractiveSignIns_2026-03-05_2026-03-06.json", 1, 0, nil, []want{
			{"pjn1", signins.KindNonInteractive, 0, "2026-03-05T15:01:00Z", signins.OutcomeSuccess}}},
		{"ApplicationSignIns_2026-03-05_2026-03-06.json", 1, 0, nil, []want{
			{"pja1", signins.KindServicePrincipal, 7000215, "2026-03-05T15:02:00Z", signins.OutcomeFailure}}},
		{"MSISignIns_2026-03-05_2026-03-06.json", 1, 0, nil, []want{
			{"pjm1", signins.KindManagedIdentity, 0, "2026-03-05T15:03:00Z", signins.OutcomeSuccess}}},
		{"InteractiveSignIns_2026-03-07_corrupt-record.json", 3, 0, []int{2}, []want{
			{"pj2", signins.KindInteractive, 0, "2026-03-05T15:00:01Z", signins.OutcomeSuccess},
			{"pj3", signins.KindInteractive, 50126, "2026-03-05T15:00:00Z", signins.OutcomeFailure}}},
		{"graph-beta-page-corrupt-record.json", 3, 0, []int{1}, []want{
			{"gb3", signins.KindServicePrincipal, 7000215, "2026-03-05T09:00:00Z", signins.OutcomeFailure}}},
		{"eventhub-truncated.json", 3, 0, []int{1}, []want{
			{"eh3", signins.KindServicePrincipal, 7000222, "2026-03-05T10:00:02Z", signins.OutcomeFailure}}},
		{"graph-v1-pages-corrupt-first.json", 2, 0, []int{4}, []want{
			{"gv3", signins.KindInteractive, 50076, "2026-03-05T08:12:46Z", signins.OutcomeInterrupt}}},
		{"InteractiveSignIns_2026-03-08_short-row.csv", 2, 0, []int{3}, []want{
			{"pi3", signins.KindInteractive, 50074, "2026-03-05T12:00:02Z", signins.OutcomeInterrupt}}},
		{"loganalytics-AADServicePrincipalSignInLogs_open-quote.csv", 1, 0, []int{2}, []want{
			{"la-sp2", signins.KindServicePrincipal, 0, "2026-03-05T11:00:01Z", signins.OutcomeSuccess}}},
		{"InteractiveSignIns_2026-03-09_bad-time.json", 2, 0, []int{23}, []want{
			{"pj2", signins.KindInteractive, 0, "2026-03-05T15:00:01Z", signins.OutcomeSuccess}}},
		// The open quote takes the end of the next row too: both are reported.
		{"NonInteractiveSignIns_2026-03-10_open-quote.csv", 0, 0, []int{2, 3}, nil},
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "variants", "*"))
	if len(files) != len(tests) {
		t.Errorf("%d files in testdata/variants, %d in the table", len(files), len(tests))
	}
	for _, tt := range tests {
		plain, err := os.ReadFile(filepath.Join("testdata", "variants", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(plain)
		zw.Close()
		for _, enc := range []struct {
			name, suffix string
			data         []byte
		}{
			{"plain", "", plain},
			{"gzip", ".gz", gz.Bytes()},
			{"utf16", "", []byte(utf16le(strings.TrimPrefix(string(plain), "\ufeff")))},
		} {
			t.Run(tt.file+"/"+enc.name, func(t *testing.T) {
				ctx := context.Background()
				s := memStore(t)
				res, err := signins.Import(ctx, s, bytes.NewReader(enc.data), tt.file+enc.suffix, signins.ImportOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if res.SignIns != tt.signIns || res.SignInsAdded != tt.signIns || res.Audits != tt.audits || res.AuditsAdded != tt.audits || res.BadCount != len(tt.bad) {
					t.Fatalf("import %+v; want %d sign-ins, %d audits, %d bad", res, tt.signIns, tt.audits, len(tt.bad))
				}
				for i, line := range tt.bad {
					b := res.Bad[i]
					if b.Line != line || b.File != tt.file+enc.suffix || b.Reason == "" {
						t.Errorf("bad record %+v, want %s line %d", b, tt.file+enc.suffix, line)
					}
				}
				for _, w := range tt.check {
					recs, err := s.SignIn(ctx, w.id)
					if err != nil || len(recs) != 1 {
						t.Fatalf("SignIn(%s) = %d records, %v", w.id, len(recs), err)
					}
					r := recs[0]
					wt, _ := time.Parse(time.RFC3339Nano, w.time)
					if r.Kind != w.kind || r.Code != w.code || r.AppID != variantApp || !r.Time.Equal(wt) || r.Outcome != w.outcome {
						t.Errorf("%s: kind %s code %d app %s time %s outcome %s; want %s %d %s %s %s",
							w.id, r.Kind, r.Code, r.AppID, r.Time.Format(time.RFC3339Nano), r.Outcome,
							w.kind, w.code, variantApp, w.time, w.outcome)
					}
				}
			})
		}
	}
}
