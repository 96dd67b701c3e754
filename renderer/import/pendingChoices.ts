import { importJobResult, type ImportChoice } from '../../electron/api/methods/case';
import type { JobState } from '../../electron/api/methods/case';

/** A refused file waiting for the user's choice, and what was already chosen for it. */
export interface PendingChoice {
  file: string;
  message: string;
  choice: ImportChoice;
  given: ImportAnswer;
}

export interface ImportAnswer {
  logType?: Extract<ImportChoice, { kind: 'logType' }>['options'][number];
  dateOrder?: 'dmy' | 'mdy';
}

/**
 * The files an import refused only for want of a log type or date order, read from the
 * job's typed result (never from its message text). `given` is what the import that
 * produced them was already told, so a second question keeps the first answer.
 */
export function pendingChoices(job: JobState, given: (path: string) => ImportAnswer): PendingChoice[] {
  if (job.kind !== 'import' || job.state !== 'done') return [];
  const parsed = importJobResult.safeParse(job.result);
  if (!parsed.success) return [];
  return parsed.data.files.flatMap((f) => (f.choice ? [{ file: f.file, message: f.errors[0] ?? '', choice: f.choice, given: given(f.choice.path) }] : []));
}
