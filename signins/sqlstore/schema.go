package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/aadsts/aadsts/signins"
)

// A migration is SQL, then an optional Go step for what SQL cannot
// compute (hashes), both in the migration's transaction.
type migration struct {
	sql string
	fn  func(ctx context.Context, tx *sql.Tx) error
	// vacuum rewrites the file after the migration committed, when it
	// freed most of it.
	vacuum bool
}

// migrations is the ordered schema history. Each entry runs in its own
// transaction and is recorded in schema_migrations; entries are never
// edited once released, only appended.
var migrations = []migration{
	// 1: sign-ins, audit events, and the hourly rollup reports read.
	{sql: `CREATE TABLE signins (
		key INTEGER NOT NULL UNIQUE, -- keyOf(kind, id); the rowid stays sequential
		id TEXT NOT NULL,
		kind TEXT NOT NULL,
		time INTEGER NOT NULL,
		tenant TEXT NOT NULL,
		app_id TEXT NOT NULL,
		app_name TEXT NOT NULL,
		sp_id TEXT NOT NULL,
		sp_name TEXT NOT NULL,
		resource_id TEXT NOT NULL,
		resource_name TEXT NOT NULL,
		user_id TEXT NOT NULL,
		upn TEXT NOT NULL,
		user_name TEXT NOT NULL,
		ip TEXT NOT NULL,
		location TEXT NOT NULL,
		code INTEGER NOT NULL,
		failure_reason TEXT NOT NULL,
		outcome TEXT NOT NULL,
		cred_type TEXT NOT NULL,
		cred_key_id TEXT NOT NULL,
		cred_thumbprint TEXT NOT NULL,
		fic_id TEXT NOT NULL,
		correlation_id TEXT NOT NULL,
		request_id TEXT NOT NULL,
		ca_status TEXT NOT NULL,
		format TEXT NOT NULL,
		raw BLOB
	);
	CREATE INDEX signins_time ON signins(time);
	CREATE TABLE audits (
		id TEXT PRIMARY KEY,
		time INTEGER NOT NULL,
		activity TEXT NOT NULL,
		category TEXT NOT NULL,
		result TEXT NOT NULL,
		correlation_id TEXT NOT NULL,
		tenant TEXT NOT NULL,
		initiated_by TEXT NOT NULL,
		target_type TEXT NOT NULL,
		target_id TEXT NOT NULL,
		target_name TEXT NOT NULL,
		app_id TEXT NOT NULL,
		credential_change INTEGER NOT NULL,
		keys TEXT NOT NULL,
		format TEXT NOT NULL,
		raw BLOB
	);
	CREATE INDEX audits_time ON audits(time);
	CREATE TABLE rollup (
		hour INTEGER NOT NULL,
		kind TEXT NOT NULL,
		app_id TEXT NOT NULL,
		code INTEGER NOT NULL,
		outcome TEXT NOT NULL,
		n INTEGER NOT NULL,
		first INTEGER NOT NULL,
		last INTEGER NOT NULL,
		PRIMARY KEY (hour, kind, app_id, code, outcome)
	) WITHOUT ROWID;
	CREATE TABLE apps (
		app_id TEXT PRIMARY KEY,
		name TEXT NOT NULL
	) WITHOUT ROWID;`},
	// 2: keys name the record, not only its id: sign-ins are rekeyed by
	// signInKey (kind, id and the original bytes), audit events get a key
	// by id and original bytes in place of the id as primary key, so two
	// different records sharing an id are both kept.
	{sql: `CREATE TABLE audits2 (
		key INTEGER NOT NULL UNIQUE, -- auditKey(id, raw)
		id TEXT NOT NULL,
		time INTEGER NOT NULL,
		activity TEXT NOT NULL,
		category TEXT NOT NULL,
		result TEXT NOT NULL,
		correlation_id TEXT NOT NULL,
		tenant TEXT NOT NULL,
		initiated_by TEXT NOT NULL,
		target_type TEXT NOT NULL,
		target_id TEXT NOT NULL,
		target_name TEXT NOT NULL,
		app_id TEXT NOT NULL,
		credential_change INTEGER NOT NULL,
		keys TEXT NOT NULL,
		format TEXT NOT NULL,
		raw BLOB
	);
	INSERT INTO audits2 SELECT rowid, id, time, activity, category, result, correlation_id, tenant,
		initiated_by, target_type, target_id, target_name, app_id, credential_change, keys, format, raw FROM audits;
	DROP TABLE audits;
	ALTER TABLE audits2 RENAME TO audits;
	CREATE INDEX audits_time ON audits(time);`, fn: rekey},
	// 3: sign-ins are stored whole in compressed chunks (chunk.go), and
	// the signins table keeps a narrow row per record: the strings it is
	// grouped and filtered by as ids of strs, and (time, key) as its one
	// index, which serves time ranges and keeps inserts in time order
	// (the unique key alone scattered them over the whole index).
	{sql: `ALTER TABLE signins RENAME TO signins_v2;
	CREATE TABLE strs (id INTEGER PRIMARY KEY, s TEXT NOT NULL UNIQUE);
	CREATE TABLE chunks (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
	CREATE TABLE signins (
		time INTEGER NOT NULL,
		key INTEGER NOT NULL,   -- recordKey(kind, id, original bytes)
		kind INTEGER NOT NULL,  -- this and the other string columns: strs.id
		app INTEGER NOT NULL,
		app_name INTEGER NOT NULL,
		code INTEGER NOT NULL,
		outcome INTEGER NOT NULL,
		sp INTEGER NOT NULL,
		sp_name INTEGER NOT NULL,
		resource INTEGER NOT NULL,
		resource_name INTEGER NOT NULL,
		cred INTEGER NOT NULL,  -- key id, else thumbprint, else federated credential id
		cred_type INTEGER NOT NULL,
		ip INTEGER NOT NULL,
		chunk INTEGER NOT NULL, -- chunks.id
		pos INTEGER NOT NULL,   -- position in the chunk
		UNIQUE (time, key)
	);`, fn: chunkSignIns, vacuum: true},
}

// chunkSignIns moves migration 2's sign-ins into migration 3's tables, in
// their order, a page at a time.
func chunkSignIns(ctx context.Context, tx *sql.Tx) error {
	strs := newDict().begin(tx)
	defer strs.close()
	const page = 4096
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT rowid, key, id, kind, time, tenant, app_id, app_name, sp_id, sp_name, resource_id,
			resource_name, user_id, upn, user_name, ip, location, code, failure_reason, outcome, cred_type, cred_key_id,
			cred_thumbprint, fic_id, correlation_id, request_id, ca_status, format, raw FROM signins_v2 WHERE rowid > ? ORDER BY rowid LIMIT ?`, after, page)
		if err != nil {
			return fmt.Errorf("move sign-ins: %w", err)
		}
		var recs []*signins.Record
		var keys []int64
		for rows.Next() {
			r := &signins.Record{}
			var key, t int64
			var raw []byte
			if err := rows.Scan(&after, &key, &r.ID, (*string)(&r.Kind), &t, &r.TenantID, &r.AppID, &r.AppName, &r.SPID, &r.SPName,
				&r.ResourceID, &r.ResourceName, &r.UserID, &r.UserPrincipal, &r.UserName, &r.IP, &r.Location, &r.Code,
				&r.FailureReason, (*string)(&r.Outcome), &r.CredentialType, &r.CredentialKeyID, &r.CredentialThumbprint,
				&r.FederatedCredentialID, &r.CorrelationID, &r.RequestID, &r.CAStatus, (*string)(&r.Format), &raw); err != nil {
				rows.Close()
				return fmt.Errorf("move sign-ins: %w", err)
			}
			r.Time = time.Unix(0, t).UTC()
			if r.Raw, err = unpack(raw); err != nil {
				rows.Close()
				return fmt.Errorf("move sign-in %s: %w", r.ID, err)
			}
			recs, keys = append(recs, r), append(keys, key)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("move sign-ins: %w", err)
		}
		if len(recs) == 0 {
			break
		}
		which := make([]int, len(recs))
		for i := range which {
			which[i] = i
		}
		_, stored, err := insertSignIns(ctx, tx, strs, recs, keys, which)
		if err != nil {
			return fmt.Errorf("move sign-ins: %w", err)
		}
		if len(stored) > 0 {
			return fmt.Errorf("move sign-ins: %s stored twice under one key", recs[stored[0]].ID)
		}
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE signins_v2`); err != nil {
		return fmt.Errorf("move sign-ins: %w", err)
	}
	return nil
}

// rekey computes migration 2's keys of the rows already stored.
func rekey(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []struct{ table, cols string }{{"signins", "kind, id, raw"}, {"audits", "'', id, raw"}} {
		rows, err := tx.QueryContext(ctx, `SELECT rowid, `+t.cols+` FROM `+t.table)
		if err != nil {
			return fmt.Errorf("rekey %s: %w", t.table, err)
		}
		type rk struct{ rowid, key int64 }
		var keys []rk
		for rows.Next() {
			var rowid int64
			var kind, id string
			var packed []byte
			if err := rows.Scan(&rowid, &kind, &id, &packed); err != nil {
				rows.Close()
				return fmt.Errorf("rekey %s: %w", t.table, err)
			}
			raw, err := unpack(packed)
			if err != nil {
				rows.Close()
				return fmt.Errorf("rekey %s %s: %w", t.table, id, err)
			}
			keys = append(keys, rk{rowid, recordKey(kind, id, raw)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("rekey %s: %w", t.table, err)
		}
		// Negated rowids first, so that no new key meets an old one.
		if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET key = -rowid`); err != nil {
			return fmt.Errorf("rekey %s: %w", t.table, err)
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET key = ? WHERE rowid = ?`, k.key, k.rowid); err != nil {
				return fmt.Errorf("rekey %s: %w", t.table, err)
			}
		}
	}
	return nil
}
