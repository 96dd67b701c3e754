import { z } from 'zod';
import { method } from '../method';
import { columnName, filterState, sortSpec } from '../schemas/filter';
import { columnMeta } from './grid';

const row = z.record(z.string(), z.unknown());

export const graphActivityMethods = {
  graphColumns: method(z.object({}), z.array(columnMeta), 'Columns of the Graph activity view (MicrosoftGraphActivityLogs) with their metadata.'),
  graphRows: method(
    z.object({
      filter: filterState,
      sort: sortSpec,
      start: z.number().int().min(0),
      end: z.number().int().min(0),
    }),
    z.object({ rows: z.array(row), total: z.number(), tableTotal: z.number() }),
    'A page of the filtered, sorted Graph activity view; the sign-in grid pager over graph_activity.',
  ),
  graphDetail: method(
    z.object({ rowId: z.number().int() }),
    z.object({ record: row, signInRowIds: z.array(z.number()) }).nullable(),
    "One Graph request with its raw record and the sign-in rows whose unique token identifier is its SignInActivityId.",
  ),
  graphValues: method(
    z.object({ column: columnName, filter: filterState, limit: z.number().int().min(1).max(5000).default(200) }),
    z.object({ values: z.array(z.object({ value: z.string().nullable(), count: z.number() })) }),
    'Values of a Graph activity column with counts under a filter.',
  ),
};
