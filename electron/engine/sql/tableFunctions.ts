import type { DuckDBConnection } from '../db/duckdb';

/**
 * The table functions (and table macros) a console query may call. Everything else is
 * refused before DuckDB binds or runs the statement: several built-in table functions
 * change the instance (enable_logging, enable_peg_parser, disable_profiling,
 * checkpoint, force_checkpoint, truncate_duckdb_logs), run SQL text of their own (query,
 * query_table, json_execute_serialized_sql) or read files, and a logging setup that the
 * locked instance refuses aborts the whole process from a background thread — no error
 * reaches JavaScript. An allow-list keeps any function a later DuckDB adds out too.
 *
 * Each entry only reads: generators, list and JSON expansion, and the catalog and
 * setting views an analyst (or the schema browser) uses to look around.
 */
export const ALLOWED_TABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  // generators and expansion
  'range',
  'generate_series',
  'unnest',
  'repeat',
  'json_each',
  'json_tree',
  'histogram_values',
  // the catalog, read-only
  'duckdb_columns',
  'duckdb_constraints',
  'duckdb_databases',
  'duckdb_dependencies',
  'duckdb_functions',
  'duckdb_indexes',
  'duckdb_keywords',
  'duckdb_schemas',
  'duckdb_sequences',
  'duckdb_settings',
  'duckdb_tables',
  'duckdb_types',
  'duckdb_views',
  'duckdb_memory',
  'duckdb_optimizers',
  'pragma_table_info',
  'pragma_show',
  'pragma_version',
  'pragma_platform',
  'pragma_database_size',
  'pragma_storage_info',
  'pragma_collations',
  // reference data
  'pg_timezone_names',
  'icu_calendar_names',
]);

const MAX_NESTING = 10_000;

/**
 * The table functions a single SELECT-style statement calls, read from DuckDB's own parse
 * tree (json_serialize_sql parses without binding or running). Null when DuckDB cannot
 * serialise the statement (EXPLAIN, dynamic PIVOT, anything not a SELECT).
 */
export async function tableFunctionsInTree(con: DuckDBConnection, sql: string): Promise<{ names: string[]; statements: number } | null> {
  // json_serialize_sql takes only a constant; the text is a standard string literal, in
  // which a doubled quote is the only escape.
  const reader = await con.runAndReadAll(`SELECT json_serialize_sql('${sql.replace(/'/g, "''")}') AS tree`);
  const raw = reader.getRowObjectsJson()[0]?.tree;
  if (typeof raw !== 'string') return null;
  const tree = JSON.parse(raw) as { error?: boolean; statements?: unknown[] };
  if (tree.error || !Array.isArray(tree.statements)) return null;
  const names: string[] = [];
  const stack: Array<{ node: unknown; depth: number }> = [{ node: tree.statements, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_NESTING || node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const child of node) stack.push({ node: child, depth: depth + 1 });
      continue;
    }
    const obj = node as Record<string, unknown>;
    if (obj.type === 'TABLE_FUNCTION') {
      const fn = obj.function as Record<string, unknown> | null | undefined;
      // A table reference that is not a plain function call cannot be checked: name it so it is refused.
      names.push(typeof fn?.function_name === 'string' ? fn.function_name.toLowerCase() : '(unnamed table function)');
    }
    for (const child of Object.values(obj)) if (child !== null && typeof child === 'object') stack.push({ node: child, depth: depth + 1 });
  }
  return { names, statements: tree.statements.length };
}

/**
 * For text DuckDB cannot serialise: every bare or double-quoted name followed by `(`
 * (outside strings and comments) that is one of DuckDB's table functions. Conservative:
 * a scalar call that shares a table function's name counts as well.
 */
export async function tableFunctionsInText(con: DuckDBConnection, sql: string): Promise<string[]> {
  const known = new Set(
    (await con.runAndReadAll(`SELECT DISTINCT lower(function_name) AS n FROM duckdb_functions() WHERE function_type IN ('table', 'table_macro')`))
      .getRowObjectsJson()
      .map((r) => String(r.n)),
  );
  return calledNames(sql).filter((n) => known.has(n));
}

/** Lower-cased names that are followed by an opening parenthesis, skipping strings and comments. */
export function calledNames(sql: string): string[] {
  const out: string[] = [];
  let last: string | null = null;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === '-' && sql[i + 1] === '-') {
      // DuckDB ends a line comment at LF or CR.
      while (i < sql.length && sql[i] !== '\n' && sql[i] !== '\r') i++;
    } else if (ch === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        if (sql.startsWith('/*', i)) (depth++, (i += 2));
        else if (sql.startsWith('*/', i)) (depth--, (i += 2));
        else i++;
      }
    } else if (/\s/.test(ch)) i++;
    else if (ch === "'") {
      // E'…' strings take backslash escapes; standard strings only a doubled quote.
      const escapes = last === 'e' && /[eE]/.test(sql[i - 1] ?? '');
      i++;
      while (i < sql.length) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      last = null;
    } else if (ch === '"') {
      let name = '';
      i++;
      while (i < sql.length) {
        if (sql[i] === '"' && sql[i + 1] === '"') (name += '"', (i += 2));
        else if (sql[i] === '"') break;
        else name += sql[i++];
      }
      i++;
      last = name.toLowerCase();
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i, i + 256))!;
      last = m[0].toLowerCase();
      i += m[0].length;
    } else {
      if (ch === '(' && last !== null) out.push(last);
      last = null;
      i++;
    }
  }
  return out;
}
