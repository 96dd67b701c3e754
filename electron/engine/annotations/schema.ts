// Case tables for tags, notes and per-case view settings (idempotent DDL, run on every
// case open). Stored in the case, never in the evidence.
export const ANNOTATION_TABLES: string[] = [
  `CREATE TABLE IF NOT EXISTS tags (tag_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, color VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS row_tags (row_id BIGINT NOT NULL, tag_id INTEGER NOT NULL, tagged_at TIMESTAMP NOT NULL, PRIMARY KEY (row_id, tag_id))`,
  `CREATE TABLE IF NOT EXISTS row_notes (note_id INTEGER PRIMARY KEY, row_id BIGINT NOT NULL, text VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS view_settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)`,
];
