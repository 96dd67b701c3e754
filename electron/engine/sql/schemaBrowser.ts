import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/database';
import { CONSOLE_CATALOG } from './guardedInstance';

export interface SchemaTable {
  name: string;
  kind: 'table' | 'view';
  rows: number | null;
  columns: Array<{ name: string; type: string }>;
}

/** Tables and views of the case as the console sees them, with exact row counts for tables. */
export async function describeCase(con: DuckDBConnection): Promise<SchemaTable[]> {
  const objects = (
    await con.runAndReadAll(
      `SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'
       UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE database_name = ? AND schema_name = 'main' AND NOT internal
       ORDER BY name`,
      [CONSOLE_CATALOG, CONSOLE_CATALOG],
    )
  ).getRowObjectsJson();
  const columns = (
    await con.runAndReadAll(
      `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name, column_index`,
      [CONSOLE_CATALOG],
    )
  ).getRowObjectsJson();
  const out: SchemaTable[] = [];
  for (const o of objects) {
    const name = String(o.name);
    const kind = o.kind === 'view' ? 'view' : 'table';
    // Names come from DuckDB's own catalog, not from the user; quoted all the same.
    const rows = kind === 'table' ? Number((await con.runAndReadAll(`SELECT count(*) AS n FROM ${quoteIdent(CONSOLE_CATALOG)}.main.${quoteIdent(name)}`)).getRowObjectsJson()[0]!.n) : null;
    out.push({
      name,
      kind,
      rows,
      columns: columns.filter((c) => c.table_name === name).map((c) => ({ name: String(c.column_name), type: String(c.data_type) })),
    });
  }
  // The sign-in table first: it is what most queries start from.
  return out.sort((a, b) => (a.name === 'signins' ? -1 : b.name === 'signins' ? 1 : 0));
}

/** DuckDB's function names for completion (scalar, aggregate, table and macros). */
export async function functionNames(con: DuckDBConnection): Promise<string[]> {
  const rows = (
    await con.runAndReadAll(
      `SELECT DISTINCT function_name FROM duckdb_functions()
       WHERE function_type IN ('scalar', 'aggregate', 'table', 'macro', 'table_macro')
       ORDER BY function_name`,
    )
  ).getRowObjectsJson();
  return rows.map((r) => String(r.function_name)).filter((n) => /^[a-z_][a-z0-9_]*$/i.test(n) && !n.startsWith('__'));
}
