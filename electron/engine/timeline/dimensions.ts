import { quoteIdent, type SqlParam } from '../db/database';

// What the histogram can be stacked by and what lanes can be drawn for. Each maps to one
// canonical column; the names here are a fixed vocabulary, never user text.

export const STACK_BY = ['status', 'log_type', 'user', 'ip', 'app', 'country'] as const;
export type StackBy = (typeof STACK_BY)[number];

export const LANE_BY = ['user', 'ip', 'session'] as const;
export type LaneBy = (typeof LANE_BY)[number];

export const DIMENSION_COLUMN: Record<StackBy | LaneBy, string> = {
  status: 'status',
  log_type: 'log_type',
  user: 'user_principal_name',
  ip: 'ip_address',
  app: 'app_display_name',
  country: 'country',
  session: 'session_id',
};

export const STATUS_VALUES = ['success', 'failure', 'interrupted'] as const;

/** Status as a small integer: 0 success, 1 failure, 2 interrupted, 3 anything else or missing. */
export const STATUS_CODE_SQL = `CASE status WHEN 'success' THEN 0 WHEN 'failure' THEN 1 WHEN 'interrupted' THEN 2 ELSE 3 END`;

/**
 * Index of a row's value in `keys` (a NULL key matches a missing value), or keys.length
 * when it is none of them: the "other" series. Values travel as parameters.
 */
export function keyIndexSql(column: string, keys: readonly (string | null)[]): { sql: string; params: SqlParam[] } {
  const col = quoteIdent(column);
  if (!keys.length) return { sql: '0', params: [] };
  const params: SqlParam[] = [];
  const whens = keys.map((k, i) => {
    if (k === null) return `WHEN ${col} IS NULL THEN ${i}`;
    params.push(k);
    return `WHEN ${col} = ? THEN ${i}`;
  });
  return { sql: `CASE ${whens.join(' ')} ELSE ${keys.length} END`, params };
}

/** Rows whose value is one of `keys`. */
export function keyMatchSql(column: string, keys: readonly (string | null)[]): { sql: string; params: SqlParam[] } {
  const col = quoteIdent(column);
  const values = keys.filter((k): k is string => k !== null);
  const parts: string[] = [];
  if (values.length) parts.push(`${col} IN (${values.map(() => '?').join(', ')})`);
  if (values.length !== keys.length) parts.push(`${col} IS NULL`);
  return { sql: parts.length ? `(${parts.join(' OR ')})` : 'FALSE', params: values };
}

/**
 * The non-NULL `keys` as a derived table (key, lane) to join on, lane being the key's
 * index; a NULL key cannot match in a join, so its index comes back as `nullLane`.
 */
export function keyTableSql(keys: readonly (string | null)[]): { sql: string; params: SqlParam[]; nullLane: number | null } {
  const rows: string[] = [];
  const params: SqlParam[] = [];
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    // A key named twice keeps its first lane, as a CASE over the keys would.
    if (k === null || seen.has(k)) return;
    seen.add(k);
    rows.push(`(CAST(? AS VARCHAR), ${i})`);
    params.push(k);
  });
  const nullLane = keys.indexOf(null);
  const sql = rows.length ? `(VALUES ${rows.join(', ')})` : `(SELECT CAST(NULL AS VARCHAR), 0 WHERE FALSE)`;
  return { sql: `(SELECT * FROM ${sql} AS t(key, lane))`, params, nullLane: nullLane < 0 ? null : nullLane };
}
