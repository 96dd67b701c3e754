import { z } from 'zod';
import { method } from '../method';

export const importProblemFile = z.object({
  file: z.string(),
  path: z.string(),
  outcome: z.enum(['refused', 'failed', 'imported']),
  at: z.string(),
  reason: z.string().nullable(),
  read: z.number(),
  imported: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  rejectedReasons: z.array(z.object({ reason: z.string(), count: z.number(), firstRecord: z.number().nullable(), example: z.string() })),
  warnings: z.array(z.string()),
});

export type ImportProblemInfo = z.infer<typeof importProblemFile>;

export const importProblemsMethods = {
  importProblems: method(
    z.object({}),
    z.array(importProblemFile),
    'Per file offered to the case: refusals and failures with their reason, rejected records by reason with counts, and warnings.',
  ),
};
