// Case tables for the audit log (idempotent DDL, run on every case open).
// time_utc is kept as the exact ISO text that was hashed, so re-hashing never depends
// on how a TIMESTAMP round-trips.
export const AUDIT_TABLE = 'audit_log';

export const CUSTODY_TABLES: string[] = [
  `CREATE TABLE IF NOT EXISTS ${AUDIT_TABLE} (
    seq BIGINT PRIMARY KEY,
    time_utc VARCHAR NOT NULL,
    user_name VARCHAR NOT NULL,
    app_version VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    detail VARCHAR NOT NULL,
    prev_hash VARCHAR NOT NULL,
    hash VARCHAR NOT NULL
  )`,
];
