import type { FilterState } from './filterModel';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../db/database';
import { quoteIdent } from '../db/database';
import { CANONICAL_COLUMNS, canonicalColumn, SIGNINS_TABLE } from '../schema/canonical';
import { ipKeySql } from './ipAddress';
import { likeEscape, negated, NUMERIC_SEARCH_COLUMNS, parseSearch, textPredicate, whereSql, type SqlFragment, type TextCondition } from './filterSql';

/**
 * The distinct values of each text column, kept in the case so that text conditions and
 * global search are decided on a few thousand values instead of a million rows. A test
 * such as `user_agent ILIKE '%windows%'` is run on the value list, and the rows are then
 * picked by plain equality on the values that passed (`user_agent IN (…)`), which DuckDB
 * evaluates far faster than a pattern on every row, and which stays fast where the filter
 * cannot be pushed into the scan (the map's positional join over its location cache).
 *
 * Columns whose values are nearly all different (request and correlation ids, tokens)
 * are not listed: listing them would cost as much as reading them. For those the case
 * keeps which characters their values are made of (hex digits, address characters, …),
 * so a search term with other characters can skip them, and otherwise they are read
 * row by row as before.
 *
 * The lists only ever answer "which values exist"; a value of a removed row that stays
 * listed matches no row, so only rows added since the lists were made can make them
 * stale. They are stamped with the row count and highest row_id and caught up (append)
 * or rebuilt when those move. A text value never changes after import.
 */
export const TEXT_VALUES_TABLE = 'text_values';
const TEXT_COLUMNS_TABLE = 'text_value_columns';
const STAMP_TABLE = 'text_value_stamp';
/** Search index of earlier versions (one lower-cased text per row); replaced by the lists. */
const LEGACY_SEARCH_TABLE = 'search_text';

const TEXT_COLUMNS: readonly string[] = CANONICAL_COLUMNS.filter((c) => c.type === 'VARCHAR').map((c) => c.name);

/** Character classes an unlisted column may be confined to, tested on lower-cased text. */
const CHAR_CLASSES = [
  { name: 'digits', re: '[0-9]*' },
  { name: 'hex', re: '[0-9a-f-]*' },
  { name: 'address', re: '[0-9a-f.:]*' },
  { name: 'token', re: '[0-9a-z_-]*' },
] as const;
type CharClass = (typeof CHAR_CLASSES)[number]['name'];

/** Above this many matching values a column is tested row by row (a long list stops paying). */
const MAX_LISTED_MATCHES = 1000;

export interface TextValueOptions {
  /** The session's data version: within one, the stamp is checked once. */
  dataVersion?: number;
  /** A column with more distinct values than this (and mostly distinct) is not listed. */
  listAtMost?: number;
}

interface TextValuesInfo {
  listed: ReadonlySet<string>;
  /** Values listed per column. */
  counts: ReadonlyMap<string, number>;
  /** Unlisted columns and the classes all of their values belong to. */
  classes: ReadonlyMap<string, readonly CharClass[]>;
}

interface Stamp {
  rows: number;
  maxRowId: number;
  key: string;
}

const building = new WeakMap<Database, Promise<TextValuesInfo | null>>();
const checked = new WeakMap<Database, { version: number; info: TextValuesInfo }>();

function stampKey(listAtMost: number): string {
  return `v1|${listAtMost}|${TEXT_COLUMNS.join(',')}`;
}

async function currentRows(db: Database): Promise<{ rows: number; maxRowId: number }> {
  const r = await db.one<{ n: string; m: string | null }>(`SELECT count(*) AS n, max(row_id) AS m FROM ${SIGNINS_TABLE}`);
  return { rows: Number(r?.n ?? 0), maxRowId: r?.m == null ? -1 : Number(r.m) };
}

async function storedStamp(db: Database, con: DuckDBConnection): Promise<Stamp | null> {
  const exists = Number(await db.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary`, [STAMP_TABLE], con));
  if (!exists) return null;
  const r = await db.one<{ rows: string; max_row_id: string; key: string }>(`SELECT rows, max_row_id, key FROM ${STAMP_TABLE} LIMIT 1`, [], con);
  return r ? { rows: Number(r.rows), maxRowId: Number(r.max_row_id), key: r.key } : null;
}

async function readInfo(db: Database, con: DuckDBConnection): Promise<TextValuesInfo> {
  const rows = await db.all<{ col: string; listed: boolean } & Record<CharClass, boolean | null>>(
    `SELECT col, listed, ${CHAR_CLASSES.map((c) => c.name).join(', ')} FROM ${TEXT_COLUMNS_TABLE}`,
    [],
    con,
  );
  const listed = new Set<string>();
  const classes = new Map<string, CharClass[]>();
  for (const r of rows) {
    if (r.listed) listed.add(r.col);
    else classes.set(r.col, CHAR_CLASSES.filter((c) => r[c.name] === true).map((c) => c.name));
  }
  const counts = new Map(
    (await db.all<{ col: string; n: string }>(`SELECT col, count(*) AS n FROM ${TEXT_VALUES_TABLE} GROUP BY col`, [], con)).map((r) => [r.col, Number(r.n)]),
  );
  return { listed, classes, counts };
}

/** Distinct values of the listed columns among rows with row_id above `after` (all rows when null). */
function valuesSql(columns: readonly string[], after: number | null): string {
  const where = after === null ? '' : ` AND row_id > ${Math.trunc(after)}`;
  return columns
    .map((c) => `SELECT '${c}' AS col, ${quoteIdent(c)} AS v FROM ${SIGNINS_TABLE} WHERE ${quoteIdent(c)} IS NOT NULL${where} GROUP BY ALL`)
    .join('\nUNION ALL\n');
}

/** Per unlisted column and class: whether every value (of rows above `after`) is in it. */
async function classFlags(db: Database, con: DuckDBConnection, columns: readonly string[], after: number | null): Promise<Map<string, Record<CharClass, boolean>>> {
  const out = new Map<string, Record<CharClass, boolean>>();
  if (!columns.length) return out;
  const selects = columns.flatMap((c, i) =>
    CHAR_CLASSES.map((k) => `coalesce(bool_and(regexp_full_match(lower(${quoteIdent(c)}), '${k.re}')), true) AS c${i}_${k.name}`),
  );
  const r = await db.one<Record<string, boolean>>(`SELECT ${selects.join(', ')} FROM ${SIGNINS_TABLE}${after === null ? '' : ` WHERE row_id > ${Math.trunc(after)}`}`, [], con);
  columns.forEach((c, i) => {
    const flags = {} as Record<CharClass, boolean>;
    for (const k of CHAR_CLASSES) flags[k.name] = r?.[`c${i}_${k.name}`] !== false;
    out.set(c, flags);
  });
  return out;
}

async function writeStamp(db: Database, con: DuckDBConnection, stamp: Stamp): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${STAMP_TABLE} (rows BIGINT, max_row_id BIGINT, key VARCHAR)`, [], con);
  await db.run(`INSERT INTO ${STAMP_TABLE} VALUES (?, ?, ?)`, [stamp.rows, stamp.maxRowId, stamp.key], con);
}

async function rebuild(db: Database, con: DuckDBConnection, now: { rows: number; maxRowId: number }, listAtMost: number): Promise<void> {
  // Which columns are worth listing is judged on a sample: it decides speed, never results.
  const sample = await db.one<Record<string, string>>(
    `SELECT ${TEXT_COLUMNS.map((c, i) => `count(DISTINCT ${quoteIdent(c)}) AS d${i}, count(${quoteIdent(c)}) AS n${i}`).join(', ')}
     FROM (SELECT * FROM ${SIGNINS_TABLE} ${now.rows > 200_000 ? 'USING SAMPLE 10% (system)' : ''})`,
    [],
    con,
  );
  const scale = now.rows > 200_000 ? 10 : 1;
  const listed = TEXT_COLUMNS.filter((c, i) => {
    const distinct = Number(sample?.[`d${i}`] ?? 0);
    const nonNull = Number(sample?.[`n${i}`] ?? 0);
    return distinct * scale <= listAtMost || distinct <= nonNull / 2;
  });
  const unlisted = TEXT_COLUMNS.filter((c) => !listed.includes(c));
  await db.run(`DROP TABLE IF EXISTS ${LEGACY_SEARCH_TABLE}`, [], con);
  await db.run(
    listed.length
      ? `CREATE OR REPLACE TABLE ${TEXT_VALUES_TABLE} AS SELECT col, v, lower(v) AS lv FROM (${valuesSql(listed, null)}) ORDER BY col, v`
      : `CREATE OR REPLACE TABLE ${TEXT_VALUES_TABLE} (col VARCHAR, v VARCHAR, lv VARCHAR)`,
    [],
    con,
  );
  const flags = await classFlags(db, con, unlisted, null);
  await db.run(
    `CREATE OR REPLACE TABLE ${TEXT_COLUMNS_TABLE} (col VARCHAR, listed BOOLEAN, ${CHAR_CLASSES.map((c) => `${c.name} BOOLEAN`).join(', ')})`,
    [],
    con,
  );
  const row = `(?, ?, ${CHAR_CLASSES.map(() => '?').join(', ')})`;
  await db.run(
    `INSERT INTO ${TEXT_COLUMNS_TABLE} VALUES ${TEXT_COLUMNS.map(() => row).join(', ')}`,
    TEXT_COLUMNS.flatMap((c) => {
      const f = flags.get(c);
      return [c, !f, ...CHAR_CLASSES.map((k) => (f ? f[k.name] : null))];
    }),
    con,
  );
  await writeStamp(db, con, { ...now, key: stampKey(listAtMost) });
}

/** Rows were only appended (every row at or below the stamp's highest id is still there): add theirs. */
async function catchUp(db: Database, con: DuckDBConnection, stamp: Stamp, now: { rows: number; maxRowId: number }): Promise<void> {
  const info = await readInfo(db, con);
  const listed = TEXT_COLUMNS.filter((c) => info.listed.has(c));
  if (listed.length) {
    await db.run(
      `INSERT INTO ${TEXT_VALUES_TABLE}
       SELECT n.col, n.v, lower(n.v) FROM (${valuesSql(listed, stamp.maxRowId)}) n
       WHERE NOT EXISTS (SELECT 1 FROM ${TEXT_VALUES_TABLE} t WHERE t.col = n.col AND t.v = n.v)`,
      [],
      con,
    );
  }
  const unlisted = [...info.classes.keys()];
  const flags = await classFlags(db, con, unlisted, stamp.maxRowId);
  for (const [c, f] of flags) {
    // A class holds only if the new values keep to it too.
    const off = CHAR_CLASSES.filter((k) => !f[k.name]).map((k) => `${k.name} = false`);
    if (off.length) await db.run(`UPDATE ${TEXT_COLUMNS_TABLE} SET ${off.join(', ')} WHERE col = ?`, [c], con);
  }
  await writeStamp(db, con, { ...now, key: stamp.key });
}

/** What this process last built or read, with the stamp it matches (saves re-reading both). */
const lastKnown = new WeakMap<Database, { stamp: Stamp; info: TextValuesInfo }>();

async function refresh(db: Database, listAtMost: number): Promise<TextValuesInfo> {
  const now = await currentRows(db);
  const key = stampKey(listAtMost);
  const last = lastKnown.get(db);
  if (last && last.stamp.key === key && last.stamp.rows === now.rows && last.stamp.maxRowId === now.maxRowId) return last.info;
  // A build takes seconds at a million rows: on a connection of its own, so the grid's
  // queries on the main one are not queued behind its statements.
  const con = await db.connect();
  try {
    const stamp = await storedStamp(db, con);
    if (!stamp || stamp.key !== key) {
      await rebuild(db, con, now, listAtMost);
    } else if (stamp.rows !== now.rows || stamp.maxRowId !== now.maxRowId) {
      const below = Number(await db.scalar(`SELECT count(*) FROM ${SIGNINS_TABLE} WHERE row_id <= ?`, [stamp.maxRowId], con));
      if (below === stamp.rows && now.maxRowId >= stamp.maxRowId) await catchUp(db, con, stamp, now);
      else await rebuild(db, con, now, listAtMost);
    }
    const info = await readInfo(db, con);
    lastKnown.set(db, { stamp: { ...now, key }, info });
    return info;
  } finally {
    con.closeSync();
  }
}

/**
 * The value lists, brought up to date first (built on first use: a few seconds at a
 * million rows; the grid starts it in the background when a case opens).
 */
export function ensureTextValues(db: Database, opts: TextValueOptions = {}): Promise<TextValuesInfo> {
  const upToDate = () => {
    const seen = checked.get(db);
    return opts.dataVersion !== undefined && seen?.version === opts.dataVersion ? seen.info : null;
  };
  const known = upToDate();
  if (known) return Promise.resolve(known);
  // One refresh at a time; a caller queued behind another re-checks for its own data
  // version, so rows imported while a build ran are never missed.
  const prior = building.get(db) ?? Promise.resolve(null);
  const p = prior
    .catch(() => null)
    .then(async () => {
      const again = upToDate();
      if (again) return again;
      const info = await refresh(db, opts.listAtMost ?? 1000);
      if (opts.dataVersion !== undefined) checked.set(db, { version: opts.dataVersion, info });
      return info;
    });
  building.set(db, p);
  void p
    .finally(() => {
      if (building.get(db) === p) building.delete(db);
    })
    .catch(() => undefined);
  return p;
}

/**
 * The lists if they are up to date, or null while they are being built or caught up (in
 * the background). A new data version costs one count when the rows did not move (tags,
 * notes and findings bump it too).
 */
async function textValuesIfReady(db: Database, opts: TextValueOptions): Promise<TextValuesInfo | null> {
  const seen = checked.get(db);
  if (opts.dataVersion !== undefined && seen?.version === opts.dataVersion) return seen.info;
  const last = lastKnown.get(db);
  if (!building.get(db) && last && last.stamp.key === stampKey(opts.listAtMost ?? 1000)) {
    const now = await currentRows(db);
    if (last.stamp.rows === now.rows && last.stamp.maxRowId === now.maxRowId) {
      if (opts.dataVersion !== undefined) checked.set(db, { version: opts.dataVersion, info: last.info });
      return last.info;
    }
  }
  db.background(() => ensureTextValues(db, opts));
  return null;
}

/**
 * Sort keys for text columns as integers: a column's rank table (value, rank in DuckDB's
 * own VARCHAR order), for the sort columns whose lists are current and short enough that
 * ranking them costs less than comparing strings row by row. Joined on the value, the
 * rank sorts exactly as the string does (equal strings, equal ranks; NULL stays NULL).
 */
export async function sortRanks(db: Database, columns: readonly string[], opts: TextValueOptions & { maxValues: number }): Promise<Map<string, SqlFragment>> {
  const out = new Map<string, SqlFragment>();
  const wanted = columns.filter(isVarchar);
  if (!wanted.length) return out;
  const info = await textValuesIfReady(db, opts);
  if (!info) return out;
  for (const c of wanted) {
    const n = info.counts.get(c);
    if (!info.listed.has(c) || n === undefined || n > opts.maxValues) continue;
    // Addresses rank as numbers, as orderSql sorts them without a rank table.
    const order = c === 'ip_address' ? `${ipKeySql('v')} NULLS LAST, v` : 'v';
    out.set(c, { sql: `(SELECT v AS _rank_value, row_number() OVER (ORDER BY ${order}) AS _rank FROM ${TEXT_VALUES_TABLE} WHERE col = ?)`, params: [c] });
  }
  return out;
}

/**
 * `expr` is one of the values. A plain IN list of parameters: DuckDB compares it in place
 * wherever the filter lands, while an IN over a subquery (one list parameter) becomes a
 * join that costs several times more above the map's positional join.
 */
function inValues(expr: string, values: string[]): SqlFragment {
  if (!values.length) return { sql: 'FALSE', params: [] };
  // A short list as equalities: DuckDB plans an IN list of more than a few strings as a hash
  // (mark) join over every row, before the other conditions narrow them; ORed equalities
  // are tested after them (1M rows, status and six user agents: 0.32-0.46 s -> 0.19-0.25 s).
  if (values.length <= SHORT_IN_LIST) return { sql: `(${values.map(() => `${expr} = ?`).join(' OR ')})`, params: values };
  return { sql: `${expr} IN (${values.map(() => '?').join(', ')})`, params: values };
}

/** Up to this many values, a value test is written as ORed equalities (see inValues). */
const SHORT_IN_LIST = 32;

/** Values of one listed column passing a test on `v`; null when too many to list. */
async function matchingValues(db: Database, column: string, test: SqlFragment): Promise<string[] | null> {
  const r = await db.one<{ n: string; vs: string[] | null }>(
    `SELECT count(*) AS n, CASE WHEN count(*) <= ${MAX_LISTED_MATCHES} THEN list(v) END AS vs
     FROM ${TEXT_VALUES_TABLE} WHERE col = ? AND (${test.sql})`,
    [column, ...test.params],
  );
  return r?.vs ?? (Number(r?.n ?? 0) === 0 ? [] : null);
}

function isVarchar(column: string): boolean {
  return canonicalColumn(column)?.type === 'VARCHAR';
}

/** Text conditions that read better from the lists (cheap ones stay as they are). */
function resolvable(c: FilterState['conditions'][number]): c is TextCondition {
  return c.kind === 'text' && c.op !== 'empty' && c.op !== 'notEmpty' && !(c.op === 'equals' && c.caseSensitive) && isVarchar(c.column);
}

/** A free-text term: the listed columns holding it, as value lists, or'ed with the unlisted ones that may. */
async function resolveFreeTerm(db: Database, info: TextValuesInfo, term: string): Promise<SqlFragment | null> {
  // The row-by-row form joins columns with a unit separator; a term holding one spans columns.
  if (term.includes('\u001f')) return null;
  const matches = await db.all<{ col: string; n: string; vs: string[] | null }>(
    `SELECT col, count(*) AS n, CASE WHEN count(*) <= ${MAX_LISTED_MATCHES} THEN list(v) END AS vs
     FROM ${TEXT_VALUES_TABLE} WHERE contains(lv, lower(?)) GROUP BY col`,
    [term],
  );
  const fits = await db.one<Record<CharClass, boolean>>(
    `SELECT ${CHAR_CLASSES.map((k) => `regexp_full_match(lower(?), '${k.re}') AS ${k.name}`).join(', ')}`,
    CHAR_CLASSES.map(() => term),
  );
  const byColumn = new Map(matches.map((m) => [m.col, m]));
  const parts: SqlFragment[] = [];
  for (const column of TEXT_COLUMNS) {
    const id = quoteIdent(column);
    if (info.listed.has(column)) {
      const m = byColumn.get(column);
      if (!m) continue;
      parts.push(m.vs ? inValues(id, m.vs) : { sql: `contains(lower(${id}), lower(?))`, params: [term] });
      continue;
    }
    // Every value of the column is made of one class's characters, the term is not: no row can hold it.
    const classes = info.classes.get(column) ?? [];
    if (classes.some((k) => fits?.[k] === false)) continue;
    parts.push({ sql: `contains(lower(${id}), lower(?))`, params: [term] });
  }
  // Number columns hold only digits and a minus sign: any other term cannot be in them.
  if (/^-?[0-9]*$/.test(term) && term !== '') {
    for (const c of NUMERIC_SEARCH_COLUMNS) parts.push({ sql: `contains(CAST(${quoteIdent(c.name)} AS VARCHAR), ?)`, params: [term] });
  }
  if (!parts.length) return { sql: 'FALSE', params: [] };
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}

async function resolveListed(db: Database, column: string, test: SqlFragment): Promise<SqlFragment | null> {
  const values = await matchingValues(db, column, test);
  return values === null ? null : inValues(quoteIdent(column), values);
}

/** Resolved filters of the current data version, per database (a few: grid, timeline and map share them). */
const memo = new WeakMap<Database, { version: number; byFilter: Map<string, Promise<SqlFragment>> }>();

/**
 * whereSql(filter) with its text conditions and search terms decided on the value lists
 * where they can be. Search waits for the lists (the row-by-row search reads every text
 * column of every row); other text conditions use them only once they are up to date.
 * The result selects exactly the rows whereSql(filter) selects.
 */
export async function resolvedWhereSql(db: Database, filter: FilterState, opts: TextValueOptions = {}): Promise<SqlFragment> {
  const searching = Boolean(filter.search?.trim());
  if (!searching && !filter.conditions.some(resolvable)) return whereSql(filter);
  const version = opts.dataVersion;
  if (version === undefined) return (await resolve(db, filter, searching, opts)).where;
  let m = memo.get(db);
  if (m?.version !== version) {
    m = { version, byFilter: new Map() };
    memo.set(db, m);
  }
  const key = JSON.stringify(filter);
  const hit = m.byFilter.get(key);
  if (hit) return hit;
  const entry = m;
  const p = resolve(db, filter, searching, opts).then((r) => {
    // The row-by-row form used while the lists were being built is not kept.
    if (!r.final) entry.byFilter.delete(key);
    return r.where;
  });
  if (entry.byFilter.size >= 32) entry.byFilter.delete(entry.byFilter.keys().next().value as string);
  entry.byFilter.set(key, p);
  p.catch(() => entry.byFilter.delete(key));
  return p;
}

async function resolve(db: Database, filter: FilterState, searching: boolean, opts: TextValueOptions): Promise<{ where: SqlFragment; final: boolean }> {
  // Validate the filter (columns, regexes, times) exactly as the row-by-row form does.
  const plain = whereSql(filter);
  // Without a data version there is no telling whether the lists are current but to check.
  const info = searching || opts.dataVersion === undefined ? await ensureTextValues(db, opts) : await textValuesIfReady(db, opts);
  if (!info) return { where: plain, final: false };
  const conditions = new Map<number, SqlFragment>();
  for (const [i, c] of filter.conditions.entries()) {
    if (!resolvable(c) || !info.listed.has(c.column)) continue;
    const f = await resolveListed(db, c.column, textPredicate('v', c));
    if (f) conditions.set(i, negated(f, c.negate));
  }
  const terms = new Map<number, SqlFragment>();
  if (searching) {
    for (const [i, t] of parseSearch(filter.search!).entries()) {
      let f: SqlFragment | null;
      if (t.column) {
        // ip: terms are address tests (query/ipAddress.ts), not substrings.
        f = t.column !== 'ip_address' && isVarchar(t.column) && info.listed.has(t.column)
          ? await resolveListed(db, t.column, { sql: `v ILIKE ? ESCAPE '\\'`, params: [`%${likeEscape(t.term)}%`] })
          : null;
      } else {
        f = await resolveFreeTerm(db, info, t.term);
      }
      if (f) terms.set(i, f);
    }
  }
  return { where: whereSql(filter, { resolved: { conditions, terms } }), final: true };
}
