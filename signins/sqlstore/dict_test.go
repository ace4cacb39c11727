package sqlstore

import (
	"context"
	"testing"
)

// TestDictRollback: an id given in a transaction that rolls back is
// forgotten, so that the id (which SQLite may give again to another
// string) is never used for the first one.
func TestDictRollback(t *testing.T) {
	ctx := context.Background()
	s, err := OpenMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	dt := s.strs.begin(tx)
	if _, err := dt.id(ctx, "rolled-back"); err != nil {
		t.Fatal(err)
	}
	dt.close()
	tx.Rollback()
	if _, ok := s.strs.ids["rolled-back"]; ok {
		t.Fatal("an id of a rolled-back transaction is cached")
	}
	for _, v := range []string{"other", "rolled-back"} {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		dt := s.strs.begin(tx)
		id, err := dt.id(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		dt.close()
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		dt.commit()
		var got string
		if err := s.db.QueryRowContext(ctx, `SELECT s FROM strs WHERE id = ?`, id).Scan(&got); err != nil || got != v {
			t.Fatalf("id %d of %q names %q, %v", id, v, got, err)
		}
		if s.strs.ids[v] != id {
			t.Fatalf("cache has %d for %q, want %d", s.strs.ids[v], v, id)
		}
	}
}
