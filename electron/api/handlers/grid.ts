import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { HandlersFor } from '../dispatch';
import type { gridMethods } from '../methods/grid';
import type { CaseSession } from '../../engine/case/caseSession';
import { CANONICAL_COLUMNS, SIGNINS_TABLE } from '../../engine/schema/canonical';
import { quoteIdent } from '../../engine/db/database';
import { allowColumn, inlineParams, orderSql, whereSql } from '../../engine/query/filterSql';
import { ensureTextValues, resolvedWhereSql } from '../../engine/query/textValues';
import { filledColumns } from '../../engine/query/columnPresence';
import { authDetails, caPolicies, getRecord, graphActivity } from '../../engine/query/rowDetail';
import { errorMeaning, knownErrorCodes } from '../../engine/reference/aadsts';
import { tagsForRows } from '../../engine/annotations/tags';
import { noteCountsForRows } from '../../engine/annotations/notes';
import { annotationPresence } from '../../engine/annotations/presence';
import { defaultExportFolder, exportView } from '../../engine/export/exportView';
import { exportColourRules, listColourRules, ruleIndexForRows } from '../../engine/colourRules/colourRules';

/** Exports larger than this stay on disk only: the page is told where the file is instead. */
const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;

const totals = new WeakMap<CaseSession, { version: number; total: number }>();

/** Row count of the case, remembered until its data version changes. */
async function caseTotal(session: CaseSession): Promise<number> {
  const hit = totals.get(session);
  if (hit && hit.version === session.dataVersion) return hit.total;
  const total = Number(await session.db.scalar(`SELECT count(*) FROM ${SIGNINS_TABLE}`));
  totals.set(session, { version: session.dataVersion, total });
  return total;
}

function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (m) => `\\${m}`);
}

export const gridHandlers: HandlersFor<typeof gridMethods> = {
  async columns(_args, { engine }) {
    const session = engine.requireCase();
    const filled = await filledColumns(session);
    // Build or catch up the value lists in the background, so the first search or text
    // filter is as quick as the rest.
    session.db.background(() => ensureTextValues(session.db, { dataVersion: session.dataVersion }));
    return CANONICAL_COLUMNS.map((c) => ({
      name: c.name,
      label: c.label,
      type: c.type,
      group: c.group,
      description: c.description,
      empty: !filled.has(c.name),
    }));
  },
  async getRows({ filter, sort, start, end, columns }, { engine }) {
    const session = engine.requireCase();
    const page = await session.pager.page(filter, sort, start, end, columns);
    const ids = page.rows.map((r) => Number(r.row_id));
    const marks = await annotationPresence(session);
    const [tags, notes, colour] = await Promise.all([
      marks.tagged ? tagsForRows(session, ids) : new Map<number, number[]>(),
      marks.noted ? noteCountsForRows(session, ids) : new Map<number, number>(),
      listColourRules(session).then((rules) => ruleIndexForRows(session, rules, ids)),
    ]);
    const rows = page.rows.map((r) => ({ ...r, _tags: tags.get(Number(r.row_id)) ?? [], _notes: notes.get(Number(r.row_id)) ?? 0, _rule: colour.get(Number(r.row_id)) ?? null }));
    return { rows, total: page.total, caseTotal: await caseTotal(session) };
  },
  async getRecord({ rowId }, { engine }) {
    return getRecord(engine.requireCase(), rowId);
  },
  async getDetail({ rowId }, { engine }) {
    const session = engine.requireCase();
    const record = await getRecord(session, rowId);
    if (!record) return null;
    const code = record.error_code === null || record.error_code === undefined ? null : Number(record.error_code);
    return {
      record,
      error: errorMeaning(code),
      authDetails: await authDetails(session, record),
      caPolicies: caPolicies(record),
      graphActivity: await graphActivity(session, record),
    };
  },
  async errorCodes() {
    return knownErrorCodes().map((c) => errorMeaning(c)!);
  },
  async rowPosition({ filter, sort, rowId }, { engine }) {
    return engine.requireCase().pager.position(filter, sort, rowId);
  },
  async countRows({ filter }, { engine }) {
    const session = engine.requireCase();
    return { total: await session.pager.count(filter), caseTotal: await caseTotal(session) };
  },
  async distinctValues({ column, filter, search, limit }, { engine }) {
    const session = engine.requireCase();
    const col = allowColumn(column);
    const where = await resolvedWhereSql(session.db, filter, { dataVersion: session.dataVersion });
    const expr = col.type === 'VARCHAR' ? quoteIdent(col.name) : `CAST(${quoteIdent(col.name)} AS VARCHAR)`;
    const searchSql = search ? ` AND ${expr} ILIKE ? ESCAPE '\\'` : '';
    const params = search ? [...where.params, `%${likeEscape(search)}%`] : where.params;
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
  async exportDefaults(_args, { engine }) {
    return { folder: defaultExportFolder(engine.requireCase()) };
  },
  async exportView({ download, ...args }, { engine }) {
    const session = engine.requireCase();
    // The case's colour rules colour the workbook's rows as they colour the grid.
    const colourRules = args.format === 'xlsx' ? await exportColourRules(session) : undefined;
    const result = await exportView(session, { ...args, colourRules });
    // Only the file this call just wrote, and only up to a size a page can hold; the hashed copy stays in the case.
    // An Excel workbook is binary: it stays a file in the case (the page is told where).
    if (!download || args.format === 'xlsx' || result.bytes > MAX_DOWNLOAD_BYTES) return result;
    const text = await readFile(result.file, 'utf8');
    return { ...result, download: { fileName: basename(result.file), mime: args.format === 'csv' ? 'text/csv' : 'application/json', text } };
  },
};
