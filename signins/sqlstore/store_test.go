package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
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
