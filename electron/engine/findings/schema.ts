// Case tables for findings, their rows, reviews and thresholds (idempotent DDL, run on every case open).
// `finding_rows` is also read by the shared filter's `finding` condition.
export const FINDING_TABLES: string[] = [
  `CREATE TABLE IF NOT EXISTS finding_rows (finding_id VARCHAR NOT NULL, row_id BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS findings (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    explanation VARCHAR NOT NULL,
    users VARCHAR[],
    ips VARCHAR[],
    countries VARCHAR[],
    first_utc TIMESTAMP,
    last_utc TIMESTAMP,
    row_count BIGINT NOT NULL,
    detector_sql VARCHAR NOT NULL,
    metrics JSON,
    computed_at TIMESTAMP NOT NULL
  )`,
  // Added with triage scoring; cases made before it get them on open (recomputed on the next run).
  `ALTER TABLE findings ADD COLUMN IF NOT EXISTS score INTEGER`,
  `ALTER TABLE findings ADD COLUMN IF NOT EXISTS accounts BIGINT`,
  `ALTER TABLE findings ADD COLUMN IF NOT EXISTS successes BIGINT`,
  `CREATE TABLE IF NOT EXISTS finding_suppressions (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR,
    entity VARCHAR,
    note VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS finding_reviews (
    finding_id VARCHAR PRIMARY KEY,
    state VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    kind VARCHAR,
    title VARCHAR,
    reviewed_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS finding_thresholds (key VARCHAR PRIMARY KEY, value DOUBLE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS finding_runs (computed_at TIMESTAMP NOT NULL, signin_rows BIGINT NOT NULL, findings BIGINT NOT NULL, ms DOUBLE NOT NULL, thresholds JSON NOT NULL)`,
];
