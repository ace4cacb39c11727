package signins_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/sqlstore"
)

// writeSPLog writes n service-principal records as NDJSON, with some
// failures and a few bad lines.
func writeSPLog(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	base := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	for i := range n {
		code := 0
		if i%7 == 0 {
			code = 7000222
		}
		at := base.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano)
		fmt.Fprintf(w, `{"time":%q,"category":"ServicePrincipalSignInLogs","tenantId":"t","properties":{"id":"id-%06d","createdDateTime":%q,"appId":"app-%d","servicePrincipalId":"sp","status":{"errorCode":%d},"servicePrincipalCredentialKeyId":"k%d"}}`+"\n",
			at, i, at, i%5, code, i%3)
		if i%1000 == 999 {
			fmt.Fprintln(w, `{"broken":`)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// TestKillChild is the child process of TestKillMidImport: it imports
// slowly, printing a line per stored batch, until the parent kills it.
func TestKillChild(t *testing.T) {
	if os.Getenv("AADSTS_KILL_CHILD") != "1" {
		t.Skip("run by TestKillMidImport")
	}
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, os.Getenv("AADSTS_KILL_DB"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(os.Getenv("AADSTS_KILL_LOG"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = signins.Import(ctx, s, f, "log", signins.ImportOptions{BatchSize: 100, Progress: func(r signins.ImportResult) {
		fmt.Printf("batch %d\n", r.Read)
		time.Sleep(20 * time.Millisecond)
	}})
	if err != nil {
		t.Fatal(err)
	}
}

func dump(t *testing.T, s signins.Store) ([]signins.Record, []signins.Group, []signins.Group) {
	t.Helper()
	ctx := context.Background()
	recs, err := s.SignIns(ctx, signins.Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	byCode, err := s.Report(ctx, signins.Query{By: signins.ByCode})
	if err != nil {
		t.Fatal(err)
	}
	byApp, err := s.Report(ctx, signins.Query{By: signins.ByApp})
	if err != nil {
		t.Fatal(err)
	}
	return recs, byCode, byApp
}

// TestKillMidImport kills an import process with SIGKILL half-way, re-runs
// the import and checks the store equals a clean run's.
func TestKillMidImport(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	ctx := context.Background()
	dir := t.TempDir()
	logPath := filepath.Join(dir, "sp.log")
	const n = 1500
	writeSPLog(t, logPath, n)

	open := func(p string) *sqlstore.Store {
		s, err := sqlstore.Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	importFile := func(s signins.Store) signins.ImportResult {
		f, err := os.Open(logPath)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		res, err := signins.Import(ctx, s, f, "log", signins.ImportOptions{BatchSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	clean := open(filepath.Join(dir, "clean.db"))
	defer clean.Close()
	if res := importFile(clean); res.SignInsAdded != n || res.BadCount != n/1000 {
		t.Fatalf("clean import: %+v", res)
	}

	killedDB := filepath.Join(dir, "killed.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.v")
	cmd.Env = append(os.Environ(), "AADSTS_KILL_CHILD=1", "AADSTS_KILL_DB="+killedDB, "AADSTS_KILL_LOG="+logPath)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	batches := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "batch ") {
			if batches++; batches == 5 {
				break
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	go func() {
		for sc.Scan() {
		}
	}()
	_ = cmd.Wait()
	if batches < 5 {
		t.Fatalf("child stored %d batches before ending", batches)
	}

	killed := open(killedDB)
	defer killed.Close()
	partial, err := killed.Count(ctx, signins.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if partial == 0 || partial >= n || partial%100 != 0 {
		t.Fatalf("after the kill the store holds %d records: want whole batches of a partial import", partial)
	}
	res := importFile(killed)
	if res.SignInsAdded != n-partial || res.Duplicates != partial {
		t.Fatalf("re-run: %+v (store had %d)", res, partial)
	}
	r1, c1, a1 := dump(t, clean)
	r2, c2, a2 := dump(t, killed)
	if !reflect.DeepEqual(r1, r2) {
		t.Fatalf("records differ after kill and re-run: %d vs %d", len(r1), len(r2))
	}
	if !reflect.DeepEqual(c1, c2) || !reflect.DeepEqual(a1, a2) {
		t.Fatalf("reports differ after kill and re-run:\n%+v\n%+v", c1, c2)
	}
}
