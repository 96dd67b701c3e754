import type { Database } from '../db/database';
import { createSigninsTableSql } from './canonical';

/**
 * Every table a case holds. Each capability contributes its own DDL (idempotent,
 * CREATE … IF NOT EXISTS) so that opening an older case upgrades it in place.
 */
const CASE_TABLES: string[] = [
  createSigninsTableSql(),
  // Annotations (tags, notes) — stored in the case, never in the evidence.
  `CREATE TABLE IF NOT EXISTS tags (tag_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, color VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS row_tags (row_id BIGINT NOT NULL, tag_id INTEGER NOT NULL, tagged_at TIMESTAMP NOT NULL, PRIMARY KEY (row_id, tag_id))`,
  // Findings: which rows each finding points at.
  `CREATE TABLE IF NOT EXISTS finding_rows (finding_id VARCHAR NOT NULL, row_id BIGINT NOT NULL)`,
];

export async function ensureCaseSchema(db: Database): Promise<void> {
  for (const ddl of CASE_TABLES) await db.run(ddl);
}
