import type { DuckDBConnection } from '@duckdb/node-api';
import { Params, count, rows } from './sqlParams';
import { exec, type LoadTarget } from './loadTypes';
import { CANONICAL_COLUMNS } from '../schema/canonical';

// After a source's rows are in `signins`: move unreadable rows to rejected_rows, fold
// copies of one sign-in into row_sources, record where copies disagree, and summarise.

/** Move rows that could not be read (no usable time, not a sign-in) to rejected_rows. */
export async function moveInvalid(con: DuckDBConnection, t: LoadTarget, reasonSql: string, allowNullTime: boolean): Promise<number> {
  const cond = allowNullTime ? 'log_type IS NULL' : '(time_utc IS NULL OR log_type IS NULL)';
  const p = new Params();
  const base = p.p(t.base);
  const n = await count(con, `SELECT count(*) FROM signins WHERE row_id > ${base} AND ${cond}`, p.values);
  if (n === 0) return 0;
  const q = new Params();
  await exec(
    con,
    `INSERT INTO rejected_rows SELECT source_id, source_file, source_record, ${reasonSql},
       CASE WHEN json_type(raw) = 'VARCHAR' THEN raw->>'$' ELSE CAST(raw AS VARCHAR) END
     FROM signins WHERE row_id > ${q.p(t.base)} AND ${cond}`,
    q,
  );
  const d = new Params();
  await exec(con, `DELETE FROM signins WHERE row_id > ${d.p(t.base)} AND ${cond}`, d);
  return n;
}

/**
 * What makes two records the same sign-in, on canonical values (docs/schema.md, "One event,
 * one row"): the request id, the log type, the time at whole seconds (the portal download
 * keeps seconds; Graph, Log Analytics and Event Hub keep more), and the user, application and
 * address every shape carries. Grouped non-interactive rows that share a request id but not
 * a time or an address are different events and are never merged.
 */
const IDENTITY: ReadonlyArray<[name: string, sql: string]> = [
  ['i_request', 'request_id'],
  ['i_log', 'log_type'],
  ['i_time', "date_trunc('second', time_utc)"],
  ['i_user', 'lower(user_id)'],
  ['i_app', 'lower(app_id)'],
  ['i_ip', 'ip_address'],
];

/** Columns that are not compared between copies: the identity itself, provenance and bookkeeping. */
const NOT_COMPARED = new Set(['graph_calls', 'row_id', 'time_utc', 'log_type', 'request_id', 'user_id', 'app_id', 'ip_address', 'source_file', 'source_record', 'source_shape', 'source_id', 'request_conflict', 'copy_conflict', 'raw']);

/**
 * Copies of a sign-in already in the case (or earlier in the same source), found by their
 * canonical identity whatever shape or bytes they came in, are stored once: the later copy is
 * dropped, its file and record go to row_sources, the kept row takes the values only the copy
 * had, and every value the two disagree on goes to row_conflicts (the kept row is flagged
 * copy_conflict). JSON columns are not compared (shapes order their keys differently); the kept
 * copy's value stays. Rows sharing a request id and log type that are different sign-ins are
 * all kept and flagged request_conflict.
 */
export async function dedupe(con: DuckDBConnection, t: LoadTarget, columns: ReadonlyArray<{ name: string; type: string }> = CANONICAL_COLUMNS): Promise<number> {
  const p = new Params();
  const base = p.p(t.base);
  // Candidates are found by a hash of the request id and log type: grouping a million 8-byte
  // hashes costs a third of grouping the text pairs. A collision only brings in rows that
  // then match nothing.
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE signet_cand AS
     SELECT row_id, ${IDENTITY.map(([n, sql]) => `${sql} AS ${n}`).join(', ')}, source_file, source_record
     FROM signins
     WHERE request_id IS NOT NULL AND hash(request_id, log_type) IN (
       SELECT hash(request_id, log_type) FROM signins WHERE request_id IS NOT NULL
       GROUP BY 1 HAVING count(*) > 1 AND max(row_id) > ${base})`,
    p,
  );
  const cand = await count(con, 'SELECT count(*) FROM signet_cand');
  if (cand === 0) {
    await exec(con, 'DROP TABLE signet_cand');
    return 0;
  }
  const ids = IDENTITY.map(([n]) => n).join(', ');
  await exec(con, `CREATE OR REPLACE TEMP TABLE signet_keep AS SELECT ${ids}, min(row_id) AS keep FROM signet_cand GROUP BY ALL`);
  const q = new Params();
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE signet_drop AS
     SELECT c.row_id, k.keep, c.source_file, c.source_record FROM signet_cand c JOIN signet_keep k
       ON ${IDENTITY.map(([n]) => `c.${n} IS NOT DISTINCT FROM k.${n}`).join(' AND ')}
     WHERE c.row_id <> k.keep AND c.row_id > ${q.p(t.base)}`,
    q,
  );
  const dropped = await count(con, 'SELECT count(*) FROM signet_drop');
  if (dropped > 0) {
    const compared = columns.filter((c) => !NOT_COMPARED.has(c.name) && c.type !== 'JSON');
    const text = (alias: string, c: { name: string }): string => `CAST(${alias}."${c.name}" AS VARCHAR)`;
    // Every value the copies disagree on, with both values.
    const r = new Params();
    await exec(
      con,
      `INSERT INTO row_conflicts
       SELECT keep, x.col, x.kept, x.other, ${r.p(t.sourceId)}, source_file, source_record FROM (
         SELECT d.keep, d.source_file, d.source_record, unnest([${compared
           .map((c) => `{'col': '${c.name}', 'kept': ${text('k', c)}, 'other': ${text('o', c)}}`)
           .join(', ')}]) AS x
         FROM signet_drop d JOIN signins k ON k.row_id = d.keep JOIN signins o ON o.row_id = d.row_id)
       WHERE x.kept IS NOT NULL AND x.other IS NOT NULL AND x.kept <> x.other`,
      r,
    );
    // Values only a copy had (Graph's coordinates beside a portal row) fill the kept row; from
    // the first copy, as every source's copies are folded in turn.
    const fillable = columns.filter((c) => !NOT_COMPARED.has(c.name));
    await exec(
      con,
      `UPDATE signins SET ${fillable.map((c) => `"${c.name}" = coalesce(signins."${c.name}", f."${c.name}")`).join(', ')}
       FROM (SELECT d.keep, o.* FROM signet_drop d JOIN signins o ON o.row_id = d.row_id QUALIFY row_number() OVER (PARTITION BY d.keep ORDER BY o.row_id) = 1) f
       WHERE signins.row_id = f.keep`,
    );
    const s = new Params();
    await exec(con, `INSERT INTO row_sources SELECT keep, ${s.p(t.sourceId)}, source_file, source_record FROM signet_drop`, s);
    await exec(con, `DELETE FROM signins WHERE row_id IN (SELECT row_id FROM signet_drop)`);
    await exec(con, `UPDATE signins SET copy_conflict = true WHERE row_id IN (SELECT row_id FROM row_conflicts) AND copy_conflict IS NOT true`);
  }
  await exec(
    con,
    `UPDATE signins SET request_conflict = true WHERE row_id IN (
       SELECT keep FROM signet_keep WHERE (i_request, i_log) IN (
         SELECT (i_request, i_log) FROM signet_keep GROUP BY i_request, i_log HAVING count(*) > 1))`,
  );
  for (const tbl of ['signet_cand', 'signet_keep', 'signet_drop']) await exec(con, `DROP TABLE IF EXISTS ${tbl}`);
  return dropped;
}

/**
 * Child tables (authentication steps, Graph activity) hold one row per step or call: a copy
 * of one already in the case, from any source, is not stored again. Returns the copies dropped.
 */
export async function dedupeChildRows(con: DuckDBConnection, table: 'auth_details' | 'graph_activity', sourceId: number): Promise<number> {
  const key =
    table === 'auth_details'
      ? ['request_id', 'step', "date_trunc('second', step_time_utc)", 'method', 'method_detail', 'succeeded', 'result_detail', 'requirement']
      : ['request_id', "date_trunc('second', time_utc)", 'sign_in_activity_id', 'request_method', 'request_uri', 'response_status_code'];
  // The first of equal rows (earlier source, then earlier record) stays.
  const cond = (sid: string): string => `(source_id, source_record) IN (
    SELECT (source_id, source_record) FROM (
      SELECT source_id, source_record, row_number() OVER (PARTITION BY ${key.join(', ')} ORDER BY source_id, source_record) AS n
      FROM ${table} WHERE (${key[0]}) IS NOT NULL AND hash(${key.join(', ')}) IN (SELECT hash(${key.join(', ')}) FROM ${table} WHERE source_id = ${sid}))
    WHERE n > 1 AND source_id = ${sid})`;
  const p = new Params();
  const n = await count(con, `SELECT count(*) FROM ${table} WHERE ${cond(p.p(sourceId))}`, p.values);
  if (n > 0) {
    const d = new Params();
    await exec(con, `DELETE FROM ${table} WHERE ${cond(d.p(sourceId))}`, d);
  }
  return n;
}

/**
 * Commit the bulk insert, then number the rows a source just added (row_id NULL) in file
 * order. Inserts run without a window function so DuckDB reads and converts in parallel;
 * insertion order is preserved, so the rows' positions are their record numbers. `skip`
 * counts the records before the first row (a CSV header).
 *
 * The commit comes first because updating freshly inserted rows inside their transaction
 * makes DuckDB rewrite every column at commit (seconds per million rows); after it, the
 * update touches two columns. The import stays all-or-nothing through discardSourcesFrom.
 */
export async function commitAndNumberNewRows(con: DuckDBConnection, t: LoadTarget, skip: number): Promise<void> {
  await exec(con, 'COMMIT');
  await exec(con, 'BEGIN TRANSACTION');
  // Row ids of uncommitted rows lie beyond 2^53: kept as text, bound as a BIGINT.
  const [m] = await rows<{ first: string | null }>(con, `SELECT CAST(min(rowid) AS VARCHAR) AS first FROM signins WHERE row_id IS NULL`);
  if (!m?.first) return;
  const p = new Params();
  const pos = `(rowid - ${p.p(BigInt(m.first))}::BIGINT)`;
  await exec(con, `UPDATE signins SET row_id = ${p.p(t.base)}::BIGINT + ${pos} + 1, source_record = ${pos} + 1 + ${p.p(skip)}::BIGINT WHERE row_id IS NULL`, p);
}

export async function newRows(con: DuckDBConnection, t: LoadTarget): Promise<number> {
  const p = new Params();
  return count(con, `SELECT count(*) FROM signins WHERE row_id > ${p.p(t.base)}`, p.values);
}

export async function logTypesOf(con: DuckDBConnection, t: LoadTarget): Promise<string[]> {
  const p = new Params();
  const r = await rows<{ log_type: string }>(con, `SELECT DISTINCT log_type FROM signins WHERE row_id > ${p.p(t.base)} ORDER BY 1`, p.values);
  return r.map((x) => x.log_type);
}

export async function insertRejects(con: DuckDBConnection, t: LoadTarget, list: Array<{ line: number; reason: string; raw: string }>): Promise<void> {
  for (const r of list) {
    const p = new Params();
    await exec(con, `INSERT INTO rejected_rows VALUES (${p.p(t.sourceId)}, ${p.p(t.sourceFile)}, ${p.p(r.line)}, ${p.p(r.reason)}, ${p.p(r.raw)})`, p);
  }
}

export function describeRejects(t: LoadTarget, list: Array<{ line: number; reason: string }>, unit: string): string[] {
  const shown = list.slice(0, 20).map((r) => `${t.sourceFile} ${unit} ${r.line}: ${r.reason}`);
  if (list.length > 20) shown.push(`${t.sourceFile}: ${list.length - 20} more rejected ${unit}s (see rejected_rows)`);
  return shown;
}

export async function rejectedSummary(con: DuckDBConnection, t: LoadTarget, unit: string): Promise<string[]> {
  const p = new Params();
  const r = await rows<{ source_record: string; reason: string }>(
    con,
    `SELECT source_record, reason FROM rejected_rows WHERE source_id = ${p.p(t.sourceId)} ORDER BY source_record LIMIT 21`,
    p.values,
  );
  return describeRejects(t, r.map((x) => ({ line: Number(x.source_record), reason: x.reason })), unit);
}

/** Every table that holds rows of a source, by its source-id column. */
const SOURCE_TABLES: Array<[table: string, column: string]> = [
  ['signins', 'source_id'],
  ['rejected_rows', 'source_id'],
  ['row_sources', 'source_id'],
  ['row_conflicts', 'source_id'],
  ['auth_details', 'source_id'],
  ['graph_activity', 'source_id'],
  ['source_index', 'source_id'],
  ['sources', 'id'],
];

/**
 * Remove everything of sources with an id at or above `fromId`, if there is any. An import commits its bulk
 * rows before numbering them (see commitAndNumberNewRows), so an import that fails,
 * is cancelled or is cut short afterwards is undone by this; the manifest, written last,
 * never names such a source.
 */
export async function discardSourcesFrom(con: DuckDBConnection, fromId: number): Promise<void> {
  // One read, run on every case open and import; the deletes only when something is there.
  const q = new Params();
  const from = q.p(fromId);
  const left = await count(con, `SELECT ${SOURCE_TABLES.map(([table, column]) => `(SELECT count(*) FROM ${table} WHERE ${column} >= ${from})`).join(' + ')}`, q.values);
  if (left === 0) return;
  for (const [table, column] of SOURCE_TABLES) {
    const p = new Params();
    await exec(con, `DELETE FROM ${table} WHERE ${column} >= ${p.p(fromId)}`, p);
  }
  // Sightings recorded by a later source of rows that it then dropped as duplicates.
  await exec(con, `DELETE FROM row_sources WHERE row_id NOT IN (SELECT row_id FROM signins)`);
  await exec(con, `DELETE FROM row_conflicts WHERE row_id NOT IN (SELECT row_id FROM signins)`);
}
