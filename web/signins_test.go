package web

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/sqlstore"
	"github.com/aadsts/aadsts/signins/storetest"
)

func memStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	st, err := sqlstore.OpenMemory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

const xssSignIn = `{"value":[{"id":"xss-1","createdDateTime":"2026-11-22T10:00:00Z","appId":"de8bc8b5-d9f9-48b1-a8ad-b748da725064",` +
	`"appDisplayName":"<script>window.__xss=1</script><img src=x onerror=alert(1)>","ipAddress":"127.0.0.1","isInteractive":false,` +
	`"status":{"errorCode":7000215,"failureReason":"Invalid client secret provided.","additionalDetails":null}}]}`

func TestSignInsWithoutStore(t *testing.T) {
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }})
	resp, body := b.get("/signins")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, body, "No sign-in store is open")
	resp, _ = b.post("/signins/import", nil, file{"file", "x.json", []byte(xssSignIn)})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("import without a store: status %d, want 404", resp.StatusCode)
	}
}

func TestSignInsImportChartAndDrillDown(t *testing.T) {
	st := memStore(t)
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }, Parts: Parts{SignIns: st, StoreName: "memory"}})
	resp, body := b.get("/signins")
	mustContain(t, body, `<label for="signin-file">Sign-in export</label>`, "No sign-ins yet")

	sample, err := os.ReadFile("../../shared/data/signins/elastic_test-signinlogs-sample.log")
	if err != nil {
		t.Skipf("shared samples missing: %v", err)
	}
	resp, body = b.post("/signins/import", nil, file{"file", "sample.log", sample})
	if resp.StatusCode != 200 || !strings.Contains(resp.Request.URL.RawQuery, "imported=") {
		t.Fatalf("import: status %d, url %s", resp.StatusCode, resp.Request.URL)
	}
	mustContain(t, body, "Imported", "sample.log", `<svg viewBox`, `role="img"`, "<rect", "Breakdown")

	resp, body = b.post("/signins/import", nil, file{"file", "xss.json", []byte(xssSignIn)})
	if resp.StatusCode != 200 {
		t.Fatalf("import xss: status %d", resp.StatusCode)
	}
	for _, by := range []string{"code", "app", "credential", "sp", "resource", "ip"} {
		t.Run("by "+by, func(t *testing.T) {
			resp, body := b.get("/signins?by=" + by)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			mustNotContain(t, body, "<script>window", "<img src=x")
			if by == "app" {
				mustContain(t, body, "&lt;script&gt;window.__xss=1&lt;/script&gt;")
			}
		})
	}
	_, body = b.get("/signins?code=7000215")
	mustContain(t, body, "matching AADSTS7000215", `href="/signins/xss-1"`)
	_, body = b.get("/signins?kind=noninteractive&by=app")
	mustContain(t, body, "matching noninteractive sign-ins", "&lt;script&gt;")
	_, body = b.get("/signins?kind=interactive&by=app")
	mustNotContain(t, body, "&lt;script&gt;window")
	if resp, _ := b.get("/signins?kind=nope"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown kind: status %d, want 400", resp.StatusCode)
	}

	resp, body = b.get("/signins/xss-1")
	if resp.StatusCode != 200 {
		t.Fatalf("drill-down: status %d", resp.StatusCode)
	}
	mustContain(t, body, "AADSTS7000215", "Invalid client secret provided.", "The record as imported", "&lt;script&gt;")
	mustNotContain(t, body, "<script>window")

	resp, _ = b.get("/signins/no-such-id")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown id: status %d, want 404", resp.StatusCode)
	}
	resp, _ = b.get("/signins?by=%3Cx%3E")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown breakdown: status %d, want 400", resp.StatusCode)
	}
	resp, body = b.post("/signins/import", nil, file{"file", "junk.txt", []byte("not a log at all")})
	if resp.StatusCode < 400 {
		t.Errorf("junk import: status %d, want an error", resp.StatusCode)
	}
	_ = body
}

func TestTimeBucketsChooseUnit(t *testing.T) {
	tests := []struct {
		name     string
		times    []string
		unit     string
		minBars  int
		maxBars  int
		lastBar  string
		wantFail int
	}{
		{"one hour", []string{"2026-11-22T10:05:00Z"}, "hour", 24, 24, "Nov 22 10:00", 1},
		{"two weeks", []string{"2026-11-01T10:00:00Z", "2026-11-15T10:00:00Z"}, "day", 15, 15, "Nov 15", 2},
		{"two years", []string{"2024-11-01T10:00:00Z", "2026-11-15T10:00:00Z"}, "week", 100, 110, "Nov 9 2026", 2},
		{"ten years", []string{"2016-11-01T10:00:00Z", "2026-11-15T10:00:00Z"}, "month", 121, 121, "Nov 2026", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := memStore(t)
			b := newBrowser(t, Options{Now: func() time.Time { return testNow }, Parts: Parts{SignIns: st}})
			var recs []string
			for i, tm := range tc.times {
				recs = append(recs, `{"id":"r`+string(rune('a'+i))+`","createdDateTime":"`+tm+`","appId":"de8bc8b5-d9f9-48b1-a8ad-b748da725064","status":{"errorCode":7000215}}`)
			}
			resp, _ := b.post("/signins/import", nil, file{"file", "t.json", []byte(`{"value":[` + strings.Join(recs, ",") + `]}`)})
			if resp.StatusCode != 200 {
				t.Fatalf("import: status %d", resp.StatusCode)
			}
			srv, _ := New(Options{Now: func() time.Time { return testNow }, Parts: Parts{SignIns: st}})
			req, _ := http.NewRequest("GET", "/signins", nil)
			buckets, _, unit, err := srv.timeBuckets(req, emptyFilter)
			if err != nil {
				t.Fatal(err)
			}
			if unit != tc.unit || len(buckets) < tc.minBars || len(buckets) > tc.maxBars {
				t.Fatalf("unit %s with %d bars, want %s with %d..%d", unit, len(buckets), tc.unit, tc.minBars, tc.maxBars)
			}
			if got := buckets[len(buckets)-1].Label; got != tc.lastBar {
				t.Errorf("last bar %q, want %q", got, tc.lastBar)
			}
			fails := 0
			for _, bk := range buckets {
				fails += bk.Failures
			}
			if fails != tc.wantFail {
				t.Errorf("%d failures charted, want %d", fails, tc.wantFail)
			}
		})
	}
}

var emptyFilter = signins.Filter{}

func TestSignInsWhatChanged(t *testing.T) {
	st := memStore(t)
	t0 := time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC)
	var recs []*signins.Record
	for i := range 4 {
		recs = append(recs, storetest.SignIn("ok"+string(rune('a'+i)), signins.KindServicePrincipal, t0.Add(-time.Duration(i+1)*time.Minute), "app1", 0))
	}
	for i := range 3 {
		r := storetest.SignIn("bad"+string(rune('a'+i)), signins.KindServicePrincipal, t0.Add(time.Duration(i+1)*time.Minute), "app1", 7000222)
		r.CredentialKeyID = "old-key"
		recs = append(recs, r)
	}
	audit := &signins.AuditEvent{ID: "d1", Time: t0, Activity: "Update application – Certificates and secrets management", AppID: "app1",
		TargetName: "<b>payroll</b>", InitiatedBy: "admin@contoso.example", CredentialChange: true,
		Keys: []signins.KeyChange{{Action: "removed", KeyID: "old-key"}, {Action: "added", KeyID: "new-key"}}}
	if _, err := st.Put(context.Background(), signins.Batch{SignIns: recs, Audits: []*signins.AuditEvent{audit}}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, Options{Now: func() time.Time { return testNow }, Parts: Parts{SignIns: st}})
	_, body := b.get("/signins")
	mustContain(t, body, "What changed", "&lt;b&gt;payroll&lt;/b&gt;", "admin@contoso.example", "AADSTS7000222</a> × 3",
		"old-key", "removed by this change", "Key added", "new-key", "Failures after")
	mustNotContain(t, body, "<b>payroll</b>")
}
