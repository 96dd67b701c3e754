import { method } from '../method';
import { filterState } from '../schemas/filter';
import { groupQuery, groupResult } from '../../engine/query/groupModel';

export { GROUP_COLUMNS, type GroupColumn, type GroupResult } from '../../engine/query/groupModel';

export const groupingMethods = {
  groupRows: method(
    groupQuery.extend({ filter: filterState }),
    groupResult,
    'The filtered sign-ins grouped by one or two columns (an allow-list): rows, failures and first/last time per group, sorted and paged in DuckDB.',
  ),
};
