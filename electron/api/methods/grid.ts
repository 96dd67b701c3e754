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
const childRows = z.object({ source: z.string(), rows: z.array(row) });

export const errorMeaning = z.object({
  code: z.number(),
  meaning: z.string(),
  category: z.string(),
  known: z.boolean(),
});

export const exportResult = z.object({
  file: z.string(),
  manifestFile: z.string(),
  rows: z.number(),
  sha256: z.string(),
  bytes: z.number(),
  /** Browser mode: the written file's text, for the page to offer as a download (absent above the size limit). */
  download: z.object({ fileName: z.string(), mime: z.string(), text: z.string() }).optional(),
});

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
    'A page of the filtered, sorted view; sort and filter run in DuckDB. Each row also carries _tags (tag ids), _notes (note count) and _rule (index of the first colour rule it meets, or null).',
  ),
  getRecord: method(z.object({ rowId: z.number().int() }), row.nullable(), 'Every field of one row, including its raw record.'),
  getDetail: method(
    z.object({ rowId: z.number().int() }),
    z
      .object({
        record: row,
        error: errorMeaning.nullable(),
        authDetails: childRows,
        caPolicies: childRows,
        graphActivity: z.object({ available: z.boolean(), rows: z.array(row), total: z.number() }),
      })
      .nullable(),
    'One row for the detail pane: every field, the error code meaning, authentication steps, Conditional Access policies and Graph activity made with its token.',
  ),
  errorCodes: method(z.object({}), z.array(errorMeaning), 'The bundled offline table of AADSTS error code meanings.'),
  rowPosition: method(
    z.object({ filter: filterState, sort: sortSpec, rowId: z.number().int() }),
    z.object({ index: z.number().int().nullable(), total: z.number() }),
    'Where one row sits in the filtered, sorted view (null when the filter leaves it out), so the grid can scroll to it.',
  ),
  countRows: method(z.object({ filter: filterState }), z.object({ total: z.number(), caseTotal: z.number() }), 'Row count for a filter.'),
  distinctValues: method(
    z.object({ column: columnName, filter: filterState, search: z.string().max(500).optional(), limit: z.number().int().min(1).max(5000).default(500) }),
    z.object({ values: z.array(z.object({ value: z.string().nullable(), count: z.number() })), distinct: z.number() }),
    'Values of a column with counts under a filter (the values-list filter).',
  ),
  viewSql: method(z.object({ filter: filterState, sort: sortSpec }), z.object({ sql: z.string() }), 'The SQL of the current view, with parameters inlined as literals.'),
  exportDefaults: method(z.object({}), z.object({ folder: z.string() }), 'Where exports go unless the user picks another folder.'),
  exportView: method(
    z.object({
      filter: filterState,
      sort: sortSpec,
      columns: z.array(columnName).max(200),
      format: z.enum(['csv', 'json', 'xlsx']),
      folder: z.string().max(4000).optional(),
      /** xlsx: the zone whose wall clock the date-times show ('UTC' or an IANA name); the ISO column stays UTC. */
      timeZone: z.string().max(100).optional(),
      /** CSV header row: the grid's column titles instead of the column names. */
      headerTitles: z.boolean().optional(),
      /** Add each row's tags and notes as two more columns. */
      annotations: z.boolean().optional(),
      /** Only these rows of the view (the selection). */
      rowIds: z.array(z.number().int()).min(1).max(200000).optional(),
      /** Also hand the written file back to the page (browser mode has no file manager to open it from). */
      download: z.boolean().optional(),
    }),
    exportResult,
    'Write the current view (filter, sort, visible columns) to a new CSV, JSON or Excel (.xlsx) file with a manifest beside it.',
  ),
};
