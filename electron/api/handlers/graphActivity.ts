import type { HandlersFor } from '../dispatch';
import { UserError } from '../dispatch';
import type { graphActivityMethods } from '../methods/graphActivity';
import type { FilterState } from '../schemas/filter';
import { quoteIdent } from '../../engine/db/database';
import { GRAPH_ACTIVITY_TABLE, GRAPH_VIEW_COLUMNS } from '../../engine/graphActivity/columns';
import { graphPager, graphRequest, graphTotal, graphValues } from '../../engine/graphActivity/graphQueries';

/** Tags and findings belong to sign-in rows; a Graph view filter cannot name them. */
function graphFilter(filter: FilterState): FilterState {
  const bad = filter.conditions.find((c) => c.kind === 'tag' || c.kind === 'finding');
  if (bad) throw new UserError(`A Graph activity filter cannot use a ${bad.kind} condition`, 'bad_filter');
  return filter;
}

export const graphActivityHandlers: HandlersFor<typeof graphActivityMethods> = {
  async graphColumns(_args, { engine }) {
    const session = engine.requireCase();
    const counts = await session.db.one(`SELECT ${GRAPH_VIEW_COLUMNS.map((c) => `count(${quoteIdent(c.name)}) AS ${quoteIdent(c.name)}`).join(', ')} FROM ${GRAPH_ACTIVITY_TABLE}`);
    return GRAPH_VIEW_COLUMNS.map((c) => ({ name: c.name, label: c.label, type: c.type, group: c.group, description: c.description, empty: Number(counts?.[c.name] ?? 0) === 0 }));
  },
  async graphRows({ filter, sort, start, end }, { engine }) {
    const session = engine.requireCase();
    const pager = await graphPager(session);
    const page = await pager.page(graphFilter(filter), sort, start, end);
    return { rows: page.rows, total: page.total, tableTotal: await graphTotal(session) };
  },
  async graphDetail({ rowId }, { engine }) {
    return graphRequest(engine.requireCase(), rowId);
  },
  async graphValues({ column, filter, limit }, { engine }) {
    return { values: await graphValues(engine.requireCase(), column, graphFilter(filter), limit) };
  },
};
