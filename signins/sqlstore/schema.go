package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// A migration is SQL, then an optional Go step for what SQL cannot
// compute (hashes), both in the migration's transaction.
type migration struct {
	sql string
	fn  func(ctx context.Context, tx *sql.Tx) error
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
