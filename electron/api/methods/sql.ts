import { z } from 'zod';
import { method } from '../method';

const resultColumn = z.object({ name: z.string(), type: z.string() });
const resultSort = z.array(z.object({ column: z.string().min(1).max(512), dir: z.enum(['asc', 'desc']) })).max(8);
const cell = z.unknown();
const outcome = z.enum(['ok', 'refused', 'error', 'cancelled', 'timeout']);

export const sqlRunResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    resultId: z.string(),
    columns: z.array(resultColumn),
    rows: z.array(z.array(cell)),
    total: z.number(),
    durationMs: z.number(),
    kind: z.enum(['rows', 'plan']),
    notice: z.string().nullable(),
  }),
  z.object({
    ok: z.literal(false),
    outcome: z.enum(['refused', 'error', 'cancelled', 'timeout']),
    message: z.string(),
    line: z.number().nullable(),
    column: z.number().nullable(),
    durationMs: z.number(),
  }),
]);

export const schemaTable = z.object({
  name: z.string(),
  kind: z.enum(['table', 'view']),
  rows: z.number().nullable(),
  columns: z.array(resultColumn),
});

export const historyEntry = z.object({
  id: z.number(),
  ranAt: z.string(),
  sql: z.string(),
  outcome,
  rows: z.number().nullable(),
  durationMs: z.number(),
  message: z.string().nullable(),
});

export const savedQuery = z.object({
  id: z.number(),
  name: z.string(),
  sql: z.string(),
  description: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

// SQL console.
export const sqlMethods = {
  sqlRun: method(
    z.object({
      sql: z.string().max(1_000_000),
      pageSize: z.number().int().min(1).max(1000).optional(),
      timeoutMs: z.number().int().min(1000).max(3_600_000).optional(),
    }),
    sqlRunResult,
    'Run one read-only statement on the guarded console instance: result id, columns, first page, total and duration, or why it did not run (with line and column).',
  ),
  sqlPage: method(
    z.object({ resultId: z.string().max(40), start: z.number().int().min(0), end: z.number().int().min(0), sort: resultSort.optional() }),
    z.object({ rows: z.array(z.array(cell)), total: z.number(), notice: z.string().nullable() }),
    'A page of a console result, optionally sorted by result columns; notice says when long values were cut to keep the page small.',
  ),
  sqlCancel: method(z.object({}), z.object({ cancelled: z.boolean() }), 'Interrupt the running console query.'),
  sqlSchema: method(
    z.object({ refresh: z.boolean().optional() }),
    z.object({ tables: z.array(schemaTable), snapshotAt: z.string().nullable(), memoryLimit: z.string().nullable() }),
    'Tables and views the console can query, with column types and row counts (refresh: take a new snapshot of the case).',
  ),
  sqlExamples: method(z.object({}), z.array(z.object({ title: z.string(), description: z.string(), sql: z.string() })), 'Example queries to open in the editor.'),
  sqlCompletion: method(
    z.object({}),
    z.object({ tables: z.record(z.string(), z.array(z.string())), functions: z.array(z.string()) }),
    'Completion metadata: tables with their columns, and DuckDB function names.',
  ),
  sqlHistory: method(
    z.object({ limit: z.number().int().min(1).max(1000).default(200), search: z.string().max(500).optional() }),
    z.array(historyEntry),
    'Queries run against this case, newest first.',
  ),
  sqlSavedList: method(z.object({}), z.array(savedQuery), 'Saved, named queries of this case.'),
  sqlSave: method(
    z.object({ name: z.string().trim().min(1).max(200), sql: z.string().min(1).max(1_000_000), description: z.string().max(2000).optional() }),
    savedQuery,
    'Save a query under a name in the case (the same name replaces it).',
  ),
  sqlDeleteSaved: method(z.object({ id: z.number().int() }), z.object({ deleted: z.boolean() }), 'Delete a saved query.'),
  sqlExport: method(
    z.object({ resultId: z.string().max(40), format: z.enum(['csv', 'json']), sort: resultSort.optional(), sql: z.string().max(1_000_000).optional() }),
    z.object({ fileName: z.string(), mime: z.string(), text: z.string(), rows: z.number() }),
    'A console result as CSV (formula-neutralised) or JSON text for download.',
  ),
};

export type SqlRunResult = z.infer<typeof sqlRunResult>;
export type SchemaTableInfo = z.infer<typeof schemaTable>;
export type HistoryEntryInfo = z.infer<typeof historyEntry>;
export type SavedQueryInfo = z.infer<typeof savedQuery>;
