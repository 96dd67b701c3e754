import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../db/database';
import { quoteIdent } from '../db/database';

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface TableChecksum {
  rows: number;
  /** Sum of DuckDB hash() over every row's columns (sorted by name): order-independent, duplicate-sensitive. */
  checksum: string;
}

/**
 * Content checksum of a relation (a table name or a parenthesised SELECT), over the given
 * columns in name order, so the same rows give the same figure whatever the column order
 * or row order of the container (DuckDB table, Parquet files, another engine).
 */
export async function relationChecksum(db: Database, relation: string, columns: ColumnInfo[], con?: DuckDBConnection): Promise<TableChecksum> {
  const cols = [...columns].map((c) => c.name).sort();
  const hashExpr = cols.length ? `hash(${cols.map(quoteIdent).join(', ')})` : '0';
  const row = await db.one<{ n: string; s: string | null }>(`SELECT count(*) AS n, sum(${hashExpr})::VARCHAR AS s FROM ${relation}`, [], con);
  return { rows: Number(row?.n ?? 0), checksum: row?.s ?? '0' };
}

/** Base tables of the case (temporary paging tables excluded), by name. */
export async function caseTables(db: Database, database = 'main', con?: DuckDBConnection): Promise<string[]> {
  const rows = await db.all<{ t: string }>(
    `SELECT table_name AS t FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND database_name = (CASE WHEN ? = 'main' THEN current_database() ELSE ? END) ORDER BY 1`,
    [database, database],
    con,
  );
  return rows.map((r) => r.t);
}

export async function tableColumns(db: Database, table: string, database = 'main', con?: DuckDBConnection): Promise<ColumnInfo[]> {
  return db.all<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
     WHERE schema_name = 'main' AND table_name = ? AND database_name = (CASE WHEN ? = 'main' THEN current_database() ELSE ? END)
     ORDER BY column_index`,
    [table, database, database],
    con,
  );
}

/** A path as a SQL string literal (COPY and read_parquet take literals, not parameters). */
export function sqlPathLiteral(path: string): string {
  return `'${path.replace(/'/g, "''")}'`;
}
