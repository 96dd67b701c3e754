import type { DuckDBConnection } from '@duckdb/node-api';
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { INSERT_COLUMNS, mappedSelect, type SigninMapping } from './mapping';
import { Params, count, rows } from './sqlParams';
import type { Plan } from './detectShape';
import { normaliseHeader } from './csvHeader';
import { portalMapping, type ColumnLookup } from './portalCsv';
import { laMapping, TWIN_COLUMNS } from './laMapping';
import { graphMapping } from './graphJson';
import { PathList } from './jsonPaths';
import { GRAPH_ACTIVITY_COLUMNS, graphActivitySelect } from './graphActivity';
import { AUTH_DETAIL_COLUMNS, authDetailsSelect } from './authDetails';
import { readTolerant } from './tolerantJson';

/** Longest CSV line or JSON record DuckDB will take; longer ones are rejected, not truncated. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** The forgiving JSON reader holds one file in memory; beyond this it refuses. */
export const MAX_TOLERANT_BYTES = 256 * 1024 * 1024;

export interface LoadTarget {
  sourceId: number;
  /** What rows call their source_file (the file name, or archive!entry). */
  sourceFile: string;
  /** What DuckDB reads (the evidence itself, or a scratch copy for UTF-16 and zip entries). */
  readPath: string;
  compression: 'none' | 'gzip';
  /** Highest row_id in the case before this source. */
  base: number;
  scratch: (suffix: string) => string;
  /** Longest CSV line or JSON record accepted (MAX_RECORD_BYTES unless an import asks for less). */
  maxRecordBytes: number;
  /** Physical lines of the file when known; lets CSV line numbering skip its fix-up pass. */
  lines: Promise<number | null>;
}

export interface LoadOptions {
  /** Validate each JSON record before extraction (slower); set after a fast attempt failed. */
  guarded: boolean;
  /** Read JSON with the forgiving JS reader (pages concatenated, trailing commas, truncation). */
  tolerant: boolean;
}

export interface LoadOutcome {
  read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  errors: string[];
  logTypes: string[];
}

/** A DuckDB read failure inside a source; the importer retries the source with safer options. */
export class SourceReadError extends Error {}

let seq = 0;
const uniq = (prefix: string): string => `${prefix}_${process.pid}_${++seq}`;

async function exec(con: DuckDBConnection, sql: string, params?: Params): Promise<void> {
  await con.run(sql, params?.values ?? []);
}

/** Insert through `sql`; DuckDB read errors become SourceReadError so the caller can retry. */
async function execRead(con: DuckDBConnection, sql: string, params: Params): Promise<void> {
  if (process.env.SIGNET_IMPORT_DEBUG === 'sql') console.error(sql, JSON.stringify(params.values));
  try {
    await con.run(sql, params.values);
  } catch (err) {
    throw new SourceReadError(err instanceof Error ? err.message : String(err));
  }
}

function csvReader(t: LoadTarget, ncols: number, delimiter: string, rejects: { table: string; scan: string } | null, params: Params): string {
  const cols = Array.from({ length: ncols }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const delim = delimiter === '\t' ? '\\t' : delimiter;
  const rej = rejects ? `, store_rejects=true, rejects_table='${rejects.table}', rejects_scan='${rejects.scan}'` : '';
  return `read_csv(${params.p(t.readPath)}, header=false, skip=1, auto_detect=false, columns={${cols}}, delim='${delim}', quote='"', escape='"',
    strict_mode=true, null_padding=false, max_line_size=${t.maxRecordBytes}, compression='${t.compression}'${rej})`;
}

function uniqueKeys(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c) => {
    const key = c.replace(/^\uFEFF/, '');
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${key} (${n})`;
  });
}

function csvLookup(cells: string[], key: (s: string) => string): ColumnLookup & { twin(name: string): string } {
  const idx = new Map<string, number[]>();
  cells.forEach((c, i) => {
    const k = key(c);
    idx.set(k, [...(idx.get(k) ?? []), i]);
  });
  const col = (name: string): string => {
    const i = idx.get(key(name));
    return i ? `c${i[0]}` : 'NULL';
  };
  return {
    col,
    all: (name) => (idx.get(key(name)) ?? []).map((i) => `c${i}`),
    has: (name) => idx.has(key(name)),
    twin: (name) => {
      const parts = [`nullif(nullif(${col(`${name}_dynamic`)}, ''), '{}')`, `nullif(${col(`${name}_string`)}, '')`, col(name)];
      return TWIN_COLUMNS.includes(name) ? `coalesce(${parts.join(', ')})` : col(name);
    },
  };
}

const laKey = (s: string): string => s.replace(/^\uFEFF/, '').trim().replace(/\s*\[UTC\]$/i, '').toLowerCase();

/** Move rows that could not be read (no usable time, not a sign-in) to rejected_rows. */
async function moveInvalid(con: DuckDBConnection, t: LoadTarget, reasonSql: string, allowNullTime: boolean): Promise<number> {
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
 * Identical records (same request_id and log_type, same raw record) already in the case are
 * stored once: the new copy is dropped and its file and record remembered in row_sources.
 * Records sharing a request_id and log_type that differ are all kept and flagged.
 */
async function dedupe(con: DuckDBConnection, t: LoadTarget): Promise<number> {
  const p = new Params();
  const base = p.p(t.base);
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE signet_cand AS
     SELECT row_id, request_id, log_type, hash(CAST(raw AS VARCHAR)) AS h, source_file, source_record
     FROM signins
     WHERE (request_id, log_type) IN (
       SELECT (request_id, log_type) FROM signins WHERE request_id IS NOT NULL
       GROUP BY request_id, log_type HAVING count(*) > 1 AND max(row_id) > ${base})`,
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

async function newRows(con: DuckDBConnection, t: LoadTarget): Promise<number> {
  const p = new Params();
  return count(con, `SELECT count(*) FROM signins WHERE row_id > ${p.p(t.base)}`, p.values);
}

async function logTypesOf(con: DuckDBConnection, t: LoadTarget): Promise<string[]> {
  const p = new Params();
  const r = await rows<{ log_type: string }>(con, `SELECT DISTINCT log_type FROM signins WHERE row_id > ${p.p(t.base)} ORDER BY 1`, p.values);
  return r.map((x) => x.log_type);
}

/**
 * CSV record start lines. Rows are numbered as if every record were one line (rn + 1); when
 * some records span lines (quoted newlines) or DuckDB rejected records, every row's line is
 * recomputed from the record lengths and the rejects' positions. Returns rejects with lines.
 */
async function csvRejectsAndLines(
  con: DuckDBConnection,
  t: LoadTarget,
  rejects: { table: string; scan: string },
  updateSignins: boolean,
): Promise<Array<{ line: number; reason: string; raw: string }>> {
  // DuckDB numbers rejects by record (the header is record 1), not by physical line.
  const rej = await rows<{ rec: string; etype: string; msg: string; raw: string }>(
    con,
    `SELECT line AS rec, first(error_type ORDER BY column_idx) AS etype, first(error_message ORDER BY column_idx) AS msg, first(csv_line ORDER BY column_idx) AS raw
     FROM ${rejects.table} GROUP BY line ORDER BY line`,
  );
  const p = new Params();
  const known = await t.lines;
  const good = updateSignins ? await newRows(con, t) : 0;
  // One header line plus one line per record: nothing spans lines, rn + 1 is already right.
  const multiline = !updateSignins
    ? 0
    : known !== null && rej.length === 0
      ? known === 1 + good ? 0 : 1
      : await count(con, `SELECT count(*) FROM signins WHERE row_id > ${p.p(t.base)} AND contains(CAST(raw AS VARCHAR), '\\n')`, p.values);
  const result: Array<{ line: number; reason: string; raw: string }> = [];
  if (rej.length === 0 && multiline === 0) return result;
  await exec(con, `CREATE OR REPLACE TEMP TABLE signet_rej (rec BIGINT, span BIGINT)`);
  for (const r of rej) {
    const text = (r.raw ?? '').replace(/[\r\n]+$/, '');
    const span = 1 + (text.match(/\n/g)?.length ?? 0);
    const q = new Params();
    await exec(con, `INSERT INTO signet_rej VALUES (${q.p(Number(r.rec))}, ${q.p(span)})`, q);
  }
  // Good row rn is record rn + 1 + (rejects before it): reject i (1-based, by record) precedes rn when rn >= rec_i - i.
  const q = new Params();
  const base = q.p(t.base);
  const span = updateSignins
    ? `1 + list_sum(list_transform(json_extract_string(raw, '$.*'), x -> coalesce(length(x) - length(replace(x, chr(10), '')), 0)))`
    : '1';
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE signet_recs AS
     WITH r AS (SELECT rec, span, rec - row_number() OVER (ORDER BY rec) AS thr, row_number() OVER (ORDER BY rec) AS i FROM signet_rej),
     g AS (SELECT row_id, row_id - ${base} AS rn, ${span} AS span FROM signins WHERE row_id > ${base}),
     gk AS (SELECT g.row_id, g.rn + 1 + coalesce(r.i, 0) AS rec, g.span FROM g ASOF LEFT JOIN r ON g.rn >= r.thr),
     allr AS (SELECT row_id, rec, span FROM gk UNION ALL SELECT NULL, rec, span FROM signet_rej)
     SELECT row_id, rec, 2 + coalesce(sum(span) OVER (ORDER BY rec ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line FROM allr`,
    q,
  );
  if (updateSignins) {
    await exec(con, `UPDATE signins SET source_record = r.line FROM signet_recs r WHERE signins.row_id = r.row_id AND signins.source_record <> r.line`);
  }
  const lines = await rows<{ rec: string; line: string }>(con, `SELECT rec, line FROM signet_recs WHERE row_id IS NULL ORDER BY rec`);
  const lineOf = new Map(lines.map((l) => [Number(l.rec), Number(l.line)]));
  for (const r of rej) {
    result.push({ line: lineOf.get(Number(r.rec)) ?? Number(r.rec), reason: `${r.etype.toLowerCase()}: ${r.msg}`, raw: r.raw ?? '' });
  }
  await exec(con, 'DROP TABLE IF EXISTS signet_rej');
  await exec(con, 'DROP TABLE IF EXISTS signet_recs');
  return result;
}

async function insertRejects(con: DuckDBConnection, t: LoadTarget, list: Array<{ line: number; reason: string; raw: string }>): Promise<void> {
  for (const r of list) {
    const p = new Params();
    await exec(con, `INSERT INTO rejected_rows VALUES (${p.p(t.sourceId)}, ${p.p(t.sourceFile)}, ${p.p(r.line)}, ${p.p(r.reason)}, ${p.p(r.raw)})`, p);
  }
}

function describeRejects(t: LoadTarget, list: Array<{ line: number; reason: string }>, unit: string): string[] {
  const shown = list.slice(0, 20).map((r) => `${t.sourceFile} ${unit} ${r.line}: ${r.reason}`);
  if (list.length > 20) shown.push(`${t.sourceFile}: ${list.length - 20} more rejected ${unit}s (see rejected_rows)`);
  return shown;
}

async function rejectedSummary(con: DuckDBConnection, t: LoadTarget, unit: string): Promise<string[]> {
  const p = new Params();
  const r = await rows<{ source_record: string; reason: string }>(
    con,
    `SELECT source_record, reason FROM rejected_rows WHERE source_id = ${p.p(t.sourceId)} ORDER BY source_record LIMIT 21`,
    p.values,
  );
  return describeRejects(t, r.map((x) => ({ line: Number(x.source_record), reason: x.reason })), unit);
}

export async function loadCsv(con: DuckDBConnection, t: LoadTarget, plan: Extract<Plan, { kind: 'csv' }>): Promise<LoadOutcome> {
  const cells = plan.header.cells;
  const keys = uniqueKeys(cells);
  const rejects = { table: uniq('signet_rejects'), scan: uniq('signet_scan') };
  const errors: string[] = [];
  const p = new Params();
  const rawSql = `json_object(${keys.map((k, i) => `${p.p(k)}, c${i}`).join(', ')})`;
  const reader = csvReader(t, cells.length, plan.header.delimiter, rejects, p);
  let allowNullTime = false;
  let target: 'signins' | 'auth_details' | 'graph_activity' = 'signins';
  let insert: string;
  if (plan.shape === 'portal-auth-details-csv') {
    target = 'auth_details';
    const lookup = csvLookup(cells, normaliseHeader);
    insert = `INSERT INTO auth_details (${AUTH_DETAIL_COLUMNS.join(', ')}, source_id, source_file, source_record, raw)
      SELECT ${authDetailsSelect(lookup, 'rn')}, ${p.p(t.sourceId)}, ${p.p(t.sourceFile)}, rn + 1, ${rawSql}
      FROM (SELECT row_number() OVER () AS rn, * FROM ${reader})`;
  } else if (plan.shape === 'la-graph-activity-csv') {
    target = 'graph_activity';
    const lookup = csvLookup(cells, laKey);
    insert = `INSERT INTO graph_activity (${GRAPH_ACTIVITY_COLUMNS.join(', ')}, source_id, source_file, source_record, raw)
      SELECT ${graphActivitySelect((n) => lookup.col(n))}, ${p.p(t.sourceId)}, ${p.p(t.sourceFile)}, rn + 1, ${rawSql}
      FROM (SELECT row_number() OVER () AS rn, * FROM ${reader})`;
  } else {
    let mapping: SigninMapping;
    if (plan.shape === 'portal-csv') {
      mapping = portalMapping(csvLookup(cells, normaliseHeader), plan.logType ?? 'interactive');
    } else {
      const lookup = csvLookup(cells, laKey);
      mapping = laMapping((n) => lookup.twin(n), plan.logType);
      if (!lookup.has('CreatedDateTime') && !lookup.has('TimeGenerated')) {
        allowNullTime = true;
        errors.push(`${t.sourceFile}: the export has no time column (TimeGenerated [UTC] or CreatedDateTime [UTC]); its rows are imported with an empty time`);
      }
    }
    insert = `INSERT INTO signins (${INSERT_COLUMNS.map((c) => `"${c}"`).join(', ')})
      SELECT ${p.p(t.base)}::BIGINT + rn, ${mappedSelect(mapping)}, ${p.p(t.sourceId)}::INTEGER, ${p.p(t.sourceFile)}, rn + 1, ${p.p(plan.shape)}, ${rawSql}
      FROM (SELECT row_number() OVER () AS rn, * FROM ${reader})`;
  }
  await execRead(con, insert, p);
  const rejectList = await csvRejectsAndLines(con, t, rejects, target === 'signins');
  await exec(con, `DROP TABLE IF EXISTS ${rejects.table}`);
  await exec(con, `DROP TABLE IF EXISTS ${rejects.scan}`);
  await insertRejects(con, t, rejectList);
  if (target !== 'signins') {
    const q = new Params();
    const n = await count(con, `SELECT count(*) FROM ${target} WHERE source_id = ${q.p(t.sourceId)}`, q.values);
    return { read: n + rejectList.length, imported: n, duplicates: 0, rejected: rejectList.length, errors: [...errors, ...describeRejects(t, rejectList, 'line')], logTypes: [] };
  }
  const timeCol = plan.shape === 'portal-csv' ? 'Date (UTC)' : 'CreatedDateTime [UTC] / TimeGenerated [UTC]';
  const timeText =
    plan.shape === 'portal-csv'
      ? `raw->>'${keys.find((k) => normaliseHeader(k) === 'date (utc)')?.replace(/'/g, "''") ?? 'Date (UTC)'}'`
      : `coalesce(${keys
          .filter((k) => ['createddatetime', 'timegenerated'].includes(laKey(k)))
          .sort((a, b) => laKey(a).localeCompare(laKey(b)))
          .map((k) => `raw->>'${k.replace(/'/g, "''")}'`)
          .concat(['NULL'])
          .join(', ')})`;
  const reason = `CASE WHEN log_type IS NULL THEN 'not a sign-in row (Category/Type ' || coalesce(raw->>'Category', raw->>'Type', '?') || ')'
     WHEN (${timeText}) IS NULL OR trim(${timeText}) = '' THEN 'no time in ${timeCol}'
     ELSE 'unparseable time in ${timeCol}: "' || (${timeText}) || '"' END`;
  const moved = await moveInvalid(con, t, reason, allowNullTime);
  const inserted = (await newRows(con, t)) + moved;
  const logTypes = await logTypesOf(con, t);
  const duplicates = await dedupe(con, t);
  const imported = await newRows(con, t);
  const rejected = rejectList.length + moved;
  const summary = rejected ? await rejectedSummary(con, t, 'line') : [];
  return { read: inserted + rejectList.length, imported, duplicates, rejected, errors: [...errors, ...summary], logTypes };
}

function jsonBase(t: LoadTarget, plan: Extract<Plan, { kind: 'json' }>, p: Params): { sql: string; numbered: 'line' | 'record' } {
  const path = p.p(t.readPath);
  const common = `maximum_object_size=${t.maxRecordBytes}, compression='${t.compression === 'gzip' ? 'gzip' : 'uncompressed'}'`;
  const lines = `(SELECT row_number() OVER () AS ln, line FROM read_csv(${path}, header=false, auto_detect=false, columns={'line': 'VARCHAR'},
              delim='\\x01', quote='', escape='', strict_mode=false, max_line_size=${t.maxRecordBytes}, compression='${t.compression}'))`;
  if (plan.layout === 'lines') {
    return { sql: `SELECT ln, line AS o FROM ${lines} WHERE line IS NOT NULL AND trim(line) <> ''`, numbered: 'line' };
  }
  if (plan.layout === 'page-lines') {
    // Envelope lines (the page's opening line, closing brackets, a nextLink tail) are not records.
    return {
      sql: `SELECT ln, rtrim(rtrim(line), ',') AS o FROM ${lines}
            WHERE line IS NOT NULL AND trim(line) <> '' AND ln > 1 AND NOT starts_with(ltrim(line), ']')
              AND NOT regexp_matches(line, '"(value|records)"\\s*:\\s*\\[\\s*$')`,
      numbered: 'line',
    };
  }
  const format = plan.layout === 'array' ? 'array' : 'unstructured';
  return { sql: `SELECT row_number() OVER () AS ln, json AS o FROM read_json_objects(${path}, format='${format}', ${common})`, numbered: 'record' };
}

/** (rn, j, raw): one row per record, rn = line (NDJSON) or record number. */
function jsonRecords(base: { sql: string; numbered: 'line' | 'record' }, plan: Extract<Plan, { kind: 'json' }>, guarded: boolean): { sql: string; unit: string } {
  const minify = `CASE WHEN contains(o, chr(10)) THEN json(o) ELSE CAST(o AS JSON) END`;
  if (plan.containers) {
    return {
      sql: `SELECT row_number() OVER () AS rn, CASE WHEN json_type(e) = 'VARCHAR' THEN NULL ELSE CAST(e AS VARCHAR) END AS j, e AS raw FROM (
        SELECT unnest(CASE
          WHEN NOT json_valid(o) THEN [to_json(o)]
          WHEN json_type(o) = 'ARRAY' THEN json_extract(o, '$[*]')
          WHEN json_type(o, '$.value') = 'ARRAY' THEN json_extract(o, '$.value[*]')
          WHEN json_type(o, '$.records') = 'ARRAY' THEN json_extract(o, '$.records[*]')
          ELSE [json(o)] END) AS e
        FROM (${base.sql}))`,
      unit: 'record',
    };
  }
  if (guarded) {
    return {
      sql: `SELECT ln AS rn, CASE WHEN json_valid(o) THEN o END AS j, CASE WHEN json_valid(o) THEN ${minify} ELSE to_json(o) END AS raw FROM (${base.sql})`,
      unit: base.numbered,
    };
  }
  return { sql: `SELECT ln AS rn, o AS j, ${minify} AS raw FROM (${base.sql})`, unit: base.numbered };
}

/**
 * JSON with a key repeated in one object: DuckDB's JSON functions read the first value, but
 * JSON.parse (and Graph clients) take the last. Such records are re-read in JS so the last
 * value wins; raw keeps the original text with both. Checked for the record's top level
 * (and `properties` of diagnostic records).
 */
async function resolveDuplicateKeys(
  con: DuckDBConnection,
  t: LoadTarget,
  underProperties: boolean,
  insertFrom: (recordsSql: string, q: Params) => Promise<void>,
): Promise<string[]> {
  const p = new Params();
  const obj = underProperties ? `json_extract(raw, '$.properties')` : 'raw';
  const found = await rows<{ row_id: string; rn: string; raw: string }>(
    con,
    `SELECT row_id, source_record AS rn, CAST(raw AS VARCHAR) AS raw FROM signins
     WHERE row_id > ${p.p(t.base)} AND json_type(raw) = 'OBJECT' AND (
       len(json_keys(raw)) <> len(list_distinct(json_keys(raw)))
       ${underProperties ? `OR (json_type(${obj}) = 'OBJECT' AND len(json_keys(${obj})) <> len(list_distinct(json_keys(${obj}))))` : ''})`,
    p.values,
  );
  if (found.length === 0) return [];
  const notes: string[] = [];
  await exec(con, `CREATE OR REPLACE TEMP TABLE signet_fix (rn BIGINT, j VARCHAR, raw VARCHAR)`);
  for (const f of found) {
    const keys = duplicateKeys(f.raw);
    notes.push(`${t.sourceFile} record ${f.rn}: duplicate key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}; the last value is used`);
    const q = new Params();
    await exec(con, `INSERT INTO signet_fix VALUES (${q.p(Number(f.rn))}, ${q.p(JSON.stringify(JSON.parse(f.raw)))}, ${q.p(f.raw)})`, q);
    const d = new Params();
    await exec(con, `DELETE FROM signins WHERE row_id = ${d.p(Number(f.row_id))}`, d);
  }
  await insertFrom(`SELECT rn, j, CAST(raw AS JSON) AS raw FROM signet_fix`, new Params());
  await exec(con, 'DROP TABLE signet_fix');
  return notes;
}

/** Keys that occur twice in one object, at any depth of a record's JSON text. */
export function duplicateKeys(text: string): string[] {
  const dups = new Set<string>();
  const stack: Array<Set<string> | null> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let k = i + 1;
      while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
      let after = k + 1;
      while (after < text.length && /\s/.test(text[after]!)) after++;
      const top = stack[stack.length - 1];
      if (text[after] === ':' && top) {
        const key = JSON.parse(text.slice(i, k + 1)) as string;
        if (top.has(key)) dups.add(key);
        top.add(key);
      }
      i = k;
    } else if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
  }
  return [...dups];
}

/** JSON records through the forgiving reader into a scratch NDJSON file (one line per record). */
async function tolerantToLines(t: LoadTarget): Promise<{ path: string; rejects: Array<{ line: number; reason: string; raw: string }>; notes: string[] }> {
  const size = (await stat(t.readPath)).size;
  if (size > MAX_TOLERANT_BYTES) {
    throw new Error(`${t.sourceFile}: DuckDB could not read this JSON and it is too large (${size} bytes) for the forgiving reader (limit ${MAX_TOLERANT_BYTES})`);
  }
  const text = t.compression === 'gzip' ? (await import('node:zlib')).gunzipSync(await readFile(t.readPath)).toString('utf8') : await readFile(t.readPath, 'utf8');
  const out = t.scratch('tolerant.ndjson');
  const ws = createWriteStream(out);
  const rejects: Array<{ line: number; reason: string; raw: string }> = [];
  const notes: string[] = [];
  const pending: string[] = [];
  readTolerant(text, (r) => {
    if (r.error || r.value === undefined) {
      rejects.push({ line: r.record, reason: `${r.error ?? 'unreadable'}; the record starts on line ${r.line}`, raw: r.text.slice(0, 1 << 20) });
      pending.push('null');
    } else {
      if (r.repaired) notes.push(`${t.sourceFile} record ${r.record} (line ${r.line}): ${r.repaired}`);
      pending.push(JSON.stringify(r.value));
    }
  });
  for (const line of pending) {
    if (!ws.write(line + '\n')) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  return { path: out, rejects, notes };
}

export async function loadJson(con: DuckDBConnection, t0: LoadTarget, plan: Extract<Plan, { kind: 'json' }>, opts: LoadOptions): Promise<LoadOutcome> {
  let t = t0;
  let jsRejects: Array<{ line: number; reason: string; raw: string }> = [];
  const notes: string[] = [];
  let effective = plan;
  if (opts.tolerant) {
    const tol = await tolerantToLines(t0);
    t = { ...t0, readPath: tol.path, compression: 'none' };
    jsRejects = tol.rejects;
    notes.push(...tol.notes);
    effective = { ...plan, layout: 'lines', containers: false };
  }
  const p = new Params();
  const base = jsonBase(t, effective, p);
  const rec = jsonRecords(base, effective, opts.guarded || opts.tolerant);
  // The forgiving reader numbers records itself; DuckDB's line numbers in its scratch file equal them.
  const unit = opts.tolerant ? 'record' : rec.unit;
  const paths = new PathList('v');
  const dialect = effective.dialect;
  let mapping: SigninMapping | null = null;
  if (dialect === 'la') {
    const col = (name: string): string =>
      TWIN_COLUMNS.includes(name)
        ? `coalesce(nullif(nullif(${paths.get(`${name}_dynamic`)}, ''), '{}'), nullif(${paths.get(`${name}_string`)}, ''), ${paths.get(name)})`
        : paths.get(name);
    if (!plan.graphActivity) mapping = laMapping(col, plan.hintLogType);
  } else {
    mapping = graphMapping(paths, dialect, plan.hintLogType);
  }
  const category = dialect === 'eventhub' ? `lower(${paths.get('category')})` : null;
  const insertFrom = async (recordsSql: string, q: Params): Promise<void> => {
    const where = category ? `WHERE ${category} IS DISTINCT FROM 'microsoftgraphactivitylogs'` : '';
    const ins = `INSERT INTO signins (${INSERT_COLUMNS.map((c) => `"${c}"`).join(', ')})
      SELECT ${q.p(t.base)}::BIGINT + rn, ${mappedSelect(mapping!)}, ${q.p(t.sourceId)}::INTEGER, ${q.p(t.sourceFile)}, rn, ${q.p(plan.shape)}, raw
      FROM (SELECT rn, raw, ${paths.extractSql('j')} AS v FROM (${recordsSql})) ${where}`;
    await execRead(con, ins, q);
  };
  if (mapping) {
    await insertFrom(rec.sql, p);
    notes.push(...(await resolveDuplicateKeys(con, t, dialect === 'eventhub', insertFrom)));
  }
  let graphRows = 0;
  if (dialect === 'eventhub' || plan.graphActivity) {
    const gp = new Params();
    const gbase = jsonBase(t, effective, gp);
    const grec = jsonRecords(gbase, effective, opts.guarded || opts.tolerant);
    const gpaths = new PathList('v');
    const f =
      dialect === 'eventhub'
        ? (n: string): string => gpaths.get('properties', n)
        : (n: string): string => gpaths.get(n[0]!.toUpperCase() + n.slice(1));
    const select = graphActivitySelect(f);
    const gcat = dialect === 'eventhub' ? `WHERE lower(${gpaths.get('category')}) = 'microsoftgraphactivitylogs'` : '';
    const gins = `INSERT INTO graph_activity (${GRAPH_ACTIVITY_COLUMNS.join(', ')}, source_id, source_file, source_record, raw)
      SELECT ${select}, ${gp.p(t.sourceId)}::INTEGER, ${gp.p(t.sourceFile)}, rn, raw
      FROM (SELECT rn, raw, ${gpaths.extractSql('j')} AS v FROM (${grec.sql})) ${gcat}`;
    await execRead(con, gins, gp);
    const q = new Params();
    const sid = q.p(t.sourceId);
    await exec(
      con,
      `INSERT INTO rejected_rows SELECT source_id, source_file, source_record,
         CASE WHEN json_type(raw) = 'VARCHAR' THEN 'not valid JSON' ELSE 'no usable timeGenerated in a Graph activity record' END,
         CASE WHEN json_type(raw) = 'VARCHAR' THEN raw->>'$' ELSE CAST(raw AS VARCHAR) END
       FROM graph_activity WHERE source_id = ${sid} AND time_utc IS NULL`,
      q,
    );
    const d = new Params();
    await exec(con, `DELETE FROM graph_activity WHERE source_id = ${d.p(t.sourceId)} AND time_utc IS NULL`, d);
    const c = new Params();
    graphRows = await count(con, `SELECT count(*) FROM graph_activity WHERE source_id = ${c.p(t.sourceId)}`, c.values);
  }
  const timeText = {
    graph: `raw->>'createdDateTime'`,
    'graph-pascal': `raw->>'CreatedDateTime'`,
    eventhub: `json_extract_string(raw, '$.properties.createdDateTime')`,
    la: `coalesce(raw->>'CreatedDateTime', raw->>'TimeGenerated')`,
  }[dialect];
  const timeName = { graph: 'createdDateTime', 'graph-pascal': 'CreatedDateTime', eventhub: 'properties.createdDateTime', la: 'CreatedDateTime / TimeGenerated' }[dialect];
  const reason = `CASE WHEN json_type(raw) = 'VARCHAR' THEN 'not valid JSON'
      WHEN json_type(raw) <> 'OBJECT' THEN 'not a JSON object'
      WHEN log_type IS NULL THEN 'not a sign-in record (category ' || coalesce(raw->>'category', raw->>'Category', raw->>'Type', 'none') || ')'
      WHEN (${timeText}) IS NULL THEN 'no ${timeName}'
      ELSE 'unparseable ${timeName}: "' || (${timeText}) || '"' END`;
  // Graph-activity rows that failed also count as read; they were added to rejected_rows above.
  const gq = new Params();
  const graphRejected = dialect === 'eventhub' || plan.graphActivity
    ? await count(con, `SELECT count(*) FROM rejected_rows WHERE source_id = ${gq.p(t.sourceId)}`, gq.values)
    : 0;
  const moved = mapping ? await moveInvalid(con, t, reason, false) : 0;
  // The forgiving reader wrote `null` for records it could not read; they are in jsRejects.
  const np = new Params();
  const nullLines = opts.tolerant
    ? await count(con, `SELECT count(*) FROM rejected_rows WHERE source_id = ${np.p(t.sourceId)} AND raw = 'null' AND reason = 'not a JSON object'`, np.values)
    : 0;
  if (nullLines) {
    const dp = new Params();
    await exec(con, `DELETE FROM rejected_rows WHERE source_id = ${dp.p(t.sourceId)} AND raw = 'null' AND reason = 'not a JSON object'`, dp);
  }
  await insertRejects(con, t, jsRejects);
  const inserted = mapping ? (await newRows(con, t)) + moved : 0;
  const logTypes = mapping ? await logTypesOf(con, t) : [];
  const duplicates = mapping ? await dedupe(con, t) : 0;
  const imported = (mapping ? await newRows(con, t) : 0) + graphRows;
  const rejected = moved - nullLines + jsRejects.length + graphRejected;
  const read = imported + duplicates + rejected;
  void inserted;
  const summary = rejected ? await rejectedSummary(con, t, unit) : [];
  return { read, imported, duplicates, rejected, errors: [...notes, ...summary], logTypes };
}
