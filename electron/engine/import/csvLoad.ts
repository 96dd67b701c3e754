import type { DuckDBConnection } from '@duckdb/node-api';
import { INSERT_COLUMNS, mappedSelect, type SigninMapping } from './mapping';
import { Params, count, rows } from './sqlParams';
import type { Plan } from './detectShape';
import { normaliseHeader, uniqueKeys } from './csvHeader';
import { portalMapping, type ColumnLookup } from './portalCsv';
import { LA_FALLBACK_COLUMNS, laMapping, TWIN_COLUMNS } from './laMapping';
import { decideDateOrder } from './dateOrder';
import { csvExtraSql } from './extraFields';
import { GRAPH_ACTIVITY_COLUMNS, graphActivitySelect, numberGraphActivity } from './graphActivity';
import { AUTH_DETAIL_COLUMNS, authDetailsSelect } from './authDetails';
import { csvBufferBytes, exec, execRead, uniq, type LoadOptions, type LoadOutcome, type LoadTarget } from './loadTypes';
import { csvRecordStarts, type CsvRecordStarts } from './csvRecords';
import { dedupe, dedupeChildRows, describeRejects, insertRejects, logTypesOf, moveInvalid, newRows, commitAndNumberNewRows, rejectedSummary } from './signinsAfterLoad';

// CSV sources (portal downloads, AuthDetails, Log Analytics exports) through DuckDB's read_csv.

type Rejects = { table: string; scan: string };

/**
 * The reader. 'strict': the first bad record fails the read (fast: storing rejects doubles
 * DuckDB's parsing cost), and the importer then reads again with a rejects table;
 * 'skip-bad': bad records are skipped exactly as they are when stored.
 */
function csvReader(t: LoadTarget, ncols: number, delimiter: string, mode: Rejects | 'strict' | 'skip-bad', params: Params): string {
  const cols = Array.from({ length: ncols }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const delim = delimiter === '\t' ? '\\t' : delimiter;
  const rej =
    mode === 'strict' ? '' : mode === 'skip-bad' ? ', ignore_errors=true' : `, store_rejects=true, rejects_table='${mode.table}', rejects_scan='${mode.scan}'`;
  return `read_csv(${params.p(t.readPath)}, header=false, skip=1, auto_detect=false, columns={${cols}}, delim='${delim}', quote='"', escape='"',
    strict_mode=true, null_padding=false, max_line_size=${t.maxRecordBytes}, buffer_size=${csvBufferBytes(t.maxRecordBytes)}, compression='${t.compression}'${rej})`;
}

/** `read`: the cells a mapping used as a column's source; the others go to `extra`. */
function csvLookup(cells: string[], key: (s: string) => string): ColumnLookup & { twin(name: string): string; read: Set<number> } {
  const idx = new Map<string, number[]>();
  const read = new Set<number>();
  cells.forEach((c, i) => {
    const k = key(c);
    idx.set(k, [...(idx.get(k) ?? []), i]);
  });
  const col = (name: string): string => {
    const i = idx.get(key(name));
    if (i) read.add(i[0]!);
    return i ? `c${i[0]}` : 'NULL';
  };
  return {
    read,
    col,
    all: (name) => {
      const i = idx.get(key(name)) ?? [];
      if (i.length) read.add(i[0]!);
      return i.map((n) => `c${n}`);
    },
    has: (name) => idx.has(key(name)),
    twin: (name) => {
      const parts = [`nullif(nullif(${col(`${name}_dynamic`)}, ''), '{}')`, `nullif(${col(`${name}_string`)}, '')`, col(name)];
      return TWIN_COLUMNS.includes(name) ? `coalesce(${parts.join(', ')})` : col(name);
    },
  };
}

const laKey = (s: string): string => s.replace(/^\uFEFF/, '').trim().replace(/\s*\[UTC\]$/i, '').toLowerCase();

type Reject = { line: number; reason: string; raw: string };
type TargetTable = 'signins' | 'auth_details' | 'graph_activity';

/** Record numbers as DuckDB's reads gives them: the row's position among the good records (1-based). */
function ordinalSql(target: TargetTable, t: LoadTarget, p: Params): { table: string; ordinal: string; where: string } {
  if (target === 'signins') {
    const base = p.p(t.base);
    return { table: 'signins', ordinal: `row_id - ${base}`, where: `row_id > ${base}` };
  }
  // Child tables were numbered rn + 1 by their insert.
  return { table: target, ordinal: 'source_record - 1', where: `source_id = ${p.p(t.sourceId)}` };
}

/** Index of the first record starting at or after `pos` (DuckDB's reject positions can be one byte late). */
function recordAt(starts: CsvRecordStarts, pos: number): number {
  let lo = 0;
  let hi = starts.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts.offsets[mid]! < pos - 1) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, starts.count - 1);
}

/**
 * CSV record start lines. Rows are numbered as if every record were one line (rn + 1). That is
 * right only when the file has one line per record: no reject, no blank line, and as many lines
 * as records. Otherwise the records' start lines come from an independent pass over what DuckDB
 * read (csvRecordStarts); DuckDB's rejects are placed by their byte position, and the good rows
 * take the remaining records in order. Returns the rejects with their lines.
 */
async function csvRejectsAndLines(
  con: DuckDBConnection,
  t: LoadTarget,
  rejects: Rejects | null,
  target: TargetTable,
  delimiter: string,
  starts0: CsvRecordStarts | null,
): Promise<{ rejects: Reject[]; note: string | null }> {
  const rej = rejects
    ? await rows<{ rec: string; pos: string; etype: string; msg: string; raw: string }>(
        con,
        `SELECT line AS rec, min(line_byte_position) AS pos, first(error_type ORDER BY column_idx) AS etype, first(error_message ORDER BY column_idx) AS msg, first(csv_line ORDER BY column_idx) AS raw
         FROM ${rejects.table} GROUP BY line ORDER BY line`,
      )
    : [];
  const cp = new Params();
  const o = ordinalSql(target, t, cp);
  const good = await count(con, `SELECT count(*) FROM ${o.table} WHERE ${o.where}`, cp.values);
  const known = t.lines ? await t.lines : null;
  const blank = t.blankLines ? await t.blankLines : null;
  if (rej.length === 0 && known !== null && blank === 0 && known === 1 + good) return { rejects: [], note: null };
  const starts = starts0 ?? (await csvRecordStarts(t.readPath, t.compression === 'gzip', delimiter));
  const rejectAt = new Set<number>();
  const result: Reject[] = [];
  for (const r of rej) {
    const i = starts.count > 0 ? recordAt(starts, Number(r.pos)) : -1;
    if (i >= 0) rejectAt.add(i);
    result.push({ line: i >= 0 ? starts.lines[i]! : 0, reason: `${r.etype.toLowerCase()}: ${r.msg}`, raw: (r.raw ?? '').replace(/^[\r\n]+/, '') });
  }
  if (good + rejectAt.size < starts.count) {
    // DuckDB passes over a record longer than its line limit without reporting it.
    for (let i = 0; i < starts.count; i++) {
      const bytes = (i + 1 < starts.count ? starts.offsets[i + 1]! : starts.end) - starts.offsets[i]!;
      if (rejectAt.has(i) || bytes <= t.maxRecordBytes) continue;
      rejectAt.add(i);
      result.push({ line: starts.lines[i]!, reason: `the record is ${bytes} bytes, longer than the record limit (${t.maxRecordBytes} bytes); not read`, raw: '' });
    }
    result.sort((a, b) => a.line - b.line);
  }
  const goodLines: number[] = [];
  for (let i = 0; i < starts.count; i++) if (!rejectAt.has(i)) goodLines.push(starts.lines[i]!);
  if (goodLines.length !== good) {
    // Never a wrong line: say that the numbers are record numbers.
    const note = `${t.sourceFile}: DuckDB read ${good} records and rejected ${rej.length} where ${starts.count} were found; rows cite their record number, not their line`;
    return { rejects: rej.map((r) => ({ line: Number(r.rec), reason: `${r.etype.toLowerCase()}: ${r.msg}`, raw: r.raw ?? '' })), note };
  }
  await exec(con, `CREATE OR REPLACE TEMP TABLE signet_lines (k BIGINT, line BIGINT)`);
  const CHUNK = 10000;
  for (let i = 0; i < goodLines.length; i += CHUNK) {
    // Numbers this process computed, never input text.
    const values = goodLines.slice(i, i + CHUNK).map((line, j) => `(${i + j + 1}, ${Math.trunc(line)})`).join(', ');
    await exec(con, `INSERT INTO signet_lines VALUES ${values}`);
  }
  const up = new Params();
  const u = ordinalSql(target, t, up);
  await exec(con, `UPDATE ${u.table} SET source_record = l.line FROM signet_lines l WHERE ${u.where} AND l.k = ${u.ordinal} AND source_record <> l.line`, up);
  await exec(con, 'DROP TABLE signet_lines');
  return { rejects: result, note: null };
}

export async function loadCsv(con: DuckDBConnection, t0: LoadTarget, plan: Extract<Plan, { kind: 'csv' }>, opts: Pick<LoadOptions, 'guarded'>): Promise<LoadOutcome> {
  const cells = plan.header.cells;
  const keys = uniqueKeys(cells);
  const rejects = opts.guarded ? { table: uniq('signet_rejects'), scan: uniq('signet_scan') } : null;
  const errors: string[] = [];
  let t = t0;
  let starts: CsvRecordStarts | null = null;
  if (opts.guarded) {
    // DuckDB reads one kind of line ending per file: records ending in both fail the whole read.
    const gzip = t.compression === 'gzip';
    starts = await csvRecordStarts(t.readPath, gzip, plan.header.delimiter);
    if (starts.crlfEnds > 0 && starts.lfEnds > 0) {
      const copy = t.scratch('one-line-ending.csv');
      starts = await csvRecordStarts(t.readPath, gzip, plan.header.delimiter, copy);
      t = { ...t, readPath: copy, compression: 'none' };
      errors.push(`${t.sourceFile}: ${starts.crlfEnds} records end with CRLF and ${starts.lfEnds} with LF; the file was read through a copy with LF only (cells and line numbers unchanged)`);
    }
  }
  const p = new Params();
  const rawSql = `json_object(${keys.map((k, i) => `${p.p(k)}, c${i}`).join(', ')})`;
  const reader = csvReader(t, cells.length, plan.header.delimiter, rejects ?? 'strict', p);
  let allowNullTime = false;
  let unmappedFields: string[] = [];
  let target: TargetTable = 'signins';
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
    let read: Set<number>;
    if (plan.shape === 'portal-csv') {
      const lookup = csvLookup(cells, normaliseHeader);
      mapping = portalMapping(lookup, plan.logType ?? 'interactive');
      read = lookup.read;
    } else {
      const lookup = csvLookup(cells, laKey);
      // Day/month order from the file's own time values (dateOrder.ts): never guessed silently.
      const timeCols = ['CreatedDateTime', 'TimeGenerated'].filter((n) => lookup.has(n)).map((n) => lookup.col(n));
      const dp = new Params();
      const values = timeCols.map((c) => `SELECT ${c} AS x FROM ${csvReader(t, cells.length, plan.header.delimiter, 'skip-bad', dp)}`).join(' UNION ALL ');
      const order = timeCols.length ? await decideDateOrder(con, t.sourceFile, values, dp, plan.dateOrder) : plan.dateOrder;
      mapping = laMapping((n) => lookup.twin(n), plan.logType, order);
      const fallbacks = new Set(LA_FALLBACK_COLUMNS.map(laKey));
      read = new Set([...lookup.read].filter((i) => !fallbacks.has(laKey(cells[i]!))));
      if (!lookup.has('CreatedDateTime') && !lookup.has('TimeGenerated')) {
        allowNullTime = true;
        errors.push(`${t.sourceFile}: the export has no time column (TimeGenerated [UTC] or CreatedDateTime [UTC]); its rows are imported with an empty time`);
      }
    }
    const unread = keys.map((_, i) => i).filter((i) => !read.has(i));
    mapping.extra = csvExtraSql(keys, unread, p);
    unmappedFields = unread.map((i) => keys[i]!);
    // Rows that will be rejected keep their record; the others can be re-read from the evidence.
    const keepRaw = t.rawFromEvidence ? `CASE WHEN (${mapping.time_utc ?? 'NULL'}) IS NULL OR (${mapping.log_type ?? 'NULL'}) IS NULL THEN ${rawSql} END` : rawSql;
    insert = `INSERT INTO signins (${INSERT_COLUMNS.map((c) => `"${c}"`).join(', ')})
      SELECT NULL, ${mappedSelect(mapping)}, ${p.p(t.sourceId)}::INTEGER, ${p.p(t.sourceFile)}, NULL, ${p.p(plan.shape)}, ${keepRaw}, NULL
      FROM ${reader}`;
  }
  await execRead(con, insert, p);
  if (target === 'signins') await commitAndNumberNewRows(con, t, 1);
  const numbered = await csvRejectsAndLines(con, t, rejects, target, plan.header.delimiter, starts);
  const rejectList = numbered.rejects;
  if (numbered.note) errors.push(numbered.note);
  if (target === 'graph_activity') await numberGraphActivity(con);
  if (rejects) {
    await exec(con, `DROP TABLE IF EXISTS ${rejects.table}`);
    await exec(con, `DROP TABLE IF EXISTS ${rejects.scan}`);
  }
  await insertRejects(con, t, rejectList);
  if (target !== 'signins') {
    const q = new Params();
    const n = await count(con, `SELECT count(*) FROM ${target} WHERE source_id = ${q.p(t.sourceId)}`, q.values);
    const copies = await dedupeChildRows(con, target, t.sourceId);
    return { read: n + rejectList.length, imported: n - copies, duplicates: copies, rejected: rejectList.length, errors: [...errors, ...describeRejects(t, rejectList, 'line')], logTypes: [], rawFromEvidence: false };
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
  return { read: inserted + rejectList.length, imported, duplicates, rejected, errors: [...errors, ...summary], logTypes, rawFromEvidence: t.rawFromEvidence, unmappedFields };
}

