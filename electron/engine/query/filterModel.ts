import { z } from 'zod';

// One filter state for the whole app: the grid, timeline, map and findings all read and
// write this shape, and the engine compiles it to parameterised SQL. Column names are
// validated against the canonical allow-list when compiled, never trusted as text.

export const columnName = z.string().min(1).max(64).regex(/^[a-z_][a-z0-9_]*$/);

export const textCondition = z.object({
  kind: z.literal('text'),
  column: columnName,
  op: z.enum(['contains', 'equals', 'startsWith', 'endsWith', 'regex', 'empty', 'notEmpty']),
  value: z.string().max(2000).optional(),
  negate: z.boolean().optional(),
  caseSensitive: z.boolean().optional(),
});

export const numberCondition = z.object({
  kind: z.literal('number'),
  column: columnName,
  min: z.number().optional(),
  max: z.number().optional(),
  negate: z.boolean().optional(),
});

/** Times are ISO-8601 instants (with Z or an offset); the zone shown to the user is a UI concern. */
export const timeCondition = z.object({
  kind: z.literal('time'),
  column: columnName,
  from: z.string().max(64).optional(),
  to: z.string().max(64).optional(),
  label: z.string().max(200).optional(),
});

export const valuesCondition = z.object({
  kind: z.literal('values'),
  column: columnName,
  values: z.array(z.string().max(4000).nullable()).max(10000),
  exclude: z.boolean().optional(),
});

export const tagCondition = z.object({
  kind: z.literal('tag'),
  tagIds: z.array(z.number().int()).max(100),
  exclude: z.boolean().optional(),
});

/** The rows of one finding, or of any finding when no id is given. */
export const findingCondition = z.object({
  kind: z.literal('finding'),
  findingId: z.string().max(200).optional(),
  label: z.string().max(300).optional(),
});

/** The hits of an IOC sweep: all of them, or one indicator's (by its line in the list). */
export const sweepCondition = z.object({
  kind: z.literal('sweep'),
  sweepId: z.string().uuid(),
  line: z.number().int().min(1).optional(),
  label: z.string().max(300).optional(),
});

/** An explicit set of rows, e.g. a timeline bucket or map cluster the user clicked. */
export const rowsCondition = z.object({
  kind: z.literal('rows'),
  rowIds: z.array(z.number().int()).max(200000),
  label: z.string().max(300).optional(),
});

export const condition = z.discriminatedUnion('kind', [
  textCondition,
  numberCondition,
  timeCondition,
  valuesCondition,
  tagCondition,
  findingCondition,
  rowsCondition,
  sweepCondition,
]);

export const filterState = z.object({
  conditions: z.array(condition).max(200).default([]),
  /** Global search: free words, "quoted phrases" and column:term. */
  search: z.string().max(2000).optional(),
});

export const sortSpec = z.array(z.object({ column: columnName, dir: z.enum(['asc', 'desc']) })).max(8);

export type Condition = z.infer<typeof condition>;
export type FilterState = z.infer<typeof filterState>;
export type SortSpec = z.infer<typeof sortSpec>;

/** Short names people type in `column:term` searches, beside the canonical names. */
export const SEARCH_ALIASES: Readonly<Record<string, string>> = {
  ip: 'ip_address',
  user: 'user_principal_name',
  upn: 'user_principal_name',
  name: 'user_display_name',
  app: 'app_display_name',
  resource: 'resource_display_name',
  ua: 'user_agent',
  error: 'error_code',
  code: 'error_code',
  session: 'session_id',
  correlation: 'correlation_id',
  request: 'request_id',
  os: 'operating_system',
  reason: 'failure_reason',
};
