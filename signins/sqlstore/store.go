// Package sqlstore is the SQLite implementation of signins.Store, through
// the pure-Go driver modernc.org/sqlite: a file in WAL mode, or a private
// in-memory database. It owns the schema and its migrations; it must not
// decode input formats or render.
package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aadsts/aadsts/signins"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Store is a signins.Store on SQLite.
type Store struct {
	db   *sql.DB
	strs *dict
}

var _ signins.Store = (*Store)(nil)

// DefaultPath returns the default database file: $AADSTS_DATA_DIR/aadsts.db
// when set, else aadsts/aadsts.db under the user's configuration directory.
func DefaultPath(getenv func(string) string) (string, error) {
	if d := getenv("AADSTS_DATA_DIR"); d != "" {
		return filepath.Join(d, "aadsts.db"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the data directory (set AADSTS_DATA_DIR): %w", err)
	}
	return filepath.Join(d, "aadsts", "aadsts.db"), nil
}

// Open opens (creating when missing) the database file at path and brings
// its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	q := url.Values{}
	for _, p := range []string{"synchronous(NORMAL)", "busy_timeout(10000)", "temp_store(MEMORY)", "cache_size(-16384)", "journal_size_limit(67108864)"} {
		q.Add("_pragma", p)
	}
	// Transactions only write here: IMMEDIATE takes the write lock at
	// BEGIN, so a second writer (a watch beside an import) waits its turn
	// rather than failing when its snapshot goes stale.
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	return open(ctx, dsn, path, true)
}

var memSeq atomic.Int64

// OpenMemory opens a private in-memory database, gone when closed.
func OpenMemory(ctx context.Context) (*Store, error) {
	name := fmt.Sprintf("file:aadsts-mem-%d-%d?mode=memory&cache=private", os.Getpid(), memSeq.Add(1))
	return open(ctx, name, "memory", false)
}

func open(ctx context.Context, dsn, name string, wal bool) (*Store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	// One connection: SQLite has one writer anyway, and an in-memory
	// database lives in its connection.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	s := &Store{db: db, strs: newDict()}
	if err := s.pragmas(ctx, wal); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	return s, nil
}

// pragmas sets 16 KiB pages on a new database and WAL mode on a file. The
// page size was chosen when a sign-in row held its original record (about
// 2.6 KiB: with 4 KiB pages one row filled most of a page and the rest was
// lost; 64 KiB pages cost 50% more CPU and 180 MiB more memory on the
// million-record benchmark). Since migration 3 the big values are the
// chunks (hundreds of KiB, on overflow pages) and audit rows with their
// originals; 16 KiB pages still suit both.
func (s *Store) pragmas(ctx context.Context, wal bool) error {
	var pages int
	if err := s.db.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		return err
	}
	if pages == 0 {
		if _, err := s.db.ExecContext(ctx, `PRAGMA page_size = 16384`); err != nil {
			return err
		}
	}
	if wal {
		if _, err := s.db.ExecContext(ctx, `PRAGMA journal_mode = WAL`); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("schema_migrations: %w", err)
	}
	var have int
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this aadsts (%d)", have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		m := migrations[v-1]
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if m.fn != nil {
			if err := m.fn(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %d: %w", v, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)`, v, time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if m.vacuum {
			// The migration is done and recorded; a failed VACUUM only
			// leaves the file larger than it needs to be.
			if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
				return fmt.Errorf("migration %d: compact the store: %w", v, err)
			}
			if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				return fmt.Errorf("migration %d: compact the store: %w", v, err)
			}
		}
	}
	return nil
}

// SchemaVersion returns the number of migrations applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// insertSignInPrefix ignores rows whose (time, key) is taken (duplicates,
// told apart by insertSignIns); as OR IGNORE, not ON CONFLICT, it also
// spares SQLite a statement journal for a multi-row INSERT (a statement
// that may abort half-way copies every page it changes).
const insertSignInPrefix = `INSERT OR IGNORE INTO signins (time, key, kind, app, app_name, code, outcome,
	sp, sp_name, resource, resource_name, cred, cred_type, ip, chunk, pos) VALUES `

// signInValues is the number of values of one sign-in row.
const signInValues = 16

// insertSignInsSQL is the INSERT statement of n sign-ins.
func insertSignInsSQL(n int) string {
	row := "(" + placeholders(signInValues) + ")"
	return insertSignInPrefix + strings.TrimSuffix(strings.Repeat(row+",", n), ",")
}

const insertAudit = `INSERT INTO audits (key, id, time, activity, category, result, correlation_id, tenant,
	initiated_by, target_type, target_id, target_name, app_id, credential_change, keys, format, raw)
	VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (key) DO NOTHING`

const upsertRollup = `INSERT INTO rollup (hour, kind, app_id, code, outcome, n, first, last) VALUES (?,?,?,?,?,?,?,?)
	ON CONFLICT (hour, kind, app_id, code, outcome) DO UPDATE SET n = n + excluded.n,
	first = min(first, excluded.first), last = max(last, excluded.last)`

const upsertApp = `INSERT INTO apps (app_id, name) VALUES (?, ?) ON CONFLICT (app_id) DO UPDATE SET name = excluded.name WHERE excluded.name != ''`

type rollKey struct {
	hour    int64
	kind    signins.Kind
	app     string
	code    int
	outcome signins.Outcome
}

type rollVal struct{ n, first, last int64 }

// Put stores the batch in one transaction.
func (s *Store) Put(ctx context.Context, b signins.Batch) (signins.PutResult, error) {
	var res signins.PutResult
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("store batch: %w", err)
	}
	defer tx.Rollback()
	strs := s.strs.begin(tx)
	defer strs.close()
	if len(b.SignIns) > 0 {
		if res, err = putSignIns(ctx, tx, strs, b.SignIns, res); err != nil {
			return signins.PutResult{}, err
		}
	}
	if len(b.Audits) > 0 {
		st, err := tx.PrepareContext(ctx, insertAudit)
		if err != nil {
			return signins.PutResult{}, fmt.Errorf("store audits: %w", err)
		}
		defer st.Close()
		for _, a := range b.Audits {
			keys, _ := json.Marshal(a.Keys)
			if a.Keys == nil {
				keys = []byte("[]")
			}
			key := recordKey("", a.ID, a.Raw)
			r, err := st.ExecContext(ctx, key, a.ID, a.Time.UnixNano(), a.Activity, a.Category, a.Result, a.CorrelationID, a.TenantID,
				a.InitiatedBy, a.TargetType, a.TargetID, a.TargetName, a.AppID, a.CredentialChange, string(keys), string(a.Format), pack(a.Raw))
			if err != nil {
				return signins.PutResult{}, fmt.Errorf("store audit %s: %w", a.ID, err)
			}
			if n, _ := r.RowsAffected(); n > 0 {
				res.AuditsAdded++
				continue
			}
			if err := checkSame(ctx, tx, "audits", key, "", a.ID, a.Raw); err != nil {
				return signins.PutResult{}, err
			}
			res.Duplicates++
		}
	}
	if err := tx.Commit(); err != nil {
		return signins.PutResult{}, fmt.Errorf("store batch: %w", err)
	}
	strs.commit()
	return res, nil
}

// timeKey is what makes a sign-in unique in the store: its time and key.
// Time is part of a record's identity: the same bytes read as another
// time (a date format read differently by another version) would be
// another record.
type timeKey struct{ t, k int64 }

// rowsPerInsert is the number of sign-ins one INSERT statement stores
// (16 values each, under SQLite's limit of 32,766 parameters).
const rowsPerInsert = 256

func putSignIns(ctx context.Context, tx *sql.Tx, strs *dictTx, recs []*signins.Record, res signins.PutResult) (signins.PutResult, error) {
	// The keys (a SHA-256 and a CRC-32C a record) on every CPU: this
	// goroutine is the import's one writer.
	keys := make([]int64, len(recs))
	const per = 256
	onEveryCPU((len(recs)+per-1)/per, func(p int) {
		for i := p * per; i < min((p+1)*per, len(recs)); i++ {
			r := recs[i]
			keys[i] = recordKey(string(r.Kind), r.ID, r.Raw)
		}
	})
	// fresh are the records not earlier in the batch; a repeated time and
	// key (what the store keeps unique) must be the same record.
	fresh := make([]int, 0, len(recs))
	inBatch := make(map[timeKey]int, len(recs))
	for i, r := range recs {
		k := timeKey{r.Time.UnixNano(), keys[i]}
		if j, ok := inBatch[k]; ok {
			if o := recs[j]; o.ID != r.ID || o.Kind != r.Kind || !bytes.Equal(o.Raw, r.Raw) {
				return res, fmt.Errorf("store signins %s (%s): key collides with %s", r.ID, r.Kind, o.ID)
			}
			res.Duplicates++
			continue
		}
		inBatch[k] = i
		fresh = append(fresh, i)
	}
	fresh, stored, err := insertSignIns(ctx, tx, strs, recs, keys, fresh)
	if err != nil {
		return res, err
	}
	if err := checkSameSignIns(ctx, tx, recs, keys, stored); err != nil {
		return res, err
	}
	res.Duplicates += len(stored)
	res.SignInsAdded += len(fresh)
	roll := map[rollKey]*rollVal{}
	names := map[string]string{}
	for _, i := range fresh {
		r := recs[i]
		t := r.Time.UnixNano()
		k := rollKey{hour: hourOf(t), kind: r.Kind, app: r.AppID, code: r.Code, outcome: r.Outcome}
		if v := roll[k]; v != nil {
			v.n++
			v.first, v.last = min(v.first, t), max(v.last, t)
		} else {
			roll[k] = &rollVal{1, t, t}
		}
		if r.AppName != "" {
			names[r.AppID] = r.AppName
		} else if _, ok := names[r.AppID]; !ok {
			names[r.AppID] = ""
		}
	}
	if len(roll) > 0 {
		up, err := tx.PrepareContext(ctx, upsertRollup)
		if err != nil {
			return res, fmt.Errorf("store rollup: %w", err)
		}
		defer up.Close()
		for k, v := range roll {
			if _, err := up.ExecContext(ctx, k.hour, string(k.kind), k.app, k.code, string(k.outcome), v.n, v.first, v.last); err != nil {
				return res, fmt.Errorf("store rollup: %w", err)
			}
		}
		ap, err := tx.PrepareContext(ctx, upsertApp)
		if err != nil {
			return res, fmt.Errorf("store apps: %w", err)
		}
		defer ap.Close()
		for id, n := range names {
			if _, err := ap.ExecContext(ctx, id, n); err != nil {
				return res, fmt.Errorf("store apps: %w", err)
			}
		}
	}
	return res, nil
}

// insertSignIns inserts recs[i] for i in which, rowsPerInsert rows per
// statement, and returns which were added and which were already stored
// (their time and key were taken). The rowids are sequential: when a
// statement stores fewer rows than it has, the rows above the previous
// largest rowid say which were added. The added records are then written
// whole into chunks, encoded and compressed on every CPU.
func insertSignIns(ctx context.Context, tx *sql.Tx, strs *dictTx, recs []*signins.Record, keys []int64, which []int) (added, stored []int, err error) {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	var top, topChunk int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(rowid), 0), (SELECT coalesce(max(id), 0) FROM chunks) FROM signins`).Scan(&top, &topChunk); err != nil {
		return nil, nil, fmt.Errorf("store sign-ins: %w", err)
	}
	added = make([]int, 0, len(which))
	isAdded := make([]bool, len(which)) // by position in which
	spans := chunkSpans(len(which), func(j int) int { return encodedSize(recs[which[j]]) })
	chunkOf := make([]int, len(which))
	for c := range len(spans) - 1 {
		for j := spans[c]; j < spans[c+1]; j++ {
			chunkOf[j] = c
		}
	}
	args := make([]any, 0, rowsPerInsert*signInValues)
	var ids [11]int64
	for off := 0; off < len(which); off += rowsPerInsert {
		part := which[off:min(off+rowsPerInsert, len(which))]
		args = args[:0]
		for j, i := range part {
			r := recs[i]
			for f, v := range [11]string{string(r.Kind), r.AppID, r.AppName, string(r.Outcome), r.SPID, r.SPName,
				r.ResourceID, r.ResourceName, r.Credential(), r.CredentialType, r.IP} {
				if ids[f], err = strs.id(ctx, v); err != nil {
					return nil, nil, fmt.Errorf("store sign-in %s: %w", r.ID, err)
				}
			}
			n := off + j
			args = append(args, r.Time.UnixNano(), keys[i], ids[0], ids[1], ids[2], r.Code, ids[3], ids[4], ids[5],
				ids[6], ids[7], ids[8], ids[9], ids[10], topChunk+1+int64(chunkOf[n]), n-spans[chunkOf[n]])
		}
		var x sql.Result
		if len(part) == rowsPerInsert {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, insertSignInsSQL(rowsPerInsert)); err != nil {
					return nil, nil, fmt.Errorf("store sign-ins: %w", err)
				}
			}
			x, err = full.ExecContext(ctx, args...)
		} else {
			x, err = tx.ExecContext(ctx, insertSignInsSQL(len(part)), args...)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("store sign-ins %s...: %w", recs[part[0]].ID, err)
		}
		got, err := x.RowsAffected()
		if err != nil {
			return nil, nil, fmt.Errorf("store sign-ins %s...: %w", recs[part[0]].ID, err)
		}
		if got == int64(len(part)) {
			for j := range part {
				isAdded[off+j] = true
			}
			top += got
			continue
		}
		news := map[timeKey]bool{}
		if got > 0 {
			rows, err := tx.QueryContext(ctx, `SELECT rowid, time, key FROM signins WHERE rowid > ?`, top)
			if err != nil {
				return nil, nil, fmt.Errorf("store sign-ins: %w", err)
			}
			for rows.Next() {
				var id int64
				var k timeKey
				if err := rows.Scan(&id, &k.t, &k.k); err != nil {
					rows.Close()
					return nil, nil, fmt.Errorf("store sign-ins: %w", err)
				}
				news[k] = true
				top = max(top, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, nil, fmt.Errorf("store sign-ins: %w", err)
			}
		}
		if len(news) != int(got) {
			return nil, nil, fmt.Errorf("store sign-ins %s...: %d rows stored, %d found", recs[part[0]].ID, got, len(news))
		}
		for j, i := range part {
			isAdded[off+j] = news[timeKey{recs[i].Time.UnixNano(), keys[i]}]
		}
	}
	for j, i := range which {
		if isAdded[j] {
			added = append(added, i)
		} else {
			stored = append(stored, i)
		}
	}
	if err := writeChunks(ctx, tx, recs, which, isAdded, spans, topChunk); err != nil {
		return nil, nil, err
	}
	return added, stored, nil
}

// writeChunks stores the added records of which in the chunks spans
// delimits, numbered from topChunk+1; a chunk whose records were all
// stored before is not written, and a record stored before leaves its
// position empty.
func writeChunks(ctx context.Context, tx *sql.Tx, recs []*signins.Record, which []int, isAdded []bool, spans []int, topChunk int64) error {
	data := make([][]byte, len(spans)-1)
	onEveryCPU(len(data), func(c int) {
		part, added := make([]*signins.Record, 0, spans[c+1]-spans[c]), false
		for j := spans[c]; j < spans[c+1]; j++ {
			if isAdded[j] {
				part, added = append(part, recs[which[j]]), true
			} else {
				part = append(part, nil)
			}
		}
		if added {
			data[c] = encodeChunk(part)
		}
	})
	for c, d := range data {
		if d == nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO chunks (id, data) VALUES (?, ?)`, topChunk+1+int64(c), d); err != nil {
			return fmt.Errorf("store sign-ins: %w", err)
		}
		putBuf(d) // the driver copied it
	}
	return nil
}

// onEveryCPU calls do(0) … do(n-1), spread over as many goroutines as
// there are CPUs, and returns when all have returned.
func onEveryCPU(n int, do func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				do(i)
			}
		}()
	}
	wg.Wait()
}

// recordKey is a record's key: the first 4 bytes of SHA-256 over kind
// and id, then the CRC-32C of the original bytes. Sign-ins are unique by
// (time, key), audit events by key. Neither is the rowid, which stays
// sequential: as the rowid the key made every insert land on a random
// page of the table, and a unique index on the key alone made every batch
// rewrite most of that index (a million narrow rows took 14.6 s with it,
// 2.9 s without); with the time first, a batch touches the few pages of
// its time range.
// The same record imported twice meets its own key and is a duplicate;
// different records sharing an id and kind (the samples reuse ids across
// categories and events) are kept, and all of them are found by a range
// over the id's half of the key. Audit events use an empty kind.
func recordKey(kind, id string, raw []byte) int64 {
	return idKey(kind, id) | int64(crc32.Checksum(raw, castagnoli))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// idKey is the high half of recordKey: the smallest key of the records
// with kind and id; idKey+keySpan is the largest.
func idKey(kind, id string) int64 {
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(id))
	var sum [sha256.Size]byte
	return int64(uint64(binary.BigEndian.Uint32(h.Sum(sum[:0]))) << 32)
}

const keySpan = 1<<32 - 1

// checkSame makes sure a key already stored belongs to the same record:
// two different records sharing a 64-bit key is an error, not a
// duplicate, so that no record is ever dropped silently.
func checkSame(ctx context.Context, tx *sql.Tx, table string, key int64, kind, id string, raw []byte) error {
	var gotID string
	var packed []byte
	if err := tx.QueryRowContext(ctx, `SELECT id, raw FROM `+table+` WHERE key = ?`, key).Scan(&gotID, &packed); err != nil {
		return fmt.Errorf("store %s %s: %w", table, id, err)
	}
	got, err := unpack(packed)
	if err != nil {
		return fmt.Errorf("store %s %s: %w", table, id, err)
	}
	if gotID != id || !bytes.Equal(got, raw) {
		return fmt.Errorf("store %s %s (%s): key collides with %s", table, id, kind, gotID)
	}
	return nil
}

// checkSameSignIns makes sure the sign-ins stored under the time and key
// of recs[i], for i in which, are those records: a different record on a
// taken key is an error, not a duplicate. Their places are looked up
// rowsPerInsert at a time.
func checkSameSignIns(ctx context.Context, tx *sql.Tx, recs []*signins.Record, keys []int64, which []int) error {
	chunks := map[int64][]*signins.Record{}
	args := make([]any, 0, 2*rowsPerInsert)
	for off := 0; off < len(which); off += rowsPerInsert {
		part := which[off:min(off+rowsPerInsert, len(which))]
		args = args[:0]
		for _, i := range part {
			args = append(args, recs[i].Time.UnixNano(), keys[i])
		}
		rows, err := tx.QueryContext(ctx, `SELECT time, key, chunk, pos FROM signins WHERE (time, key) IN (VALUES `+
			strings.TrimSuffix(strings.Repeat("(?,?),", len(part)), ",")+`)`, args...)
		if err != nil {
			return fmt.Errorf("store sign-ins: %w", err)
		}
		at := make(map[timeKey]ref, len(part))
		for rows.Next() {
			var x timeKey
			var c ref
			if err := rows.Scan(&x.t, &x.k, &c.chunk, &c.pos); err != nil {
				rows.Close()
				return fmt.Errorf("store sign-ins: %w", err)
			}
			at[x] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store sign-ins: %w", err)
		}
		for _, i := range part {
			r := recs[i]
			c, ok := at[timeKey{r.Time.UnixNano(), keys[i]}]
			if !ok {
				return fmt.Errorf("store signins %s: neither added nor found stored", r.ID)
			}
			got, err := recordAt(ctx, tx, chunks, c)
			if err != nil {
				return fmt.Errorf("store signins %s: %w", r.ID, err)
			}
			if got.ID != r.ID || got.Kind != r.Kind || !bytes.Equal(got.Raw, r.Raw) {
				return fmt.Errorf("store signins %s (%s): key collides with %s", r.ID, r.Kind, got.ID)
			}
		}
	}
	return nil
}

// ref is where a sign-in is stored.
type ref struct{ chunk, pos int64 }

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// recordAt returns the sign-in at c, reading and decoding its chunk
// unless chunks holds it.
func recordAt(ctx context.Context, q queryRower, chunks map[int64][]*signins.Record, c ref) (*signins.Record, error) {
	recs, ok := chunks[c.chunk]
	if !ok {
		var data []byte
		if err := q.QueryRowContext(ctx, `SELECT data FROM chunks WHERE id = ?`, c.chunk).Scan(&data); err != nil {
			return nil, fmt.Errorf("chunk %d: %w", c.chunk, err)
		}
		var err error
		if recs, err = decodeChunk(data); err != nil {
			return nil, fmt.Errorf("chunk %d: %w", c.chunk, err)
		}
		chunks[c.chunk] = recs
	}
	if c.pos < 0 || c.pos >= int64(len(recs)) || recs[c.pos] == nil {
		return nil, fmt.Errorf("chunk %d has no sign-in at %d: %w", c.chunk, c.pos, errChunk)
	}
	return recs[c.pos], nil
}

// signInsAt runs query, which selects chunk and pos, and returns the
// sign-ins it names in its order.
func (s *Store) signInsAt(ctx context.Context, query string, args ...any) ([]signins.Record, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var refs []ref
	for rows.Next() {
		var c ref
		if err := rows.Scan(&c.chunk, &c.pos); err != nil {
			rows.Close()
			return nil, err
		}
		refs = append(refs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	chunks := map[int64][]*signins.Record{}
	out := make([]signins.Record, 0, len(refs))
	for _, c := range refs {
		r, err := recordAt(ctx, s.db, chunks, c)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, nil
}

const hourNS = int64(time.Hour)

func hourOf(ns int64) int64 {
	h := ns / hourNS
	if ns < 0 && ns%hourNS != 0 {
		h--
	}
	return h
}

// SignIn returns the sign-ins stored under id. The key's high half is
// idKey(kind, id), so the covering (time, key) index is scanned for the
// key ranges of the id in every kind, without reading the table.
func (s *Store) SignIn(ctx context.Context, id string) ([]signins.Record, error) {
	var conds []string
	var args []any
	for _, k := range signins.Kinds() {
		lo := idKey(string(k), id)
		conds, args = append(conds, "key BETWEEN ? AND ?"), append(args, lo, lo+keySpan)
	}
	recs, err := s.signInsAt(ctx, `SELECT chunk, pos FROM signins WHERE rowid IN (SELECT rowid FROM signins WHERE `+
		strings.Join(conds, " OR ")+`) ORDER BY rowid`, args...)
	if err != nil {
		return nil, fmt.Errorf("sign-in %s: %w", id, err)
	}
	out := recs[:0]
	for _, r := range recs {
		if r.ID == id {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sign-in %s: %w", id, signins.ErrNotFound)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Time.Before(out[j].Time)
	})
	return out, nil
}

// SignIns returns the sign-ins matching f, oldest first.
func (s *Store) SignIns(ctx context.Context, f signins.Filter, limit int) ([]signins.Record, error) {
	where, args := whereOf(f)
	order := ` ORDER BY time, rowid`
	if f.Newest {
		order = ` ORDER BY time DESC, rowid DESC`
	}
	q := `SELECT chunk, pos FROM signins` + where + order
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	out, err := s.signInsAt(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list sign-ins: %w", err)
	}
	return out, nil
}

// Count counts the sign-ins matching f.
func (s *Store) Count(ctx context.Context, f signins.Filter) (int, error) {
	query, args := `SELECT count(*) FROM signins`, []any(nil)
	if s.rollupServes(ctx, signins.Query{Filter: f, By: signins.ByCode}) {
		// The hourly rollup counts the same records without reading them.
		conds, cargs := rollupWhere(f)
		query, args = `SELECT coalesce(sum(n), 0) FROM rollup`+conds, cargs
	} else {
		var where string
		where, args = whereOf(f)
		query += where
	}
	var n int
	if err := s.db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count sign-ins: %w", err)
	}
	return n, nil
}

const auditCols = `id, time, activity, category, result, correlation_id, tenant, initiated_by,
	target_type, target_id, target_name, app_id, credential_change, keys, format, raw`

func scanAudits(rows *sql.Rows) ([]signins.AuditEvent, error) {
	defer rows.Close()
	var out []signins.AuditEvent
	for rows.Next() {
		var a signins.AuditEvent
		var t int64
		var keys, format string
		var raw []byte
		if err := rows.Scan(&a.ID, &t, &a.Activity, &a.Category, &a.Result, &a.CorrelationID, &a.TenantID, &a.InitiatedBy,
			&a.TargetType, &a.TargetID, &a.TargetName, &a.AppID, &a.CredentialChange, &keys, &format, &raw); err != nil {
			return nil, err
		}
		a.Time, a.Format = time.Unix(0, t).UTC(), signins.Format(format)
		if err := json.Unmarshal([]byte(keys), &a.Keys); err != nil {
			return nil, fmt.Errorf("audit %s keys: %w", a.ID, err)
		}
		if len(a.Keys) == 0 {
			a.Keys = nil
		}
		var err error
		if a.Raw, err = unpack(raw); err != nil {
			return nil, fmt.Errorf("audit %s: %w", a.ID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Audit returns the audit event with id.
func (s *Store) Audit(ctx context.Context, id string) (signins.AuditEvent, error) {
	lo := idKey("", id)
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditCols+` FROM audits WHERE key BETWEEN ? AND ? AND id = ? ORDER BY time, rowid LIMIT 1`, lo, lo+keySpan, id)
	if err != nil {
		return signins.AuditEvent{}, fmt.Errorf("audit %s: %w", id, err)
	}
	out, err := scanAudits(rows)
	if err != nil {
		return signins.AuditEvent{}, fmt.Errorf("audit %s: %w", id, err)
	}
	if len(out) == 0 {
		return signins.AuditEvent{}, fmt.Errorf("audit %s: %w", id, signins.ErrNotFound)
	}
	return out[0], nil
}

// Audits returns the audit events matching f, oldest first.
func (s *Store) Audits(ctx context.Context, f signins.AuditFilter) ([]signins.AuditEvent, error) {
	var conds []string
	var args []any
	if !f.Since.IsZero() {
		conds, args = append(conds, "time >= ?"), append(args, f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, "time < ?"), append(args, f.Until.UnixNano())
	}
	if f.CredentialOnly {
		conds = append(conds, "credential_change = 1")
	}
	q := `SELECT ` + auditCols + ` FROM audits`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY time, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list audits: %w", err)
	}
	return scanAudits(rows)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func whereOf(f signins.Filter) (string, []any) {
	conds, args := signInConds(f)
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// timeConds are the time bounds of f over column.
func timeConds(f signins.Filter, column string) ([]string, []any) {
	var conds []string
	var args []any
	if !f.Since.IsZero() {
		conds, args = append(conds, column+" >= ?"), append(args, f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, column+" < ?"), append(args, f.Until.UnixNano())
	}
	return conds, args
}

// codesIn is the condition that code is one of codes.
func codesIn(codes []int) (string, []any) {
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	return "code IN (" + placeholders(len(codes)) + ")", args
}

// signInConds builds the conditions of f over the signins table, whose
// strings are ids in strs. Apps match the id or, case-insensitively, the
// display name.
func signInConds(f signins.Filter) ([]string, []any) {
	conds, args := timeConds(f, "time")
	in := func(column string, values []string, fold bool) {
		ph, lower := placeholders(len(values)), "s"
		if fold {
			ph, lower = strings.TrimSuffix(strings.Repeat("lower(?),", len(values)), ","), "lower(s)"
		}
		conds = append(conds, column+" IN (SELECT id FROM strs WHERE "+lower+" IN ("+ph+"))")
		for _, v := range values {
			args = append(args, v)
		}
	}
	if len(f.Apps) > 0 {
		in("app", f.Apps, false)
		in("app_name", f.Apps, true)
		n := len(conds)
		conds = append(conds[:n-2], "("+conds[n-2]+" OR "+conds[n-1]+")")
	}
	if len(f.Codes) > 0 {
		c, a := codesIn(f.Codes)
		conds, args = append(conds, c), append(args, a...)
	}
	if len(f.Kinds) > 0 {
		in("kind", stringsOf(f.Kinds), false)
	}
	if len(f.Outcomes) > 0 {
		in("outcome", stringsOf(f.Outcomes), false)
	}
	return conds, args
}

// rollupConds builds the conditions of f but its time bounds over the
// rollup, which keeps strings and knows apps by id only.
func rollupConds(f signins.Filter) ([]string, []any) {
	var conds []string
	var args []any
	in := func(column string, values []string) {
		conds = append(conds, column+" IN ("+placeholders(len(values))+")")
		for _, v := range values {
			args = append(args, v)
		}
	}
	if len(f.Apps) > 0 {
		in("app_id", f.Apps)
	}
	if len(f.Codes) > 0 {
		c, a := codesIn(f.Codes)
		conds, args = append(conds, c), append(args, a...)
	}
	if len(f.Kinds) > 0 {
		in("kind", stringsOf(f.Kinds))
	}
	if len(f.Outcomes) > 0 {
		in("outcome", stringsOf(f.Outcomes))
	}
	return conds, args
}

func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
