import { z } from 'zod';
import { method } from '../method';
import { filterState, sortSpec, columnName } from '../schemas/filter';

export const columnMeta = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  group: z.string(),
  description: z.string(),
  /** True when no row of the case has a value (for auto-hide). */
  empty: z.boolean(),
});

const row = z.record(z.string(), z.unknown());

export const gridMethods = {
  columns: method(z.object({}), z.array(columnMeta), 'Canonical columns of the sign-in table with their metadata.'),
  getRows: method(
    z.object({
      filter: filterState,
      sort: sortSpec,
      start: z.number().int().min(0),
      end: z.number().int().min(0),
      columns: z.array(columnName).max(200).optional(),
    }),
    z.object({ rows: z.array(row), total: z.number(), caseTotal: z.number() }),
    'A page of the filtered, sorted view; sort and filter run in DuckDB.',
  ),
  getRecord: method(z.object({ rowId: z.number().int() }), row.nullable(), 'Every field of one row, including its raw record.'),
  countRows: method(z.object({ filter: filterState }), z.object({ total: z.number(), caseTotal: z.number() }), 'Row count for a filter.'),
  distinctValues: method(
    z.object({ column: columnName, filter: filterState, search: z.string().max(500).optional(), limit: z.number().int().min(1).max(5000).default(500) }),
    z.object({ values: z.array(z.object({ value: z.string().nullable(), count: z.number() })), distinct: z.number() }),
    'Values of a column with counts under a filter (the values-list filter).',
  ),
  viewSql: method(z.object({ filter: filterState, sort: sortSpec }), z.object({ sql: z.string() }), 'The SQL of the current view, with parameters inlined as literals.'),
};
