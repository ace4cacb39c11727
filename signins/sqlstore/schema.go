package sqlstore

// migrations is the ordered schema history. Each entry runs in its own
// transaction and is recorded in schema_migrations; entries are never
// edited once released, only appended.
var migrations = []string{
	// 1: sign-ins, audit events, and the hourly rollup reports read.
	`CREATE TABLE signins (
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
	) WITHOUT ROWID;`,
}
