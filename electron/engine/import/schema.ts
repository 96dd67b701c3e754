// Case tables owned by the importer (idempotent DDL, run on every case open).
//
// - sources: one row per imported file (or archive entry), mirroring manifest.json inside the
//   database so that SQL can join rows to their evidence.
// - rejected_rows: every record that could not become a sign-in row, with file, line/record,
//   reason and the raw text; nothing is silently dropped.
// - row_sources: further sightings of a sign-in row that was already in the case (an identical
//   record in an overlapping export). The first sighting is the row's own source_file/record.
// - source_index: record starts in plain evidence files, to read a row's original record back.
// - auth_details: the portal's AuthDetails download, several steps per sign-in, joined by request_id.
// - graph_activity: MicrosoftGraphActivityLogs, joined to sign-ins by
//   graph_activity.sign_in_activity_id = signins.unique_token_identifier.
export const IMPORT_TABLES: string[] = [
  `CREATE TABLE IF NOT EXISTS sources (
    id INTEGER,
    path VARCHAR,
    name VARCHAR,
    entry VARCHAR,
    sha256 VARCHAR,
    bytes BIGINT,
    shape VARCHAR,
    log_type VARCHAR,
    "read" BIGINT,
    imported BIGINT,
    duplicates BIGINT,
    rejected BIGINT,
    imported_at TIMESTAMP
  )`,
  `CREATE TABLE IF NOT EXISTS rejected_rows (
    source_id INTEGER,
    source_file VARCHAR,
    source_record BIGINT,
    reason VARCHAR,
    raw VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS row_sources (
    row_id BIGINT,
    source_id INTEGER,
    source_file VARCHAR,
    source_record BIGINT
  )`,
  // Where copies of one sign-in disagree (docs/schema.md, "One event, one row"): the kept
  // row, the column, the kept value, the copy's value, and where the copy was read.
  `CREATE TABLE IF NOT EXISTS row_conflicts (
    row_id BIGINT,
    "column" VARCHAR,
    kept VARCHAR,
    other VARCHAR,
    source_id INTEGER,
    source_file VARCHAR,
    source_record BIGINT
  )`,
  `CREATE TABLE IF NOT EXISTS auth_details (
    request_id VARCHAR,
    step INTEGER,
    step_time_utc TIMESTAMP,
    method VARCHAR,
    method_detail VARCHAR,
    succeeded BOOLEAN,
    result_detail VARCHAR,
    requirement VARCHAR,
    source_id INTEGER,
    source_file VARCHAR,
    source_record BIGINT,
    raw JSON
  )`,
  `CREATE TABLE IF NOT EXISTS graph_activity (
    row_id BIGINT,
    time_utc TIMESTAMP,
    request_id VARCHAR,
    sign_in_activity_id VARCHAR,
    tenant_id VARCHAR,
    user_id VARCHAR,
    app_id VARCHAR,
    service_principal_id VARCHAR,
    ip_address VARCHAR,
    user_agent VARCHAR,
    request_method VARCHAR,
    request_uri VARCHAR,
    response_status_code INTEGER,
    response_size_bytes BIGINT,
    duration_ms BIGINT,
    api_version VARCHAR,
    client_request_id VARCHAR,
    operation_id VARCHAR,
    roles VARCHAR,
    scopes VARCHAR,
    wids VARCHAR,
    token_issued_at_utc TIMESTAMP,
    location VARCHAR,
    source_id INTEGER,
    source_file VARCHAR,
    source_record BIGINT,
    raw JSON
  )`,
  // Graph activity rows are numbered (row_id) so that a view can page them and link to them.
  `ALTER TABLE graph_activity ADD COLUMN IF NOT EXISTS row_id BIGINT`,
  // Where records start in each plain evidence file (every 1024th line, or every 256th JSON
  // record), so a row's original record can be read back from the evidence instead of being
  // copied into the case. extent: csv-record | line | json-value.
  `CREATE TABLE IF NOT EXISTS source_index (
    source_id INTEGER,
    extent VARCHAR,
    depth INTEGER,
    delimiter VARCHAR,
    trailing_comma BOOLEAN,
    ordinal BIGINT,
    byte_offset BIGINT
  )`,
  // Every file that held each row: its first sighting plus the duplicates seen later.
  `CREATE OR REPLACE VIEW row_provenance AS
    SELECT row_id, source_file, source_record, true AS first_seen FROM signins
    UNION ALL
    SELECT row_id, source_file, source_record, false AS first_seen FROM row_sources`,
];
