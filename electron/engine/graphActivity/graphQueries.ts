import type { CaseSession } from '../case/caseSession';
import type { JsonRow } from '../db/database';
import { Pager, pagedTable, selectExpr } from '../query/pager';
import { allowColumn, colText, whereSql } from '../query/filterSql';
import { SIGNINS_TABLE } from '../schema/canonical';
import { numberGraphActivity } from '../import/graphActivity';
import { GRAPH_ACTIVITY_TABLE, GRAPH_VIEW_COLUMNS } from './columns';

/** The app's one filter shape, as the query layer compiles it. */
type FilterState = Parameters<typeof whereSql>[0];

// The Graph activity view: paging, values and one request with the sign-in whose token made
// it. The pager is the sign-in grid's, over graph_activity and its own allow-list.

const PAGED = pagedTable(
  GRAPH_ACTIVITY_TABLE,
  GRAPH_VIEW_COLUMNS,
  GRAPH_VIEW_COLUMNS.map((c) => c.name),
);

const pagers = new WeakMap<CaseSession, Pager>();
const numbered = new WeakSet<CaseSession>();

/** Cases imported before Graph requests were numbered get their numbers on first view. */
async function ensureNumbered(session: CaseSession): Promise<void> {
  if (numbered.has(session)) return;
  if (Number(await session.db.scalar(`SELECT count(*) FROM ${GRAPH_ACTIVITY_TABLE} WHERE row_id IS NULL`)) > 0) {
    await numberGraphActivity(session.db.connection);
    session.changed();
  }
  numbered.add(session);
}

export async function graphPager(session: CaseSession): Promise<Pager> {
  await ensureNumbered(session);
  let p = pagers.get(session);
  if (!p) {
    p = new Pager(session.db, () => session.dataVersion, PAGED);
    pagers.set(session, p);
  }
  return p;
}

export async function graphTotal(session: CaseSession): Promise<number> {
  return Number(await session.db.scalar(`SELECT count(*) FROM ${GRAPH_ACTIVITY_TABLE}`));
}

/**
 * One Graph request: every column, its raw record, and the sign-ins whose unique token
 * identifier is its SignInActivityId (the documented join; usually one).
 */
export async function graphRequest(session: CaseSession, rowId: number): Promise<{ record: JsonRow; signInRowIds: number[] } | null> {
  await ensureNumbered(session);
  const cols = GRAPH_VIEW_COLUMNS.map((c) => selectExpr(c.name, 's', GRAPH_VIEW_COLUMNS)).join(', ');
  const record = await session.db.one(`SELECT ${cols}, CAST(s.raw AS VARCHAR) AS raw FROM ${GRAPH_ACTIVITY_TABLE} s WHERE s.row_id = ?`, [rowId]);
  if (!record) return null;
  const uti = record.sign_in_activity_id;
  const ids =
    typeof uti === 'string' && uti
      ? await session.db.all<{ row_id: string }>(`SELECT row_id FROM ${SIGNINS_TABLE} WHERE unique_token_identifier = ? ORDER BY time_utc, row_id LIMIT 1000`, [uti])
      : [];
  return { record, signInRowIds: ids.map((r) => Number(r.row_id)) };
}

/** Values of a column with counts under a filter (the view's value filters). */
export async function graphValues(session: CaseSession, column: string, filter: FilterState, limit: number): Promise<Array<{ value: string | null; count: number }>> {
  const col = allowColumn(column, GRAPH_VIEW_COLUMNS);
  const where = whereSql(filter, { columns: GRAPH_VIEW_COLUMNS });
  const rows = await session.db.all<{ value: string | null; n: string }>(
    `SELECT ${colText(col)} AS value, count(*) AS n FROM ${GRAPH_ACTIVITY_TABLE} WHERE ${where.sql} GROUP BY 1 ORDER BY n DESC, value NULLS LAST LIMIT ${Math.max(1, Math.min(5000, Math.floor(limit)))}`,
    where.params,
  );
  return rows.map((r) => ({ value: r.value, count: Number(r.n) }));
}
