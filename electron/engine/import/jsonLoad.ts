import type { DuckDBConnection } from '@duckdb/node-api';
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { INSERT_COLUMNS, mappedSelect, type SigninMapping } from './mapping';
import { Params, count, rows } from './sqlParams';
import type { Plan } from './detectShape';
import { laMapping, TWIN_COLUMNS } from './laMapping';
import { graphMapping } from './graphJson';
import { PathList } from './jsonPaths';
import { GRAPH_ACTIVITY_COLUMNS, graphActivitySelect } from './graphActivity';
import { readTolerant } from './tolerantJson';
import { exec, execRead, MAX_TOLERANT_BYTES, type LoadOptions, type LoadOutcome, type LoadTarget } from './loadTypes';
import { dedupe, insertRejects, logTypesOf, moveInvalid, newRows, rejectedSummary } from './signinsAfterLoad';

// JSON sources (Graph, PowerShell, Event Hub, Log Analytics JSON) through DuckDB's JSON
// readers, with a forgiving record-by-record reader for files DuckDB refuses.

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

