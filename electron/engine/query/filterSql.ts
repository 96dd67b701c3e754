import type { Condition, FilterState, SortSpec } from './filterModel';
import { canonicalColumn, CANONICAL_COLUMNS, SIGNINS_TABLE, type CanonicalColumn } from '../schema/canonical';
import { ipKeySql, ipTermSql } from './ipAddress';
import { quoteIdent, type SqlParam } from '../db/database';
import { UserError } from '../errors';
import { SEARCH_ALIASES } from './filterModel';

export interface SqlFragment {
  sql: string;
  params: SqlParam[];
}

/**
 * The columns a filter may name: the canonical sign-in columns unless a view over another
 * table (Graph activity) passes its own allow-list.
 */
export type ColumnList = readonly CanonicalColumn[];

/** Only allow-listed columns may reach SQL, and only quoted. */
export function allowColumn(name: string, columns: ColumnList = CANONICAL_COLUMNS): CanonicalColumn {
  const col = columns === CANONICAL_COLUMNS ? canonicalColumn(name) : columns.find((c) => c.name === name);
  if (!col) throw new UserError(`Unknown column: ${name.slice(0, 64)}`, 'bad_column');
  return col;
}

export function colText(col: CanonicalColumn): string {
  const id = quoteIdent(col.name);
  return col.type === 'VARCHAR' ? id : `CAST(${id} AS VARCHAR)`;
}

export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** ISO instant (any offset) → naive UTC timestamp text DuckDB casts to TIMESTAMP. */
export function isoToUtcTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new UserError(`Not a valid time: ${iso.slice(0, 64)}`, 'bad_time');
  // Keep microseconds the Date object cannot hold.
  const frac = /\.(\d{1,6})/.exec(iso)?.[1]?.padEnd(6, '0') ?? '000000';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, `.${frac}`);
}

export type TextCondition = Extract<Condition, { kind: 'text' }>;

/**
 * The positive test of a text condition on one text expression: the row's column, or a
 * value of the column's value list (query/textValues.ts), which must agree with it.
 */
export function textPredicate(expr: string, c: TextCondition): SqlFragment {
  const v = c.value ?? '';
  switch (c.op) {
    case 'empty':
      return { sql: `(${expr} IS NULL OR ${expr} = '')`, params: [] };
    case 'notEmpty':
      return { sql: `(${expr} IS NOT NULL AND ${expr} <> '')`, params: [] };
    case 'equals':
      return { sql: c.caseSensitive ? `${expr} = ?` : `lower(${expr}) = lower(?)`, params: [v] };
    case 'contains':
      return { sql: `${expr} ${c.caseSensitive ? 'LIKE' : 'ILIKE'} ? ESCAPE '\\'`, params: [`%${likeEscape(v)}%`] };
    case 'startsWith':
      return { sql: `${expr} ${c.caseSensitive ? 'LIKE' : 'ILIKE'} ? ESCAPE '\\'`, params: [`${likeEscape(v)}%`] };
    case 'endsWith':
      return { sql: `${expr} ${c.caseSensitive ? 'LIKE' : 'ILIKE'} ? ESCAPE '\\'`, params: [`%${likeEscape(v)}`] };
    case 'regex':
      try {
        new RegExp(v);
      } catch {
        throw new UserError(`Not a valid regular expression: ${v.slice(0, 200)}`, 'bad_regex');
      }
      return { sql: `regexp_matches(${expr}, ?, ?)`, params: [v, c.caseSensitive ? '' : 'i'] };
  }
}

/** NULL never matches a positive text test, and always matches its negation. */
export function negated(f: SqlFragment, negate: boolean | undefined): SqlFragment {
  return negate ? { sql: `NOT coalesce(${f.sql}, false)`, params: f.params } : f;
}

function textCondition(c: TextCondition, columns: ColumnList): SqlFragment {
  const col = allowColumn(c.column, columns);
  // empty / notEmpty test NULL on the column itself, blank on its text.
  if (c.op === 'empty') return negated({ sql: `(${quoteIdent(col.name)} IS NULL OR ${colText(col)} = '')`, params: [] }, c.negate);
  if (c.op === 'notEmpty') return negated({ sql: `(${quoteIdent(col.name)} IS NOT NULL AND ${colText(col)} <> '')`, params: [] }, c.negate);
  return negated(textPredicate(colText(col), c), c.negate);
}

function numberCondition(c: Extract<Condition, { kind: 'number' }>, columns: ColumnList): SqlFragment {
  const col = allowColumn(c.column, columns);
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (c.min !== undefined) {
    parts.push(`${quoteIdent(col.name)} >= ?`);
    params.push(c.min);
  }
  if (c.max !== undefined) {
    parts.push(`${quoteIdent(col.name)} <= ?`);
    params.push(c.max);
  }
  let sql = parts.length ? `(${parts.join(' AND ')})` : 'TRUE';
  if (c.negate) sql = `NOT coalesce(${sql}, false)`;
  return { sql, params };
}

function timeCondition(c: Extract<Condition, { kind: 'time' }>, columns: ColumnList): SqlFragment {
  const col = allowColumn(c.column, columns);
  if (col.type !== 'TIMESTAMP') throw new UserError(`${col.name} is not a time column`, 'bad_column');
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (c.from) {
    parts.push(`${quoteIdent(col.name)} >= CAST(? AS TIMESTAMP)`);
    params.push(isoToUtcTimestamp(c.from));
  }
  if (c.to) {
    parts.push(`${quoteIdent(col.name)} < CAST(? AS TIMESTAMP)`);
    params.push(isoToUtcTimestamp(c.to));
  }
  return { sql: parts.length ? `(${parts.join(' AND ')})` : 'TRUE', params };
}

function valuesCondition(c: Extract<Condition, { kind: 'values' }>, columns: ColumnList): SqlFragment {
  const col = allowColumn(c.column, columns);
  const expr = colText(col);
  const nonNull = c.values.filter((v): v is string => v !== null);
  const wantsNull = c.values.length !== nonNull.length;
  const parts: string[] = [];
  if (nonNull.length) parts.push(`${expr} IN (${nonNull.map(() => '?').join(', ')})`);
  if (wantsNull) parts.push(`${quoteIdent(col.name)} IS NULL`);
  const inner = parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
  return { sql: c.exclude ? `NOT coalesce(${inner}, false)` : inner, params: nonNull };
}

function tagCondition(c: Extract<Condition, { kind: 'tag' }>): SqlFragment {
  if (!c.tagIds.length) return { sql: 'TRUE', params: [] };
  const sql = `row_id IN (SELECT row_id FROM row_tags WHERE tag_id IN (${c.tagIds.map(() => '?').join(', ')}))`;
  return { sql: c.exclude ? `NOT (${sql})` : sql, params: c.tagIds };
}

function rowsCondition(c: Extract<Condition, { kind: 'rows' }>): SqlFragment {
  if (!c.rowIds.length) return { sql: 'FALSE', params: [] };
  // One list parameter keeps the statement small however many rows were picked.
  return { sql: `list_contains(CAST(? AS BIGINT[]), row_id)`, params: [`[${c.rowIds.join(',')}]`] };
}

function conditionSql(c: Condition, columns: ColumnList): SqlFragment {
  switch (c.kind) {
    case 'text':
      return textCondition(c, columns);
    case 'number':
      return numberCondition(c, columns);
    case 'time':
      return timeCondition(c, columns);
    case 'values':
      return valuesCondition(c, columns);
    case 'tag':
      return tagCondition(c);
    case 'finding':
      if (c.findingId === undefined) return { sql: `row_id IN (SELECT row_id FROM finding_rows)`, params: [] };
      return { sql: `row_id IN (SELECT row_id FROM finding_rows WHERE finding_id = ?)`, params: [c.findingId] };
    case 'sweep':
      return c.line === undefined
        ? { sql: `row_id IN (SELECT row_id FROM sweep_hits WHERE sweep_id = ?)`, params: [c.sweepId] }
        : { sql: `row_id IN (SELECT row_id FROM sweep_hits WHERE sweep_id = ? AND indicator_line = ?)`, params: [c.sweepId, c.line] };
    case 'rows':
      return rowsCondition(c);
  }
}

/**
 * Columns global search looks in: every text column except the raw record, and the
 * integer ones people type as identifiers (error codes, ASNs): `50058` alone finds its
 * rows. The row number is left out: every short number would match it.
 */
export const SEARCH_COLUMNS = CANONICAL_COLUMNS.filter((c) => c.type === 'VARCHAR' || ((c.type === 'INTEGER' || c.type === 'BIGINT') && c.name !== 'row_id'));

/** Search columns that are numbers: their text holds only digits and a minus sign. */
export const NUMERIC_SEARCH_COLUMNS = SEARCH_COLUMNS.filter((c) => c.type !== 'VARCHAR');

export { SEARCH_ALIASES };

export interface SearchTerm {
  column?: string;
  term: string;
  /** A leading minus excludes rows that match. */
  negate?: boolean;
}

/** Split a search string into terms: words, "quoted phrases", column:term pairs, -exclusions. */
export function parseSearch(search: string, columns: ColumnList = CANONICAL_COLUMNS): SearchTerm[] {
  const out: SearchTerm[] = [];
  const re = /(-)?(?:([a-z_][a-z0-9_]*):)?(?:"([^"]*)"?|(\S+))/gi;
  for (const m of search.matchAll(re)) {
    const term = m[3] ?? m[4] ?? '';
    if (!term) continue;
    const negate = m[1] === '-' ? true : undefined;
    const named = m[2]?.toLowerCase();
    const known = columns === CANONICAL_COLUMNS ? canonicalColumn(named ?? '') : columns.find((c) => c.name === named);
    const column = named ? (known ? named : columns === CANONICAL_COLUMNS ? SEARCH_ALIASES[named] : undefined) : undefined;
    if (column) out.push({ column, term, ...(negate ? { negate } : {}) });
    else out.push({ term: m[2] ? `${m[2]}:${term}` : term, ...(negate ? { negate } : {}) });
  }
  return out;
}

/** Every search column folded into one lower-cased text, separated by a unit separator. */
export function searchTextExpr(alias?: string, columns: ColumnList = CANONICAL_COLUMNS): string {
  const pre = alias ? `${alias}.` : '';
  const searched = columns === CANONICAL_COLUMNS ? SEARCH_COLUMNS : columns.filter((c) => c.type === 'VARCHAR');
  return `lower(concat_ws(chr(31), ${searched.map((c) => (c.type === 'VARCHAR' ? pre + quoteIdent(c.name) : `CAST(${pre}${quoteIdent(c.name)} AS VARCHAR)`)).join(', ')}))`;
}

/** The row test of one search term, read from the row itself (see query/textValues.ts for the fast form). */
export function searchTermSql({ column, term }: SearchTerm, columns: ColumnList = CANONICAL_COLUMNS): SqlFragment {
  // ip: on the sign-ins is exact, a CIDR block or a prefix with a trailing *, never a substring (10.0.0.1 is not 110.0.0.10).
  if (column === 'ip_address' && columns === CANONICAL_COLUMNS) return ipTermSql(quoteIdent('ip_address'), SIGNINS_TABLE, term);
  if (column) return { sql: `${colText(allowColumn(column, columns))} ILIKE ? ESCAPE '\\'`, params: [`%${likeEscape(term)}%`] };
  return { sql: `contains(${searchTextExpr(undefined, columns)}, lower(?))`, params: [term] };
}

/** Fragments resolved ahead (query/textValues.ts) that stand in for the row-by-row forms. */
export interface ResolvedText {
  /** By condition index: the whole condition, negation included. */
  conditions?: ReadonlyMap<number, SqlFragment>;
  /** By search term index (parseSearch order): the term's positive test. */
  terms?: ReadonlyMap<number, SqlFragment>;
}

export interface WhereOptions {
  resolved?: ResolvedText;
  /** The table's allow-listed columns (default: the sign-in table's). */
  columns?: ColumnList;
}

function searchSql(search: string, opts: WhereOptions): SqlFragment {
  const columns = opts.columns ?? CANONICAL_COLUMNS;
  const parts = parseSearch(search, columns).map((t, i) => negated(opts.resolved?.terms?.get(i) ?? searchTermSql(t, columns), t.negate));
  return { sql: parts.length ? parts.map((p) => p.sql).join(' AND ') : 'TRUE', params: parts.flatMap((p) => p.params) };
}

/** WHERE clause (without the keyword) for a filter state; TRUE when empty. */
export function whereSql(filter: FilterState, opts: WhereOptions = {}): SqlFragment {
  const parts: SqlFragment[] = filter.conditions.map((c, i) => opts.resolved?.conditions?.get(i) ?? conditionSql(c, opts.columns ?? CANONICAL_COLUMNS));
  if (filter.search?.trim()) parts.push(searchSql(filter.search, opts));
  if (!parts.length) return { sql: 'TRUE', params: [] };
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/**
 * ORDER BY list (without the keyword); row_id last keeps paging deterministic. `keyFor`
 * may stand in an expression that sorts exactly like a column (see Pager).
 */
export function orderSql(
  sort: SortSpec,
  keyFor: (column: string) => string | undefined = () => undefined,
  columns: ColumnList = CANONICAL_COLUMNS,
  /** Table alias for the columns, where a select list reuses their names for other values. */
  alias?: string,
): string {
  const ref = (name: string) => `${alias ? `${alias}.` : ''}${quoteIdent(name)}`;
  const keys = sort.map((s) => {
    const name = allowColumn(s.column, columns).name;
    const dir = s.dir === 'desc' ? 'DESC' : 'ASC';
    // Addresses sort as numbers (IPv4 before IPv6); other text sorts above every address,
    // as its own text; NULL is last either way (the pager's rank table orders the same).
    if (name === 'ip_address' && !keyFor(name)) return `${ref(name)} IS NULL, ${ipKeySql(ref(name))} ${dir} NULLS ${dir === 'ASC' ? 'LAST' : 'FIRST'}, ${ref(name)} ${dir}`;
    return `${keyFor(name) ?? ref(name)} ${dir} NULLS LAST`;
  });
  keys.push(`${alias ? `${alias}.` : ''}row_id ASC`);
  return keys.join(', ');
}

/** Inline parameters as SQL literals, for "Show SQL" (never executed in this form by the engine). */
export function inlineParams(sql: string, params: SqlParam[]): string {
  let i = 0;
  return sql.replace(/\?/g, () => {
    const p = params[i++];
    if (p === null || p === undefined) return 'NULL';
    if (typeof p === 'number' || typeof p === 'bigint') return String(p);
    if (typeof p === 'boolean') return p ? 'TRUE' : 'FALSE';
    return `'${String(p).replace(/'/g, "''")}'`;
  });
}
