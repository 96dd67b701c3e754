import { z } from 'zod';

/** A background job's state as the UI polls it. */
export const jobState = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  message: z.string(),
  /** Rows processed so far and per second, for progress display. */
  rows: z.number(),
  rowsPerSecond: z.number(),
  fraction: z.number().nullable(),
  error: z.string().nullable(),
  /** Free-form JSON result of the job (e.g. the import summary). */
  result: z.unknown().optional(),
});

export type JobState = z.infer<typeof jobState>;
