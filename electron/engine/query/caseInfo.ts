import { z } from 'zod';

// What the engine reports about a case: its sources (read = imported + duplicates + rejected), counts and time span.
export const sourceInfo = z.object({
  id: z.number().int(),
  path: z.string(),
  name: z.string(),
  sha256: z.string(),
  bytes: z.number(),
  shape: z.string(),
  logType: z.string().nullable(),
  /** Why the source's rows have their log type (content, file name, or the user's choice). */
  logTypeReason: z.string().nullable().optional(),
  read: z.number(),
  imported: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  importedAt: z.string(),
});

export const caseInfo = z.object({
  dir: z.string(),
  name: z.string(),
  createdAt: z.string(),
  rowCount: z.number(),
  sources: z.array(sourceInfo),
  byLogType: z.array(z.object({ logType: z.string().nullable(), rows: z.number() })),
  byStatus: z.array(z.object({ status: z.string().nullable(), rows: z.number() })),
  /** Rows whose copies in other files or shapes disagree on a value (table row_conflicts). */
  conflictRows: z.number().optional(),
  firstUtc: z.string().nullable(),
  lastUtc: z.string().nullable(),
});

export type CaseInfo = z.infer<typeof caseInfo>;
export type SourceInfo = z.infer<typeof sourceInfo>;
