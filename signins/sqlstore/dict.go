package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
)

// dict caches the strs dictionary: the strings sign-ins are grouped and
// filtered by (kind, app, outcome, service principal, resource,
// credential, IP and their names) are stored once, and the signins table
// holds their ids. An id never changes once given, so a cache filled from
// committed transactions stays right even while another process adds
// strings; a miss is resolved in the database.
type dict struct {
	mu  sync.Mutex
	ids map[string]int64
}

// maxDictCache bounds the cache (IP addresses can be many); past it the
// cache starts over.
const maxDictCache = 1 << 20

func newDict() *dict { return &dict{ids: map[string]int64{}} }

// dictTx resolves strings inside one transaction. Ids it adds become
// visible to other transactions only when commit is called after the
// transaction committed; a rolled-back transaction's ids are forgotten.
type dictTx struct {
	d        *dict
	tx       *sql.Tx
	pending  map[string]int64
	ins, sel *sql.Stmt
	// seen holds the committed ids this transaction has looked up, read
	// without the lock (a batch repeats a few strings many times).
	seen map[string]int64
}

func (d *dict) begin(tx *sql.Tx) *dictTx {
	return &dictTx{d: d, tx: tx, seen: map[string]int64{}}
}

func (t *dictTx) id(ctx context.Context, s string) (int64, error) {
	if id, ok := t.seen[s]; ok {
		return id, nil
	}
	t.d.mu.Lock()
	id, ok := t.d.ids[s]
	t.d.mu.Unlock()
	if ok {
		t.seen[s] = id
		return id, nil
	}
	if id, ok := t.pending[s]; ok {
		return id, nil
	}
	if t.ins == nil {
		var err error
		if t.ins, err = t.tx.PrepareContext(ctx, `INSERT OR IGNORE INTO strs (s) VALUES (?)`); err != nil {
			return 0, fmt.Errorf("strings: %w", err)
		}
		if t.sel, err = t.tx.PrepareContext(ctx, `SELECT id FROM strs WHERE s = ?`); err != nil {
			return 0, fmt.Errorf("strings: %w", err)
		}
		t.pending = map[string]int64{}
	}
	if _, err := t.ins.ExecContext(ctx, s); err != nil {
		return 0, fmt.Errorf("strings: %w", err)
	}
	if err := t.sel.QueryRowContext(ctx, s).Scan(&id); err != nil {
		return 0, fmt.Errorf("strings: %w", err)
	}
	// A copy: s may be cut from a whole record's text, which the cache
	// must not keep alive.
	t.pending[strings.Clone(s)] = id
	return id, nil
}

// close releases the statements; commit additionally publishes the ids
// the committed transaction added.
func (t *dictTx) close() {
	if t.ins != nil {
		t.ins.Close()
		t.sel.Close()
	}
}

func (t *dictTx) commit() {
	if len(t.pending) == 0 {
		return
	}
	t.d.mu.Lock()
	defer t.d.mu.Unlock()
	if len(t.d.ids)+len(t.pending) > maxDictCache {
		t.d.ids = map[string]int64{}
	}
	for s, id := range t.pending {
		t.d.ids[s] = id
	}
}
