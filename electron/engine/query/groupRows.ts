import { quoteIdent, type Database, type SqlParam } from '../db/database';
import type { FilterState } from './filterModel';
import { SIGNINS_TABLE } from '../schema/canonical';
import { allowColumn } from './filterSql';
import { ipKeySql } from './ipAddress';
import { UserError } from '../errors';
import { groupQuery, type GroupQuery, type GroupResult } from './groupModel';

export { GROUP_COLUMNS, groupQuery, groupResult, type GroupQuery, type GroupResult } from './groupModel';

const ISO = (expr: string) => `strftime(${expr}, '%Y-%m-%dT%H:%M:%S.%fZ')`;

/** The WHERE of the active filter: callers pass the one the grid uses (value lists resolved). */
export type WhereFor = (db: Database, filter: FilterState) => Promise<{ sql: string; params: SqlParam[] }>;

/** Group the filtered sign-ins by one or two allow-listed columns (see groupModel.ts). */
export async function groupRows(db: Database, filter: FilterState, query: GroupQuery, whereFor: WhereFor): Promise<GroupResult> {
  const q = groupQuery.parse(query);
  if (q.by.length === 2 && q.by[0] === q.by[1]) throw new UserError('Group by two different columns', 'bad_group');
  if (q.sort.key === 'key1' && q.by.length < 2) throw new UserError('There is no second group column to sort by', 'bad_group');
  const cols = q.by.map((name) => allowColumn(name));
  const where = await whereFor(db, filter);
  const raw = cols.map((c, i) => `${quoteIdent(c.name)} AS g${i}`);
  const text = cols.map((c, i) => (c.type === 'VARCHAR' ? `g${i} AS k${i}` : `CAST(g${i} AS VARCHAR) AS k${i}`));
  // Addresses sort as numbers (as the grid sorts them); other keys by their own type.
  const keyOrder = (i: number, dir: string) => {
    const g = `g${i}`;
    const nulls = 'NULLS LAST';
    return cols[i]!.name === 'ip_address' ? `${g} IS NULL, ${ipKeySql(g)} ${dir} ${nulls}, ${g} ${dir}` : `${g} ${dir} ${nulls}`;
  };
  const dir = q.sort.dir === 'desc' ? 'DESC' : 'ASC';
  const measures: Record<string, string> = { rows: 'n', failures: 'f', first: 'first_t', last: 'last_t' };
  const order: string[] = [];
  if (q.sort.key === 'key0' || q.sort.key === 'key1') order.push(keyOrder(q.sort.key === 'key0' ? 0 : 1, dir));
  else order.push(`${measures[q.sort.key]} ${dir} NULLS LAST`);
  // Ties: by the keys, so paging is stable.
  cols.forEach((_, i) => order.push(keyOrder(i, 'ASC')));
  const sql = `
    WITH g AS (
      SELECT ${raw.join(', ')}, count(*) AS n, count(*) FILTER (WHERE status = 'failure') AS f,
             min(time_utc) AS first_t, max(time_utc) AS last_t
      FROM ${SIGNINS_TABLE} WHERE (${where.sql})
      GROUP BY ${cols.map((_, i) => `g${i}`).join(', ')}
    )
    SELECT ${text.join(', ')}, n, f, ${ISO('first_t')} AS first_utc, ${ISO('last_t')} AS last_utc,
           count(*) OVER () AS total_groups, sum(n) OVER () AS total_rows
    FROM g
    ORDER BY ${order.join(', ')}
    LIMIT ? OFFSET ?`;
  const rows = await db.all<Record<string, unknown>>(sql, [...where.params, q.limit, q.offset]);
  let totalGroups = Number(rows[0]?.total_groups ?? 0);
  let totalRows = Number(rows[0]?.total_rows ?? 0);
  if (!rows.length && q.offset > 0) {
    // A page past the end still says how many groups there are.
    const t = await db.one<{ groups: string; n: string }>(
      `SELECT count(*) AS groups, coalesce(sum(n), 0) AS n FROM (SELECT count(*) AS n FROM ${SIGNINS_TABLE} WHERE (${where.sql}) GROUP BY ${cols.map((c) => quoteIdent(c.name)).join(', ')})`,
      where.params,
    );
    totalGroups = Number(t?.groups ?? 0);
    totalRows = Number(t?.n ?? 0);
  }
  return {
    groups: rows.map((r) => ({
      keys: cols.map((_, i) => (r[`k${i}`] === null || r[`k${i}`] === undefined ? null : String(r[`k${i}`]))),
      rows: Number(r.n),
      failures: Number(r.f),
      firstUtc: (r.first_utc as string | null) ?? null,
      lastUtc: (r.last_utc as string | null) ?? null,
    })),
    totalGroups,
    totalRows,
  };
}
