package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/storetest"
)

func TestFileStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) signins.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "a.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestMemoryStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) signins.Store {
		s, err := OpenMemory(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestMigrationsRecordedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	for range 2 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil || v != len(migrations) {
			t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, len(migrations))
		}
		s.Close()
	}
}

func TestDefaultPath(t *testing.T) {
	p, err := DefaultPath(func(k string) string {
		if k == "AADSTS_DATA_DIR" {
			return "/data"
		}
		return ""
	})
	if err != nil || p != filepath.Join("/data", "aadsts.db") {
		t.Fatalf("DefaultPath = %q, %v", p, err)
	}
}

// TestMigrateV1 opens a store left at schema 1, keyed by (kind, id), and
// checks that migration 2 rekeys its records: a re-import is a duplicate
// and a different record sharing an id is added.
func TestMigrateV1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
		migrations[0].sql,
		`INSERT INTO schema_migrations VALUES (1, '2026-11-22T00:00:00Z')`,
		`INSERT INTO signins VALUES (12345, 's1', 'serviceprincipal', 0, '', 'app', '', '', '', '', '', '', '', '', '', '', 0, '', 'success', '', '', '', '', '', '', '', 'graph', x'007b226964223a227331227d')`,
		`INSERT INTO audits VALUES ('a1', 0, 'Add service principal', '', '', '', '', '', '', '', '', '', 0, '[]', 'graph', x'007b226964223a226131227d')`,
	}
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != len(migrations) {
		t.Fatalf("schema %d, want %d", v, len(migrations))
	}
	rec := storetest.SignIn("s1", signins.KindServicePrincipal, time.Unix(0, 0).UTC(), "app", 0)
	other := storetest.SignIn("s1", signins.KindServicePrincipal, time.Unix(0, 0).UTC(), "app", 0)
	other.Raw = []byte(`{"id":"s1","n":2}`)
	a1 := &signins.AuditEvent{ID: "a1", Time: time.Unix(0, 0).UTC(), Activity: "Add service principal", Raw: []byte(`{"id":"a1"}`)}
	r, err := s.Put(ctx, signins.Batch{SignIns: []*signins.Record{rec, other}, Audits: []*signins.AuditEvent{a1}})
	if err != nil || r.SignInsAdded != 1 || r.AuditsAdded != 0 || r.Duplicates != 2 {
		t.Fatalf("Put after migration = %+v, %v; want 1 added, 2 duplicates", r, err)
	}
	if got, err := s.SignIn(ctx, "s1"); err != nil || len(got) != 2 {
		t.Fatalf("SignIn = %d records, %v; want 2", len(got), err)
	}
}

// TestMigrateV2 opens a store left at schema 2 with more sign-ins than one
// page of the move, and checks that migration 3 moves every one of them
// whole, in order, and that importing them again adds nothing.
func TestMigrateV2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
		migrations[0].sql, migrations[1].sql,
		`INSERT INTO schema_migrations VALUES (1, '2026-11-22T00:00:00Z'), (2, '2026-11-22T00:00:00Z')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	const n = 5000
	var want []*signins.Record
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	for i := range n {
		r := storetest.SignIn(fmt.Sprintf("s%04d", i), signins.KindServicePrincipal, base.Add(time.Duration(i%977)*time.Minute), fmt.Sprintf("app%d", i%7), []int{0, 7000222, 700027}[i%3])
		r.IP, r.SPID, r.SPName, r.CorrelationID = fmt.Sprintf("10.0.0.%d", i%200), "sp", "sp name", fmt.Sprintf("corr-%d", i)
		r.Raw = fmt.Appendf(nil, `{"id":%q,"properties":{"pad":%q}}`, r.ID, strings.Repeat("ServicePrincipalSignInLogs ", 40))
		want = append(want, r)
		if _, err := tx.ExecContext(ctx, `INSERT INTO signins VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, '', '', '', '', '', ?, '', ?, '', ?, '', ?, '', '', ?, '', '', ?, ?)`,
			recordKey(string(r.Kind), r.ID, r.Raw), r.ID, string(r.Kind), r.Time.UnixNano(), r.AppID, r.AppName, r.SPID, r.SPName,
			r.IP, r.Code, string(r.Outcome), r.CredentialKeyID, r.CorrelationID, string(r.Format), pack(r.Raw)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.Stat(path)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The originals left the old table: the file is compacted after the
	// move, not left at its old size.
	if after, err := os.Stat(path); err != nil || after.Size() >= before.Size()/2 {
		t.Fatalf("store file %d bytes after migration, %d before (%v)", after.Size(), before.Size(), err)
	}
	got, err := s.SignIns(ctx, signins.Filter{}, 0)
	if err != nil || len(got) != n {
		t.Fatalf("SignIns after migration: %d records, %v; want %d", len(got), err, n)
	}
	byID := map[string]signins.Record{}
	for _, r := range got {
		byID[r.ID] = r
	}
	for _, w := range want {
		if g, ok := byID[w.ID]; !ok || !reflect.DeepEqual(g, *w) {
			t.Fatalf("sign-in %s after migration:\n got %+v\nwant %+v", w.ID, g, *w)
		}
	}
	wantCount := 0
	for _, w := range want {
		if w.AppID == "app3" && w.Code == 7000222 {
			wantCount++
		}
	}
	if c, err := s.Count(ctx, signins.Filter{Codes: []int{7000222}, Apps: []string{"name-APP3"}}); err != nil || c != wantCount {
		t.Fatalf("Count(app named name-APP3, 7000222) = %d, %v; want %d", c, err, wantCount)
	}
	r, err := s.Put(ctx, signins.Batch{SignIns: want})
	if err != nil || r.SignInsAdded != 0 || r.Duplicates != n {
		t.Fatalf("Put again = %+v, %v; want %d duplicates", r, err, n)
	}
	var old int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'signins_v2'`).Scan(&old); err != nil || old != 0 {
		t.Fatalf("signins_v2 left behind: %d, %v", old, err)
	}
}

// TestTwoWriters: two stores on one file (an import beside a watch) put
// batches at the same time; every record of both is stored once. Write
// transactions start IMMEDIATE, so the second writer waits for the first
// instead of failing on a snapshot the first made stale.
func TestTwoWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "two.db")
	var stores [2]*Store
	for i := range stores {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	const batches, per = 20, 300
	errs := make(chan error, len(stores))
	for w, s := range stores {
		go func() {
			for b := range batches {
				var recs []*signins.Record
				for i := range per {
					recs = append(recs, storetest.SignIn(fmt.Sprintf("w%d-b%d-%d", w, b, i), signins.KindServicePrincipal,
						time.Date(2026, 3, 5, 0, b, i, 0, time.UTC), fmt.Sprintf("app-%d-%d", w, i%5), 0))
				}
				if _, err := s.Put(ctx, signins.Batch{SignIns: recs}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range stores {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	all, err := stores[0].SignIns(ctx, signins.Filter{}, 0)
	if err != nil || len(all) != 2*batches*per {
		t.Fatalf("%d sign-ins, %v; want %d", len(all), err, 2*batches*per)
	}
	seen := map[string]bool{}
	for _, r := range all {
		if seen[r.ID] || r.AppID == "" {
			t.Fatalf("sign-in %s twice or damaged: %+v", r.ID, r)
		}
		seen[r.ID] = true
	}
	// The dictionary columns agree with the records, through both writers'
	// caches and through a store opening the file afresh.
	fresh, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	for _, s := range append(stores[:], fresh) {
		for w := range stores {
			for i := range 5 {
				app := fmt.Sprintf("app-%d-%d", w, i)
				if n, err := s.Count(ctx, signins.Filter{Apps: []string{app}}); err != nil || n != batches*per/5 {
					t.Fatalf("Count(%s) = %d, %v; want %d", app, n, err, batches*per/5)
				}
			}
		}
		g, err := s.Report(ctx, signins.Query{By: signins.ByApp, Filter: signins.Filter{Since: time.Date(2026, 3, 5, 0, 0, 1, 0, time.UTC)}})
		if err != nil || len(g) != 10 {
			t.Fatalf("report by app = %d groups, %v; want 10", len(g), err)
		}
		for _, x := range g {
			if x.Label != "name-"+x.Key {
				t.Fatalf("group %s labelled %q", x.Key, x.Label)
			}
		}
	}
}

// forgeCRC returns prefix and four bytes whose CRC-32C is want.
func forgeCRC(prefix []byte, want uint32) []byte {
	var rev [256]byte
	for i := range 256 {
		rev[castagnoli[i]>>24] = byte(i)
	}
	x := ^want
	var idx [4]byte
	for j := 3; j >= 0; j-- {
		idx[j] = rev[x>>24]
		x = (x ^ castagnoli[idx[j]]) << 8
	}
	reg := ^crc32.Checksum(prefix, castagnoli)
	out := append([]byte(nil), prefix...)
	for j := range 4 {
		out = append(out, byte(reg)^idx[j])
		reg = reg>>8 ^ castagnoli[idx[j]]
	}
	return out
}

// TestKeyCollision: a different record whose key (kind, id and CRC-32C
// of its bytes) and time are taken is an error, whether it meets the
// stored record in a later batch or in its own, and the batch stores
// nothing.
func TestKeyCollision(t *testing.T) {
	ctx := context.Background()
	s, err := OpenMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	a := storetest.SignIn("c1", signins.KindServicePrincipal, at, "app", 0)
	b := storetest.SignIn("c1", signins.KindServicePrincipal, at, "app", 0)
	b.Raw = forgeCRC([]byte(`{"id":"c1","other":true}`), crc32.Checksum(a.Raw, castagnoli))
	if bytes.Equal(a.Raw, b.Raw) || recordKey(string(a.Kind), a.ID, a.Raw) != recordKey(string(b.Kind), b.ID, b.Raw) {
		t.Fatal("the forged record does not share the key")
	}
	if _, err := s.Put(ctx, signins.Batch{SignIns: []*signins.Record{a, b}}); err == nil || !strings.Contains(err.Error(), "collides") {
		t.Fatalf("one batch: err %v, want a collision", err)
	}
	if n, _ := s.Count(ctx, signins.Filter{}); n != 0 {
		t.Fatalf("the failed batch stored %d sign-ins", n)
	}
	if _, err := s.Put(ctx, signins.Batch{SignIns: []*signins.Record{a}}); err != nil {
		t.Fatal(err)
	}
	// other brings strings the store has not seen: their dictionary ids
	// die with the failed batch and must not be used afterwards.
	other := storetest.SignIn("c2", signins.KindServicePrincipal, at, "app-new", 0)
	other.IP = "198.51.100.7"
	if _, err := s.Put(ctx, signins.Batch{SignIns: []*signins.Record{other, b}}); err == nil || !strings.Contains(err.Error(), "collides") {
		t.Fatalf("later batch: err %v, want a collision", err)
	}
	if n, _ := s.Count(ctx, signins.Filter{}); n != 1 {
		t.Fatalf("%d sign-ins stored, want 1 (the failed batch stored nothing)", n)
	}
	third := storetest.SignIn("c3", signins.KindServicePrincipal, at, "app-third", 0)
	if _, err := s.Put(ctx, signins.Batch{SignIns: []*signins.Record{third, other}}); err != nil {
		t.Fatal(err)
	}
	for app, want := range map[string]int{"app-new": 1, "app-third": 1, "name-app-new": 1, "app": 1} {
		if n, err := s.Count(ctx, signins.Filter{Apps: []string{app}}); err != nil || n != want {
			t.Fatalf("Count(app %s) = %d, %v; want %d", app, n, err, want)
		}
	}
	g, err := s.Report(ctx, signins.Query{By: signins.ByIP})
	if err != nil || len(g) != 2 || g[0].Key != "" || g[1].Key != "198.51.100.7" {
		t.Fatalf("report by IP = %+v, %v", g, err)
	}
}

// TestSameKeyOtherTime: the store keeps sign-ins unique by time and key,
// and a batch does the same, so one batch or two store the same records.
func TestSameKeyOtherTime(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	a := storetest.SignIn("t1", signins.KindServicePrincipal, at, "app", 0)
	b := storetest.SignIn("t1", signins.KindServicePrincipal, at.Add(time.Hour), "app", 0)
	c := storetest.SignIn("t1", signins.KindServicePrincipal, at.Add(2*time.Hour), "app", 0)
	for _, batches := range [][][]*signins.Record{{{a, b, c}}, {{a}, {b, c}}, {{a, b}, {a, c, b}}} {
		s, err := OpenMemory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		added, dups := 0, 0
		for _, recs := range batches {
			r, err := s.Put(ctx, signins.Batch{SignIns: recs})
			if err != nil {
				t.Fatal(err)
			}
			added, dups = added+r.SignInsAdded, dups+r.Duplicates
		}
		got, err := s.SignIn(ctx, "t1")
		if err != nil || len(got) != 3 || added != 3 || dups != countRecs(batches)-3 {
			t.Fatalf("batches of %d: %d stored (%v), %d added, %d duplicates; want 3 stored and added", len(batches), len(got), err, added, dups)
		}
		s.Close()
	}
}

func countRecs(batches [][]*signins.Record) int {
	n := 0
	for _, b := range batches {
		n += len(b)
	}
	return n
}

// TestLargeRecords: records of several MiB go into chunks of their own
// and read back whole.
func TestLargeRecords(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "large.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var recs []*signins.Record
	for i := range 4 {
		r := storetest.SignIn(fmt.Sprintf("large-%d", i), signins.KindServicePrincipal, time.Date(2026, 3, 5, 0, i, 0, 0, time.UTC), "app", 0)
		r.Raw = []byte(`{"pad":"` + strings.Repeat(fmt.Sprintf("%04x", i*7919), 5<<20/4) + `"}`)
		recs = append(recs, r)
	}
	if r, err := s.Put(ctx, signins.Batch{SignIns: recs}); err != nil || r.SignInsAdded != 4 {
		t.Fatalf("Put = %+v, %v", r, err)
	}
	var chunks int
	if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT chunk) FROM signins`).Scan(&chunks); err != nil || chunks != 4 {
		t.Fatalf("%d chunks, %v; want one a record", chunks, err)
	}
	for _, w := range recs {
		got, err := s.SignIn(ctx, w.ID)
		if err != nil || len(got) != 1 || !bytes.Equal(got[0].Raw, w.Raw) {
			t.Fatalf("SignIn(%s): %d records, %v", w.ID, len(got), err)
		}
	}
}
