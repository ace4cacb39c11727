package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

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
