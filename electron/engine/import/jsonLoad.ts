import type { DuckDBConnection } from '@duckdb/node-api';
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { INSERT_COLUMNS, mappedSelect, type SigninMapping } from './mapping';
import { Params, count, rows } from './sqlParams';
import type { Plan } from './detectShape';
import { LA_FALLBACK_COLUMNS, laMapping, TWIN_COLUMNS } from './laMapping';
import { GRAPH_FALLBACK_FIELDS, graphMapping } from './graphJson';
import { consumedNames, jsonExtraSql, unmappedFieldsSql } from './extraFields';
import { PathList } from './jsonPaths';
import { GRAPH_ACTIVITY_COLUMNS, graphActivitySelect, numberGraphActivity } from './graphActivity';
import { readTolerant } from './tolerantJson';
import { csvBufferBytes, exec, execRead, MAX_GUARDED_LINE_BYTES, MAX_TOLERANT_BYTES, type LoadOptions, type LoadOutcome, type LoadTarget } from './loadTypes';
import { dedupe, dedupeChildRows, insertRejects, logTypesOf, moveInvalid, newRows, commitAndNumberNewRows, rejectedSummary } from './signinsAfterLoad';

// JSON sources (Graph, PowerShell, Event Hub, Log Analytics JSON) through DuckDB's JSON
// readers, with a forgiving record-by-record reader for files DuckDB refuses.

/** Marks envelope lines inserted only to number the lines; they are deleted right after. */
const ENVELOPE_SHAPE = 'signet-envelope-line';

/**
 * Lines that frame records rather than hold one: blank, brackets, a page's opening line or
 * its `],"@odata.nextLink":…}` tail. A record line ends with `}` (or `},`), which is checked
 * first: trimming or matching every multi-kilobyte line would cost more than parsing it.
 * Any other line is a record, and is rejected with its line number if it is not valid.
 */
function envelopeLine(plan: Extract<Plan, { kind: 'json' }>): string {
  if (plan.layout === 'lines') return `CASE WHEN line IS NULL THEN true WHEN ends_with(line, '}') THEN false ELSE trim(line) = '' END`;
  return `CASE WHEN line IS NULL THEN true
    WHEN ends_with(line, '}') OR ends_with(line, '},') THEN CASE
      WHEN starts_with(line, ']') THEN true
      WHEN starts_with(line, ' ') OR starts_with(line, chr(9)) THEN starts_with(ltrim(line), ']')
      ELSE false END
    ELSE trim(line) = '' OR trim(line) = '[' OR starts_with(ltrim(line), ']') OR regexp_matches(line, '"(value|records)"\\s*:\\s*\\[\\s*$') END`;
}

/**
 * A page line's record text, without the comma that separates it from the next. A slice,
 * not rtrim(line, ','): on multi-kilobyte lines rtrim costs more than the JSON parse.
 */
const PAGE_LINE_TEXT = `CASE WHEN ends_with(line, '},') THEN line[:-2] WHEN ends_with(line, '}') THEN line ELSE rtrim(rtrim(line), ',') END`;

/**
 * (ln, o[, envelope]): the source's records as text. Line layouts read every line through
 * DuckDB's CSV reader (parallel); `windowless` keeps envelope lines, flagged, so that
 * every physical line becomes a row and the rows' insertion order gives the line numbers
 * without a window function (which would hold the whole read to one thread).
 */
function jsonBase(t: LoadTarget, plan: Extract<Plan, { kind: 'json' }>, p: Params, windowless: boolean, guarded: boolean): { sql: string } {
  const path = p.p(t.readPath);
  const common = `maximum_object_size=${t.maxRecordBytes}, compression='${t.compression === 'gzip' ? 'gzip' : 'uncompressed'}'`;
  if (plan.layout === 'lines' || plan.layout === 'page-lines') {
    const lineMax = guarded ? Math.max(t.maxRecordBytes, MAX_GUARDED_LINE_BYTES) : t.maxRecordBytes;
    const read = `read_csv(${path}, header=false, auto_detect=false, columns={'line': 'VARCHAR'},
              delim='\\x01', quote='', escape='', strict_mode=false, max_line_size=${lineMax}, buffer_size=${csvBufferBytes(lineMax)}, compression='${t.compression}')`;
    const text = plan.layout === 'page-lines' ? PAGE_LINE_TEXT : 'line';
    if (windowless) return { sql: `SELECT NULL::BIGINT AS ln, ${text} AS o, (${envelopeLine(plan)}) AS envelope FROM ${read}` };
    return {
      sql: `SELECT ln, ${text} AS o, false AS envelope FROM (SELECT row_number() OVER () AS ln, line FROM ${read}) WHERE NOT (${envelopeLine(plan)})`,
    };
  }
  const format = plan.layout === 'array' ? 'array' : 'unstructured';
  // Records are numbered after the insert (commitAndNumberNewRows), so the read is not held to one
  // thread by a window function; container files unnest first and keep their window.
  const ln = plan.containers ? 'row_number() OVER ()' : 'NULL::BIGINT';
  return { sql: `SELECT ${ln} AS ln, json AS o, false AS envelope FROM read_json_objects(${path}, format='${format}', ${common})` };
}

/**
 * Whether rows get their record numbers from their insertion order instead of from the read:
 * objects read by DuckDB's object reader, and line layouts of files whose physical line count
 * is known (so the numbering can be checked against it).
 */
function numberedAfterInsert(plan: Extract<Plan, { kind: 'json' }>, linesKnown: boolean): boolean {
  if (plan.containers) return false;
  if (plan.layout === 'lines' || plan.layout === 'page-lines') return linesKnown;
  return true;
}

/**
 * (rid, rn, j, o): one row per record; rid = its position among the records (the row id less
 * the base), rn = line (NDJSON) or record number (both NULL when numbered after the insert), j = the JSON text to extract from (NULL when invalid), o = the record
 * text. rawExpr turns o into the raw JSON column's value; it is evaluated in the insert so
 * that it runs only for the rows that keep their raw record.
 */
function jsonRecords(base: { sql: string }, plan: Extract<Plan, { kind: 'json' }>, guarded: boolean, maxRecordBytes: number): { sql: string; rawExpr: string } {
  const minify = `CASE WHEN contains(o, chr(10)) THEN json(o) ELSE CAST(o AS JSON) END`;
  if (plan.containers) {
    // Every record gets its own row number; records of one line (an NDJSON line holding an
    // array or a page) share that line as their record number.
    const byLine = plan.layout === 'lines' || plan.layout === 'page-lines';
    return {
      sql: `SELECT row_number() OVER () AS rid, ${byLine ? 'ln' : 'row_number() OVER ()'} AS rn, CASE WHEN json_type(e) = 'VARCHAR' THEN NULL ELSE CAST(e AS VARCHAR) END AS j, CAST(e AS VARCHAR) AS o, false AS envelope FROM (
        SELECT ln, unnest(CASE
          WHEN NOT json_valid(o) THEN [to_json(o)]
          WHEN json_type(o) = 'ARRAY' THEN json_extract(o, '$[*]')
          WHEN json_type(o, '$.value') = 'ARRAY' THEN json_extract(o, '$.value[*]')
          WHEN json_type(o, '$.records') = 'ARRAY' THEN json_extract(o, '$.records[*]')
          ELSE [json(o)] END) AS e
        FROM (${base.sql}))`,
      rawExpr: 'CAST(o AS JSON)',
    };
  }
  if (guarded) {
    return {
      sql: `SELECT ln AS rid, ln AS rn, CASE WHEN NOT envelope AND strlen(o) <= ${Math.floor(maxRecordBytes)} AND json_valid(o) THEN o END AS j, o, envelope FROM (${base.sql})`,
      rawExpr: `CASE WHEN j IS NOT NULL THEN ${minify} ELSE to_json(o) END`,
    };
  }
  return { sql: `SELECT ln AS rid, ln AS rn, CASE WHEN NOT envelope THEN o END AS j, o, envelope FROM (${base.sql})`, rawExpr: minify };
}

/**
 * The record's keys (k) and its diagnostic `properties`' keys (kp), computed once beside the
 * extraction, so each is one parse per record rather than two.
 */
function keysSql(j: string, underProperties: boolean): string {
  return `json_keys(${j}) AS k, ${underProperties ? `json_keys(${j}, '$.properties')` : 'NULL::VARCHAR[]'} AS kp`;
}

/**
 * A record (or its `properties`) with a key written twice. Counting a record's distinct keys
 * costs more than parsing it; a record whose keys are exactly `usual` (a list without
 * repeats: the first record's) has none, and that comparison is cheap.
 */
function duplicateKeysSql(usual: string): string {
  return `(CASE WHEN k = ${usual} THEN false ELSE list_unique(k) <> len(k) END OR coalesce(list_unique(kp) <> len(kp), false))`;
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
  insertFrom: (recordsSql: string, rawExpr: string, q: Params, repaired: boolean) => Promise<void>,
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
  await exec(con, `CREATE OR REPLACE TEMP TABLE signet_fix (rid BIGINT, rn BIGINT, j VARCHAR, o VARCHAR)`);
  for (const f of found) {
    const keys = duplicateKeys(f.raw);
    notes.push(duplicateKeyNote(`${t.sourceFile} record ${f.rn}`, keys));
    const q = new Params();
    await exec(con, `INSERT INTO signet_fix VALUES (${q.p(Number(f.row_id) - t.base)}, ${q.p(Number(f.rn))}, ${q.p(JSON.stringify(JSON.parse(f.raw)))}, ${q.p(f.raw)})`, q);
    const d = new Params();
    await exec(con, `DELETE FROM signins WHERE row_id = ${d.p(Number(f.row_id))}`, d);
  }
  // The raw record keeps the original text with both values.
  await insertFrom(`SELECT rid, rn, j, o, false AS envelope FROM signet_fix`, 'CAST(o AS JSON)', new Params(), true);
  await exec(con, 'DROP TABLE signet_fix');
  return notes;
}

/**
 * An NDJSON line that holds an array of records (a tool that wrote a page's `value` per line):
 * read as one record it has no time; each of its elements becomes a record of that line, with
 * a row number after every row of the case. Elements that are not sign-ins are rejected as usual.
 */
async function expandArrayLines(
  con: DuckDBConnection,
  t: LoadTarget,
  insertFrom: (recordsSql: string, rawExpr: string, q: Params, repaired: boolean) => Promise<void>,
): Promise<void> {
  const arrayLines = (p: Params): string => `row_id > ${p.p(t.base)} AND time_utc IS NULL AND json_type(raw) = 'ARRAY'`;
  const p = new Params();
  if ((await count(con, `SELECT count(*) FROM signins WHERE ${arrayLines(p)}`, p.values)) === 0) return;
  const next = (await count(con, 'SELECT max(row_id) FROM signins')) - t.base;
  const q = new Params();
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE signet_fix AS
     SELECT ${q.p(next)}::BIGINT + row_number() OVER (ORDER BY row_id, i) AS rid, source_record AS rn, CAST(e AS VARCHAR) AS j, CAST(e AS VARCHAR) AS o
     FROM (SELECT row_id, source_record, unnest(json_extract(raw, '$[*]')) AS e, generate_subscripts(json_extract(raw, '$[*]'), 1) AS i
           FROM signins WHERE ${arrayLines(q)})`,
    q,
  );
  const d = new Params();
  await exec(con, `DELETE FROM signins WHERE ${arrayLines(d)}`, d);
  await insertFrom(`SELECT rid, rn, j, o, false AS envelope FROM signet_fix`, 'CAST(o AS JSON)', new Params(), true);
  await exec(con, 'DROP TABLE signet_fix');
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

function duplicateKeyNote(where: string, keys: string[]): string {
  return `${where}: duplicate key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}; the last value is used`;
}

/**
 * JSON records through the forgiving reader into a scratch NDJSON file (one line per record).
 * `lineOf[k - 1]` is the evidence line where scratch record k starts; `byLine` numbers rejects
 * by that line (line layouts) rather than by record.
 */
async function tolerantToLines(t: LoadTarget, byLine: boolean): Promise<{ path: string; rejects: Array<{ line: number; reason: string; raw: string }>; notes: string[]; lineOf: number[] }> {
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
  const lineOf: number[] = [];
  readTolerant(text, (r) => {
    lineOf.push(r.line);
    if (!r.error && Buffer.byteLength(r.text) > t.maxRecordBytes) {
      // DuckDB reads the scratch file line by line: a longer line would fail the whole file.
      rejects.push({ line: byLine ? r.line : r.record, reason: `the record is ${Buffer.byteLength(r.text)} bytes, longer than the record limit (${t.maxRecordBytes} bytes); the record starts on line ${r.line}`, raw: r.text.slice(0, 1 << 20) });
      pending.push('null');
    } else if (r.error || r.value === undefined) {
      rejects.push({ line: byLine ? r.line : r.record, reason: `${r.error ?? 'unreadable'}; the record starts on line ${r.line}`, raw: r.text.slice(0, 1 << 20) });
      pending.push('null');
    } else {
      if (r.repaired) notes.push(`${t.sourceFile} record ${r.record} (line ${r.line}): ${r.repaired}`);
      // JSON.parse keeps a repeated key's last value, as the fast path does; say so here too.
      const keys = duplicateKeys(r.text);
      if (keys.length) notes.push(duplicateKeyNote(`${t.sourceFile} record ${r.record} (line ${r.line})`, keys));
      let line: string;
      try {
        line = JSON.stringify(r.value);
      } catch (err) {
        rejects.push({ line: byLine ? r.line : r.record, reason: `could not be written out again (${err instanceof Error ? err.message : String(err)}); the record starts on line ${r.line}`, raw: r.text.slice(0, 1 << 20) });
        line = 'null';
      }
      pending.push(line);
    }
  });
  for (const line of pending) {
    if (!ws.write(line + '\n')) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  return { path: out, rejects, notes, lineOf };
}

/** Rows numbered by their record in the forgiving reader's scratch file get their evidence line. */
async function renumberByLine(con: DuckDBConnection, table: 'signins' | 'graph_activity', t: LoadTarget, lineOf: number[]): Promise<void> {
  await exec(con, `CREATE OR REPLACE TEMP TABLE signet_lines (k BIGINT, line BIGINT)`);
  const CHUNK = 10000;
  for (let i = 0; i < lineOf.length; i += CHUNK) {
    // Numbers this process computed, never input text.
    const values = lineOf.slice(i, i + CHUNK).map((line, j) => `(${i + j + 1}, ${Math.trunc(line)})`).join(', ');
    await exec(con, `INSERT INTO signet_lines VALUES ${values}`);
  }
  const p = new Params();
  const where = table === 'signins' ? `row_id > ${p.p(t.base)}` : `source_id = ${p.p(t.sourceId)}`;
  await exec(con, `UPDATE ${table} SET source_record = l.line FROM signet_lines l WHERE ${where} AND l.k = ${table}.source_record`, p);
  await exec(con, 'DROP TABLE signet_lines');
}

export async function loadJson(con: DuckDBConnection, t0: LoadTarget, plan: Extract<Plan, { kind: 'json' }>, opts: LoadOptions): Promise<LoadOutcome> {
  let t = t0;
  let jsRejects: Array<{ line: number; reason: string; raw: string }> = [];
  const notes: string[] = [];
  let effective = plan;
  // Line layouts cite the line a record starts on, also when the forgiving reader read them.
  const linesOfEvidence = !plan.containers && (plan.layout === 'lines' || plan.layout === 'page-lines');
  let tolerantLines: number[] | null = null;
  if (opts.tolerant) {
    const tol = await tolerantToLines(t0, linesOfEvidence);
    if (linesOfEvidence) tolerantLines = tol.lineOf;
    t = { ...t0, readPath: tol.path, compression: 'none' };
    jsRejects = tol.rejects;
    notes.push(...tol.notes);
    effective = { ...plan, layout: 'lines', containers: false };
  }
  const lineCount = opts.tolerant ? null : t0.lines;
  let afterInsert = numberedAfterInsert(effective, lineCount !== null);
  const guarded = opts.guarded || opts.tolerant;
  // The forgiving reader numbers records itself; DuckDB's line numbers in its scratch file equal them.
  const byLine = !effective.containers && (effective.layout === 'lines' || effective.layout === 'page-lines');
  const unit = (!opts.tolerant && byLine) || tolerantLines ? 'line' : 'record';
  const dialect = effective.dialect;
  const fallbacks = dialect === 'la' ? LA_FALLBACK_COLUMNS : GRAPH_FALLBACK_FIELDS;
  const paths = new PathList('v', dialect === 'eventhub' ? [] : fallbacks);
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
  // Read after the mapping, so every field it uses is known.
  if (mapping) {
    mapping.extra = jsonExtraSql(
      'j',
      dialect === 'eventhub'
        ? { top: ['category'], under: { key: 'properties', names: consumedNames(paths.namesUnder('properties'), GRAPH_FALLBACK_FIELDS) } }
        : { top: consumedNames(paths.namesUnder(), fallbacks) },
    );
  }
  // A record with the usual keys (the first record's, checked below for repeats anyway) has a
  // known `extra`: its fields no column consumed, taken from the one extraction. A JSON merge
  // patch of the record gives the same object but parses it again (a sixth of the import's CPU).
  const consumedTop = new Set(dialect === 'eventhub' || !mapping ? [] : consumedNames(paths.namesUnder(), fallbacks));
  const usualExtra = dialect === 'eventhub' ? null : plan.recordKeys.filter((k) => !consumedTop.has(k));
  const category = dialect === 'eventhub' ? `lower(${paths.get('category')})` : null;
  const lazyRaw = t.rawFromEvidence && !opts.tolerant && !effective.containers;
  const underProperties = dialect === 'eventhub';
  /** repaired: rows re-inserted by resolveDuplicateKeys, numbered by their rn and keeping raw. */
  const insertFrom = async (recordsSql: string, rawExpr: string, q: Params, repaired: boolean): Promise<void> => {
    const where = category ? `WHERE ${category} IS DISTINCT FROM 'microsoftgraphactivitylogs'` : '';
    const numbered = repaired || !afterInsert;
    // Rows that will be rejected, or whose record repeats a key, keep their record in the case;
    // the others are read back from the evidence when shown. Envelope lines are dropped after numbering.
    const withKeys = lazyRaw && !repaired;
    const usual = withKeys ? `${q.p(JSON.stringify(plan.recordKeys))}::JSON::VARCHAR[]` : '';
    const keepRaw = withKeys
      ? `CASE WHEN envelope THEN NULL WHEN (${mapping!.time_utc ?? 'NULL'}) IS NULL OR (${mapping!.log_type ?? 'NULL'}) IS NULL OR ${duplicateKeysSql(usual)} THEN ${rawExpr} END`
      : `CASE WHEN envelope THEN NULL ELSE ${rawExpr} END`;
    const fastExtra = withKeys && usualExtra ? paths.objectOf(usualExtra, q) : null;
    const m = fastExtra ? { ...mapping!, extra: `CASE WHEN k = ${usual} THEN ${fastExtra} ELSE ${mapping!.extra} END` } : mapping!;
    const ins = `INSERT INTO signins (${INSERT_COLUMNS.map((c) => `"${c}"`).join(', ')})
      SELECT ${numbered ? `${q.p(t.base)}::BIGINT + rid` : 'NULL'}, ${mappedSelect(m)}, ${q.p(t.sourceId)}::INTEGER, ${q.p(t.sourceFile)}, ${numbered ? 'rn' : 'NULL'},
        CASE WHEN envelope THEN '${ENVELOPE_SHAPE}' ELSE ${q.p(plan.shape)} END, ${keepRaw}, NULL
      FROM (SELECT rid, rn, o, j, envelope, ${paths.extractSql('j')} AS v${lazyRaw && !repaired ? `, ${keysSql('j', underProperties)}` : ''} FROM (${recordsSql})) ${where}`;
    await execRead(con, ins, q);
  };
  if (mapping) {
    const p = new Params();
    const rec = jsonRecords(jsonBase(t, effective, p, afterInsert, guarded), effective, guarded, t.maxRecordBytes);
    await insertFrom(rec.sql, rec.rawExpr, p, false);
    if (afterInsert) {
      await commitAndNumberNewRows(con, t, 0);
      if (byLine && lineCount && (await newRows(con, t)) !== (await lineCount)) {
        // DuckDB did not give one row per physical line (it can pass over some blank lines):
        // number by a window over the read instead.
        const d = new Params();
        await exec(con, `DELETE FROM signins WHERE row_id > ${d.p(t.base)}`, d);
        afterInsert = false;
        const w = new Params();
        const wrec = jsonRecords(jsonBase(t, effective, w, false, guarded), effective, guarded, t.maxRecordBytes);
        await insertFrom(wrec.sql, wrec.rawExpr, w, false);
      }
      const e = new Params();
      await exec(con, `DELETE FROM signins WHERE row_id > ${e.p(t.base)} AND source_shape = '${ENVELOPE_SHAPE}'`, e);
    }
    notes.push(...(await resolveDuplicateKeys(con, t, underProperties, insertFrom)));
    if (byLine) await expandArrayLines(con, t, insertFrom);
    if (tolerantLines) await renumberByLine(con, 'signins', t, tolerantLines);
  }
  let graphRows = 0;
  let graphCopies = 0;
  if (dialect === 'eventhub' || plan.graphActivity) {
    const gp = new Params();
    const gbase = jsonBase(t, effective, gp, false, opts.guarded || opts.tolerant);
    const grec = jsonRecords(gbase, effective, opts.guarded || opts.tolerant, t.maxRecordBytes);
    const gpaths = new PathList('v');
    const f =
      dialect === 'eventhub'
        ? (n: string): string => gpaths.get('properties', n)
        : (n: string): string => gpaths.get(n[0]!.toUpperCase() + n.slice(1));
    const select = graphActivitySelect(f);
    const gcat = dialect === 'eventhub' ? `WHERE lower(${gpaths.get('category')}) = 'microsoftgraphactivitylogs'` : '';
    const gins = `INSERT INTO graph_activity (${GRAPH_ACTIVITY_COLUMNS.join(', ')}, source_id, source_file, source_record, raw)
      SELECT ${select}, ${gp.p(t.sourceId)}::INTEGER, ${gp.p(t.sourceFile)}, rn, raw
      FROM (SELECT rn, ${grec.rawExpr} AS raw, ${gpaths.extractSql('j')} AS v FROM (${grec.sql})) ${gcat}`;
    await execRead(con, gins, gp);
    if (tolerantLines) await renumberByLine(con, 'graph_activity', t, tolerantLines);
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
    await numberGraphActivity(con);
    const c = new Params();
    graphCopies = await dedupeChildRows(con, 'graph_activity', t.sourceId);
    graphRows = await count(con, `SELECT count(*) FROM graph_activity WHERE source_id = ${c.p(t.sourceId)}`, c.values);
  }
  const timeText = {
    graph: `raw->>'createdDateTime'`,
    'graph-pascal': `raw->>'CreatedDateTime'`,
    eventhub: `json_extract_string(raw, '$.properties.createdDateTime')`,
    la: `coalesce(raw->>'CreatedDateTime', raw->>'TimeGenerated')`,
  }[dialect];
  const timeName = { graph: 'createdDateTime', 'graph-pascal': 'CreatedDateTime', eventhub: 'properties.createdDateTime', la: 'CreatedDateTime / TimeGenerated' }[dialect];
  const limit = Math.floor(t.maxRecordBytes);
  const reason = `CASE WHEN json_type(raw) = 'VARCHAR' AND strlen(raw->>'$') > ${limit}
        THEN 'the record is ' || strlen(raw->>'$') || ' bytes, longer than the record limit (${limit} bytes)'
      WHEN json_type(raw) = 'VARCHAR' THEN 'not valid JSON'
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
  const duplicates = (mapping ? await dedupe(con, t) : 0) + graphCopies;
  const imported = (mapping ? await newRows(con, t) : 0) + graphRows;
  const rejected = moved - nullLines + jsRejects.length + graphRejected;
  const read = imported + duplicates + rejected;
  void inserted;
  const summary = rejected ? await rejectedSummary(con, t, unit) : [];
  const unmapped = mapping
    ? (await rows<{ k: string }>(con, unmappedFieldsSql(underProperties ? 'properties' : null), underProperties ? [t.sourceId, t.sourceId] : [t.sourceId]))
        .map((r) => r.k)
        .filter((k) => !(underProperties && k === 'properties'))
    : [];
  return { read, imported, duplicates, rejected, errors: [...notes, ...summary], logTypes, rawFromEvidence: lazyRaw && mapping !== null, unmappedFields: unmapped };
}

