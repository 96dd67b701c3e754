// Case tables for the SQL console: the history of every query run against the case
// and the analyst's saved, named queries (idempotent DDL, run on every case open).
export const QUERY_HISTORY_TABLE = 'query_history';
export const SAVED_QUERIES_TABLE = 'saved_queries';

export const SQL_TABLES: string[] = [
  `CREATE TABLE IF NOT EXISTS ${QUERY_HISTORY_TABLE} (
    id BIGINT PRIMARY KEY,
    ran_at TIMESTAMP NOT NULL,
    sql VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    rows BIGINT,
    duration_ms DOUBLE NOT NULL,
    message VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS ${SAVED_QUERIES_TABLE} (
    id BIGINT PRIMARY KEY,
    name VARCHAR NOT NULL UNIQUE,
    sql VARCHAR NOT NULL,
    description VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];
