import type { HandlersFor } from '../dispatch';
import type { gridMethods } from '../methods/grid';
import { CANONICAL_COLUMNS, SIGNINS_TABLE } from '../../engine/schema/canonical';
import { quoteIdent } from '../../engine/db/database';
import { allowColumn, inlineParams, orderSql, whereSql } from '../../engine/query/filterSql';
import { selectExpr } from '../../engine/query/pager';

async function caseTotal(db: { scalar(sql: string): Promise<unknown> }): Promise<number> {
  return Number(await db.scalar(`SELECT count(*) FROM ${SIGNINS_TABLE}`));
}

export const gridHandlers: HandlersFor<typeof gridMethods> = {
  async columns(_args, { engine }) {
    const session = engine.requireCase();
    const counts = await session.db.one(
      `SELECT ${CANONICAL_COLUMNS.map((c) => `count(${quoteIdent(c.name)}) AS ${quoteIdent(c.name)}`).join(', ')} FROM ${SIGNINS_TABLE}`,
    );
    return CANONICAL_COLUMNS.map((c) => ({
      name: c.name,
      label: c.label,
      type: c.type,
      group: c.group,
      description: c.description,
      empty: Number(counts?.[c.name] ?? 0) === 0,
    }));
  },
  async getRows({ filter, sort, start, end, columns }, { engine }) {
    const session = engine.requireCase();
    const page = await session.pager.page(filter, sort, start, end, columns);
    return { rows: page.rows, total: page.total, caseTotal: await caseTotal(session.db) };
  },
  async getRecord({ rowId }, { engine }) {
    const session = engine.requireCase();
    const exprs = CANONICAL_COLUMNS.map((c) => selectExpr(c.name)).join(', ');
    return (await session.db.one(`SELECT ${exprs} FROM ${SIGNINS_TABLE} s WHERE s.row_id = ?`, [rowId])) ?? null;
  },
  async countRows({ filter }, { engine }) {
    const session = engine.requireCase();
    return { total: await session.pager.count(filter), caseTotal: await caseTotal(session.db) };
  },
  async distinctValues({ column, filter, search, limit }, { engine }) {
    const session = engine.requireCase();
    const col = allowColumn(column);
    const where = whereSql(filter);
    const expr = col.type === 'VARCHAR' ? quoteIdent(col.name) : `CAST(${quoteIdent(col.name)} AS VARCHAR)`;
    const searchSql = search ? ` AND ${expr} ILIKE ?` : '';
    const params = search ? [...where.params, `%${search}%`] : where.params;
    const rows = await session.db.all<{ value: string | null; n: string; distinct_n: string }>(
      `SELECT ${expr} AS value, count(*) AS n, count(*) OVER () AS distinct_n
       FROM ${SIGNINS_TABLE} WHERE (${where.sql})${searchSql}
       GROUP BY 1 ORDER BY n DESC, value NULLS LAST LIMIT ${limit}`,
      params,
    );
    return { values: rows.map((r) => ({ value: r.value, count: Number(r.n) })), distinct: Number(rows[0]?.distinct_n ?? 0) };
  },
  async viewSql({ filter, sort }) {
    const where = whereSql(filter);
    const sql = `SELECT *\nFROM ${SIGNINS_TABLE}\nWHERE ${where.sql}\nORDER BY ${orderSql(sort)}`;
    return { sql: inlineParams(sql, where.params) };
  },
};
