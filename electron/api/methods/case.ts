import { z } from 'zod';
import { method } from '../method';
import { caseInfo, sourceInfo, type CaseInfo, type SourceInfo } from '../../engine/query/caseInfo';
import { jobState, type JobState } from '../../engine/jobs/jobState';
import type { FileImportSummary } from '../../engine/import/importFiles';

export { caseInfo, sourceInfo, jobState, type CaseInfo, type SourceInfo, type JobState };

const logType = z.enum(['interactive', 'noninteractive', 'serviceprincipal', 'managedidentity']);

/**
 * Why a file was refused when the user's choice would settle it: import `path` again with
 * `logType` (one of `options`) or `dateOrder` (the examples are values of the file read both ways).
 */
export const importChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('logType'), path: z.string(), options: z.array(logType).min(1) }),
  z.object({
    kind: z.literal('dateOrder'),
    path: z.string(),
    examples: z.array(z.object({ text: z.string(), dayFirst: z.string(), monthFirst: z.string() })),
  }),
]);
export type ImportChoice = z.infer<typeof importChoice>;

/** One file of an import job's result (jobStatus.result.files[]). */
export const importFileResult = z.object({
  file: z.string(),
  read: z.number(),
  imported: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  errors: z.array(z.string()),
  choice: importChoice.optional(),
});

/** The result of an import job, as jobStatus returns it once the job is done. */
// `case` is null when nothing was imported into a case the import made itself (that case is not kept).
export const importJobResult = z.object({ case: z.string().nullable(), files: z.array(importFileResult) });

/** Fails to compile when the engine's per-file summary drifts from the schema above. */
type Fits<T extends z.input<typeof importFileResult>> = T;
export type ImportFileSummary = Fits<FileImportSummary>;

export const recentCase = z.object({ dir: z.string(), name: z.string(), openedAt: z.string() });

export const caseMethods = {
  appInfo: method(
    z.object({}),
    z.object({ version: z.string(), duckdb: z.string(), mode: z.enum(['desktop', 'browser']), node: z.string() }),
    'Versions and which transport the UI is running over.',
  ),
  openFiles: method(
    z.object({
      paths: z.array(z.string().min(1).max(4096)).min(1).max(500),
      caseDir: z.string().max(4096).optional(),
      /** For files whose content and name cannot tell their log (the portal's two user downloads share a header). */
      logType: logType.optional(),
      /** For files whose slash dates cannot tell day from month. */
      dateOrder: z.enum(['dmy', 'mdy']).optional(),
      /** The new case's name (when no case is open); default: the files' folder or the first file. */
      caseName: z.string().max(200).optional(),
    }),
    z.object({ jobId: z.string() }),
    'Import files into the open case (or a new case when none is open). Returns a job to poll.',
  ),
  openDemo: method(z.object({ rows: z.number().int().min(100).max(2_000_000).optional() }), z.object({ jobId: z.string() }), 'Generate and open the demo case.'),
  openCase: method(z.object({ dir: z.string().min(1).max(4096) }), caseInfo, 'Open an existing case folder (no re-import).'),
  renameCase: method(z.object({ name: z.string().min(1).max(200) }), caseInfo, 'Rename the open case (recorded in the audit log).'),
  closeCase: method(z.object({}), z.object({ closed: z.boolean() }), 'Close the open case.'),
  caseInfo: method(z.object({}), caseInfo.nullable(), 'Sources, counts and time span of the open case, or null.'),
  recentCases: method(z.object({}), z.array(recentCase), 'Recently opened cases, newest first.'),
  jobStatus: method(z.object({ jobId: z.string() }), jobState, 'State of a background job (import, demo).'),
  cancelJob: method(z.object({ jobId: z.string() }), z.object({ cancelled: z.boolean() }), 'Cancel a running job; the case is left as it was.'),
  listDirectory: method(
    z.object({ path: z.string().max(4096).optional() }),
    z.object({
      path: z.string(),
      parent: z.string().nullable(),
      entries: z.array(z.object({ name: z.string(), path: z.string(), kind: z.enum(['file', 'dir']), bytes: z.number() })),
    }),
    'List a folder for the in-app file picker (browser mode has no native dialog).',
  ),
};

