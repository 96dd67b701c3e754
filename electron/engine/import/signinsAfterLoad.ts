import type { DuckDBConnection } from '@duckdb/node-api';
import { Params, count, rows } from './sqlParams';
import { exec, type LoadTarget } from './loadTypes';

// After a source's rows are in `signins`: move unreadable rows to rejected_rows, fold
// identical copies into row_sources, flag conflicting copies, and summarise.

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
 * Identical records (same request_id and log_type, same record_hash: every cell, or the record text) already in the case are
 * stored once: the new copy is dropped and its file and record remembered in row_sources.
 * Records sharing a request_id and log_type that differ are all kept and flagged.
 */
export async function dedupe(con: DuckDBConnection, t: LoadTarget): Promise<number> {
  const p = new Params();
  const base = p.p(t.base);
  // Candidates are found by a hash of the key: grouping a million 8-byte hashes costs a
  // third of grouping the text pairs. A collision can only bring in rows of keys with no new
  // copy; everything below works per key itself and leaves those rows as they are.
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE signet_cand AS
     SELECT row_id, request_id, log_type, record_hash AS h, source_file, source_record
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
  await exec(con, `CREATE OR REPLACE TEMP TABLE signet_keep AS SELECT request_id, log_type, h, min(row_id) AS keep FROM signet_cand GROUP BY ALL`);
  const q = new Params();
  const b2 = q.p(t.base);
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE signet_drop AS
     SELECT c.row_id, k.keep, c.source_file, c.source_record FROM signet_cand c JOIN signet_keep k USING (request_id, log_type, h)
     WHERE c.row_id <> k.keep AND c.row_id > ${b2}`,
    q,
  );
  const dropped = await count(con, 'SELECT count(*) FROM signet_drop');
  if (dropped > 0) {
    const r = new Params();
    await exec(con, `INSERT INTO row_sources SELECT keep, ${r.p(t.sourceId)}, source_file, source_record FROM signet_drop`, r);
    await exec(con, `DELETE FROM signins WHERE row_id IN (SELECT row_id FROM signet_drop)`);
  }
  await exec(
    con,
    `UPDATE signins SET request_conflict = true WHERE (request_id, log_type) IN (
       SELECT (request_id, log_type) FROM signet_keep GROUP BY request_id, log_type HAVING count(*) > 1)`,
  );
  for (const tbl of ['signet_cand', 'signet_keep', 'signet_drop']) await exec(con, `DROP TABLE IF EXISTS ${tbl}`);
  return dropped;
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
}
