// Case tables for findings, their rows and reviews (idempotent DDL, run on every case open).
export const FINDING_TABLES: string[] = [`CREATE TABLE IF NOT EXISTS finding_rows (finding_id VARCHAR NOT NULL, row_id BIGINT NOT NULL)`];
