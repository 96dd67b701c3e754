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
  /** Bytes of input read so far and in all, when the job reads files (imports, the demo). */
  bytesDone: z.number().nullable().optional(),
  bytesTotal: z.number().nullable().optional(),
  /** Seconds left at the rate so far, once enough of the job is done to tell. */
  etaSeconds: z.number().nullable().optional(),
  /** When the job started (ISO time), so any window can show how long it has run. */
  startedAt: z.string().optional(),
  error: z.string().nullable(),
  /** Free-form JSON result of the job (e.g. the import summary). */
  result: z.unknown().optional(),
});

export type JobState = z.infer<typeof jobState>;
