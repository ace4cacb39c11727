package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
)

const sharedSignins = "../../../shared/data/signins"

func TestLogsImportReport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	files, _ := filepath.Glob(filepath.Join(sharedSignins, "*"))
	if len(files) == 0 {
		t.Skip("shared samples missing")
	}
	args := append([]string{"logs", "import", "--db", db, "--output", "json"}, files...)
	code, out, errOut := runCLI(t, "", args...)
	if code != ExitOK {
		t.Fatalf("import exit %d: %s", code, errOut)
	}
	var res []struct {
		File  string `json:"file"`
		Read  int    `json:"read"`
		Bad   int    `json:"bad"`
		Added int    `json:"signins_added"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) != len(files) {
		t.Fatalf("import output %s: %v", out, err)
	}
	total := 0
	for _, r := range res {
		total += r.Added
	}
	// Run it again: nothing new.
	if code, out, _ := runCLI(t, "", append([]string{"logs", "import", "--db", db}, files...)...); code != ExitOK || !strings.Contains(out, "0 new") {
		t.Fatalf("re-import exit %d: %s", code, out)
	}
	code, out, errOut = runCLI(t, "", "logs", "report", "--db", db, "--by", "code", "--output", "json")
	if code != ExitOK {
		t.Fatalf("report exit %d: %s", code, errOut)
	}
	var byCode []map[string]any
	if err := json.Unmarshal([]byte(out), &byCode); err != nil {
		t.Fatal(err)
	}
	sum := 0
	seen50140 := false
	for _, g := range byCode {
		c, ok := g["code"].(float64)
		n, ok2 := g["count"].(float64)
		if !ok || !ok2 {
			t.Fatalf("row %v lacks integer code or count", g)
		}
		sum += int(n)
		if c == 50140 {
			seen50140 = true
			if g["failures"].(float64) != 0 || g["interrupts"].(float64) != n {
				t.Errorf("50140 counted as failure: %v", g)
			}
		}
	}
	if sum != total || !seen50140 {
		t.Fatalf("report totals %d, imported %d (50140 seen: %v)", sum, total, seen50140)
	}
	code, out, _ = runCLI(t, "", "logs", "report", "--db", db, "--by", "app", "--output", "json", "--kind", "serviceprincipal")
	if code != ExitOK || !strings.Contains(out, `"app_id": "6131d760-7fda-4db5-8bb1-b771898e9f15"`) {
		t.Fatalf("report by app exit %d: %s", code, out)
	}
	for _, by := range []string{"sp", "resource", "credential", "ip", "day", "hour"} {
		for _, o := range []string{"text", "csv"} {
			if code, _, errOut := runCLI(t, "", "logs", "report", "--db", db, "--by", by, "-o", o); code != ExitOK {
				t.Fatalf("report --by %s -o %s: exit %d %s", by, o, code, errOut)
			}
		}
	}
	code, out, _ = runCLI(t, "", "logs", "show", "--db", db, "d5935dca-86f2-4ac9-a42c-3593b00af801")
	if code != ExitOK || !strings.Contains(out, "Terraform-Datadog-CLI") || !strings.Contains(out, `"raw"`) {
		t.Fatalf("show exit %d: %s", code, out)
	}
	if code, _, _ := runCLI(t, "", "logs", "show", "--db", db, "nope"); code != ExitFound {
		t.Fatalf("show missing: exit %d", code)
	}
}

func TestLogsUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	for _, args := range [][]string{
		{"logs", "report", "--db", db, "--by", "color"},
		{"logs", "report", "--db", db, "--output", "xml"},
		{"logs", "report", "--db", db, "--code", "abc"},
		{"logs", "report", "--db", db, "--kind", "robot"},
		{"logs", "report", "--db", db, "--since", "tomorrowish"},
		{"logs", "alerts", "check", "--db", db, "--rules", "/nonexistent.yaml"},
		{"logs", "import", "--db", db, "--date-order", "ymd", "x.csv"},
	} {
		if code, _, _ := runCLI(t, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

// TestLogsImportDateOrder: a file with day-first and month-first slash
// dates leaves its ambiguous one unread, unless --date-order says how.
func TestLogsImportDateOrder(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "signins.csv")
	os.WriteFile(p, []byte("Date (UTC),Request ID,Application ID,Status,Sign-in error code\n"+
		"3/12/2025 10:00:00,req-amb,app,Success,0\n15/11/2025 10:12:00,req-day,app,Success,0\n11/16/2025 10:12:00,req-month,app,Success,0\n"), 0o600)
	db := filepath.Join(dir, "a.db")
	if code, _, errOut := runCLI(t, "", "logs", "import", "--db", db, p); code != ExitFound || !strings.Contains(errOut, "signins.csv:2") || !strings.Contains(errOut, "--date-order") {
		t.Fatalf("import: exit %d\nstderr %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "logs", "import", "--db", db, "--date-order", "dmy", p); code != ExitOK {
		t.Fatalf("import --date-order dmy: exit %d\nstderr %s", code, errOut)
	}
	if code, out, _ := runCLI(t, "", "logs", "show", "--db", db, "req-amb"); code != ExitOK || !strings.Contains(out, "2025-12-03T10:00:00Z") {
		t.Fatalf("show: exit %d\n%s", code, out)
	}
}

func TestLogsBadRecordsExitFound(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.log")
	os.WriteFile(p, []byte("{\"time\":\"2026-03-05T08:12:44Z\",\"category\":\"SignInLogs\",\"properties\":{\"id\":\"a\"}}\n{broken\n"), 0o600)
	code, out, errOut := runCLI(t, "", "logs", "import", "--db", filepath.Join(dir, "a.db"), p, filepath.Join(dir, "missing.log"))
	if code != ExitFound || !strings.Contains(errOut, "x.log:2") || !strings.Contains(errOut, "missing.log") || !strings.Contains(out, "1 new") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}

func TestLogsAlertsAndKQL(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	log := filepath.Join(dir, "sp.log")
	var lines []string
	for _, id := range []string{"a", "b", "c"} {
		lines = append(lines, `{"time":"2026-03-05T08:1`+map[string]string{"a": "0", "b": "1", "c": "2"}[id]+`:00Z","category":"ServicePrincipalSignInLogs","properties":{"id":"`+id+`","appId":"app1","status":{"errorCode":7000222}}}`)
	}
	os.WriteFile(log, []byte(strings.Join(lines, "\n")), 0o600)
	rules := filepath.Join(dir, "rules.yaml")
	os.WriteFile(rules, []byte("rules:\n  - name: secrets\n    match: {codes: [7000222]}\n    window: 1h\n    threshold: 3\n"), 0o600)
	if code, _, errOut := runCLI(t, "", "logs", "import", "--db", db, log); code != ExitOK {
		t.Fatalf("import: %s", errOut)
	}
	code, out, _ := runCLI(t, "", "logs", "alerts", "check", "--db", db, "--rules", rules, "--now", "2026-03-05T08:30:00Z")
	if code != ExitFound || !strings.Contains(out, "FIRED") || !strings.Contains(out, "3 matching") {
		t.Fatalf("alerts check exit %d: %s", code, out)
	}
	if code, _, _ := runCLI(t, "", "logs", "alerts", "check", "--db", db, "--rules", rules, "--now", "2026-03-06T08:30:00Z"); code != ExitOK {
		t.Fatalf("quiet alerts check exit %d", code)
	}
	code, out, _ = runCLI(t, "", "logs", "kql", "--rules", rules)
	if code != ExitOK || !strings.Contains(out, `ResultType in ("7000222")`) {
		t.Fatalf("kql exit %d: %s", code, out)
	}
	code, out, _ = runCLI(t, "", "logs", "kql", "--rules", rules, "--arm")
	if code != ExitOK || !strings.Contains(out, "Microsoft.Insights/scheduledQueryRules") {
		t.Fatalf("kql --arm exit %d: %s", code, out)
	}
	code, out, _ = runCLI(t, "", "logs", "watch", "--db", db, "--dir", dir, "--rules", rules, "--once", "--now-not-a-flag")
	if code != ExitUsage {
		t.Fatalf("watch with a bad flag: exit %d %s", code, out)
	}
}

func TestLogsChanges(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	// The shared audit sample: an MSI-backed service principal gets a new
	// certificate at 2022-01-22T18:15:02Z; its app then fails with the old key.
	audit := "../../../shared/data/audits/elastic_test-audit-logs-sample.log"
	if _, err := os.Stat(audit); err != nil {
		t.Skip("shared samples missing")
	}
	sp := filepath.Join(dir, "sp.log")
	var lines []string
	for i, at := range []string{"2022-01-22T18:20:00Z", "2022-01-22T18:25:00Z"} {
		lines = append(lines, `{"time":"`+at+`","category":"ServicePrincipalSignInLogs","properties":{"id":"f`+string(rune('0'+i))+`","appId":"a70a7931-c387-4dce-9f35-fbf95bdcc91e","servicePrincipalId":"a7d5dcbe-0627-4ddf-a2f4-86b6785bcc42","servicePrincipalCredentialKeyId":"7dffcdc5-f2d5-43ae-86f1-682561befd4b","status":{"errorCode":700027}}}`)
	}
	os.WriteFile(sp, []byte(strings.Join(lines, "\n")), 0o600)
	if code, _, errOut := runCLI(t, "", "logs", "import", "--db", db, audit, sp); code != ExitOK {
		t.Fatalf("import: %s", errOut)
	}
	code, out, _ := runCLI(t, "", "logs", "changes", "--db", db, "--window", "1h")
	if code != ExitFound || !strings.Contains(out, "Add service principal credentials") || !strings.Contains(out, "d747da7e-e11b-4af2-aede-0487c44067af") ||
		!strings.Contains(out, "AADSTS700027 x2") || !strings.Contains(out, "7dffcdc5-f2d5-43ae-86f1-682561befd4b") {
		t.Fatalf("changes exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "logs", "changes", "--db", db, "--window", "1h", "-o", "json")
	if code != ExitFound || !strings.Contains(out, `"new_codes"`) {
		t.Fatalf("changes json exit %d: %s", code, out)
	}
}

func TestProgressLine(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, "x.log", 100, strings.NewReader(strings.Repeat("a", 50)))
	buf := make([]byte, 50)
	p.Read(buf)
	p.last = p.last.Add(-time.Second)
	p.update(signins.ImportResult{Read: 10})
	p.done()
	if !strings.Contains(b.String(), "50%") || !strings.Contains(b.String(), "10 records") || !strings.Contains(b.String(), "ETA") {
		t.Fatalf("progress %q", b.String())
	}
}
