import type { HandlersFor } from '../dispatch';
import type { groupingMethods } from '../methods/grouping';
import { groupRows } from '../../engine/query/groupRows';
import { resolvedWhereSql } from '../../engine/query/textValues';

export const groupingHandlers: HandlersFor<typeof groupingMethods> = {
  async groupRows({ filter, ...query }, { engine }) {
    const session = engine.requireCase();
    // The grid's own WHERE (search and text conditions on the value lists), so a group's count is what its rows show.
    return groupRows(session.db, filter, query, (db, f) => resolvedWhereSql(db, f, { dataVersion: session.dataVersion }));
  },
};
