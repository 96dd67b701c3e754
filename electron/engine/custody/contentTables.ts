import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../db/database';
import { relationChecksum, tableColumns } from '../parquet/tableChecksum';
import { quoteIdent } from '../db/database';

/**
 * The tables that hold what a case says: the imported rows and everything an analyst adds.
 * Every change to one of them is recorded in the audit chain with the table's row count and
 * content checksum, and `verify` recomputes them. Tables left out are caches and derived
 * results that Signet rebuilds from these at will (findings, finding_rows, finding_runs,
 * geo_places, geo_cache_meta, the grid's text-value caches), and the audit log itself, which
 * the hash chain covers.
 */
export const CONTENT_TABLES = [
  'signins',
  'sources',
  'rejected_rows',
  'row_sources',
  'auth_details',
  'graph_activity',
  'source_index',
  'tags',
  'row_tags',
  'row_notes',
  'view_settings',
  'finding_reviews',
  'finding_suppressions',
  'sweeps',
  'sweep_hits',
  'saved_views',
  'colour_rules',
  'finding_thresholds',
  'saved_queries',
  'query_history',
  'geo_ip_enrichment',
] as const;

export type ContentTable = (typeof CONTENT_TABLES)[number];

/** What an import writes (the rows, the sources mirror, rejects, sightings, record positions). */
export const IMPORT_WRITES: readonly ContentTable[] = ['signins', 'sources', 'rejected_rows', 'row_sources', 'auth_details', 'graph_activity', 'source_index'];

/**
 * How the checksum is computed, stored next to it: the sum of DuckDB's hash() over each
 * row's recorded columns (order-independent, sensitive to duplicates and to every column).
 * DuckDB's hash is not a cryptographic hash, and may differ between DuckDB versions.
 */
export const TABLE_CHECKSUM_METHOD = 'sum-duckdb-hash-v1';

/** A table's recorded state: rows, checksum, and the columns the checksum covers (in name order). */
export interface TableState {
  rows: number;
  checksum: string;
  columns: string[];
}

async function tableExists(db: Database, table: string, con?: DuckDBConnection): Promise<boolean> {
  const n = await db.scalar(`SELECT count(*) FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND table_name = ?`, [table], con);
  return Number(n) > 0;
}

/**
 * The table's state now. With `columns`, the checksum covers exactly those (as recorded),
 * so a column added later by a schema upgrade does not change the figure; a recorded column
 * that no longer exists is reported by the caller.
 */
export async function tableState(db: Database, table: string, con?: DuckDBConnection, columns?: string[]): Promise<TableState> {
  if (!(await tableExists(db, table, con))) return { rows: 0, checksum: '0', columns: columns ?? [] };
  const present = (await tableColumns(db, table, 'main', con)).map((c) => c.name);
  const use = (columns ?? present).filter((c) => present.includes(c)).sort();
  const sum = await relationChecksum(db, quoteIdent(table), use.map((name) => ({ name, type: '' })), con);
  return { rows: sum.rows, checksum: sum.checksum, columns: use };
}
