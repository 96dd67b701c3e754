import type { DuckDBConnection } from '@duckdb/node-api';
import { INSERT_COLUMNS, mappedSelect, type SigninMapping } from './mapping';
import { Params, count, rows } from './sqlParams';
import type { Plan } from './detectShape';
import { normaliseHeader, uniqueKeys } from './csvHeader';
import { portalMapping, type ColumnLookup } from './portalCsv';
import { LA_FALLBACK_COLUMNS, laMapping, TWIN_COLUMNS } from './laMapping';
import { csvExtraSql } from './extraFields';
import { GRAPH_ACTIVITY_COLUMNS, graphActivitySelect, numberGraphActivity } from './graphActivity';
import { AUTH_DETAIL_COLUMNS, authDetailsSelect } from './authDetails';
import { csvBufferBytes, exec, execRead, uniq, type LoadOptions, type LoadOutcome, type LoadTarget } from './loadTypes';
import { dedupe, describeRejects, insertRejects, logTypesOf, moveInvalid, newRows, commitAndNumberNewRows, rejectedSummary } from './signinsAfterLoad';

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

/** Newlines inside a record's cells: the physical lines it spans beyond its first. */
function newlinesIn(ncols: number): string {
  return Array.from({ length: ncols }, (_, i) => `coalesce(length(c${i}) - length(replace(c${i}, chr(10), '')), 0)`).join(' + ');
}

/**
 * CSV record start lines. Rows are numbered as if every record were one line (rn + 1); when
 * some records span lines (quoted newlines) or DuckDB rejected records, every row's line is
 * recomputed from the record lengths and the rejects' positions. Returns rejects with lines.
 */
async function csvRejectsAndLines(
  con: DuckDBConnection,
  t: LoadTarget,
  rejects: Rejects | null,
  updateSignins: boolean,
  spansReader: () => { sql: string; params: Params },
): Promise<Array<{ line: number; reason: string; raw: string }>> {
  // DuckDB numbers rejects by record (the header is record 1), not by physical line.
  const rej = rejects
    ? await rows<{ rec: string; etype: string; msg: string; raw: string }>(
        con,
        `SELECT line AS rec, first(error_type ORDER BY column_idx) AS etype, first(error_message ORDER BY column_idx) AS msg, first(csv_line ORDER BY column_idx) AS raw
         FROM ${rejects.table} GROUP BY line ORDER BY line`,
      )
    : [];
  const spanOf = (raw: string): number => 1 + ((raw ?? '').replace(/[\r\n]+$/, '').match(/\n/g)?.length ?? 0);
  const known = t.lines ? await t.lines : null;
  const good = updateSignins ? await newRows(con, t) : 0;
  const rejectLines = rej.reduce((s, r) => s + spanOf(r.raw), 0);
  // One header line plus one line per record: nothing spans lines, rn + 1 is already right.
  // Without a line count (compressed or re-encoded sources) the case holds every raw record: look there.
  const p = new Params();
  const multiline =
    updateSignins &&
    (known !== null
      ? known !== 1 + good + rejectLines
      : (await count(con, `SELECT count(*) FROM signins WHERE row_id > ${p.p(t.base)} AND contains(CAST(raw AS VARCHAR), chr(10))`, p.values)) > 0);
  const result: Array<{ line: number; reason: string; raw: string }> = [];
  if (rej.length === 0 && !multiline) return result;
  await exec(con, `CREATE OR REPLACE TEMP TABLE signet_rej (rec BIGINT, span BIGINT)`);
  for (const r of rej) {
    const q = new Params();
    await exec(con, `INSERT INTO signet_rej VALUES (${q.p(Number(r.rec))}, ${q.p(spanOf(r.raw))})`, q);
  }
  if (multiline) {
    // A second read numbers the records as the first one did (same rows skipped) and measures each.
    const spans = spansReader();
    await exec(con, `CREATE OR REPLACE TEMP TABLE signet_spans AS ${spans.sql}`, spans.params);
  }
  // Good row rn is record rn + 1 + (rejects before it): reject i (1-based, by record) precedes rn when rn >= rec_i - i.
  const q = new Params();
  const base = q.p(t.base);
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE signet_recs AS
     WITH r AS (SELECT rec, span, rec - row_number() OVER (ORDER BY rec) AS thr, row_number() OVER (ORDER BY rec) AS i FROM signet_rej),
     g AS (${
       updateSignins
         ? `SELECT s.row_id, s.row_id - ${base} AS rn, ${multiline ? 'sp.span' : '1'} AS span FROM signins s
            ${multiline ? `JOIN signet_spans sp ON sp.rn = s.row_id - ${base}` : ''} WHERE s.row_id > ${base}`
         : 'SELECT NULL::BIGINT AS row_id, NULL::BIGINT AS rn, NULL::BIGINT AS span WHERE false'
     }),
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
  for (const tbl of ['signet_rej', 'signet_recs', 'signet_spans']) await exec(con, `DROP TABLE IF EXISTS ${tbl}`);
  return result;
}

export async function loadCsv(con: DuckDBConnection, t: LoadTarget, plan: Extract<Plan, { kind: 'csv' }>, opts: Pick<LoadOptions, 'guarded'>): Promise<LoadOutcome> {
  const cells = plan.header.cells;
  const keys = uniqueKeys(cells);
  const rejects = opts.guarded ? { table: uniq('signet_rejects'), scan: uniq('signet_scan') } : null;
  const errors: string[] = [];
  const p = new Params();
  const rawSql = `json_object(${keys.map((k, i) => `${p.p(k)}, c${i}`).join(', ')})`;
  const reader = csvReader(t, cells.length, plan.header.delimiter, rejects ?? 'strict', p);
  let allowNullTime = false;
  let unmappedFields: string[] = [];
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
    let read: Set<number>;
    if (plan.shape === 'portal-csv') {
      const lookup = csvLookup(cells, normaliseHeader);
      mapping = portalMapping(lookup, plan.logType ?? 'interactive');
      read = lookup.read;
    } else {
      const lookup = csvLookup(cells, laKey);
      mapping = laMapping((n) => lookup.twin(n), plan.logType);
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
      SELECT NULL, ${mappedSelect(mapping)}, ${p.p(t.sourceId)}::INTEGER, ${p.p(t.sourceFile)}, NULL, ${p.p(plan.shape)}, ${keepRaw},
        hash(${keys.map((_, i) => `c${i}`).join(', ')})
      FROM ${reader}`;
  }
  await execRead(con, insert, p);
  if (target === 'signins') await commitAndNumberNewRows(con, t, 1);
  if (target === 'graph_activity') await numberGraphActivity(con);
  const spansReader = (): { sql: string; params: Params } => {
    const sp = new Params();
    const r = csvReader(t, cells.length, plan.header.delimiter, 'skip-bad', sp);
    return { sql: `SELECT row_number() OVER () AS rn, 1 + ${newlinesIn(cells.length)} AS span FROM ${r}`, params: sp };
  };
  const rejectList = await csvRejectsAndLines(con, t, rejects, target === 'signins', spansReader);
  if (rejects) {
    await exec(con, `DROP TABLE IF EXISTS ${rejects.table}`);
    await exec(con, `DROP TABLE IF EXISTS ${rejects.scan}`);
  }
  await insertRejects(con, t, rejectList);
  if (target !== 'signins') {
    const q = new Params();
    const n = await count(con, `SELECT count(*) FROM ${target} WHERE source_id = ${q.p(t.sourceId)}`, q.values);
    return { read: n + rejectList.length, imported: n, duplicates: 0, rejected: rejectList.length, errors: [...errors, ...describeRejects(t, rejectList, 'line')], logTypes: [], rawFromEvidence: false };
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

