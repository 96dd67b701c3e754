import type { CaseSession } from '../case/caseSession';
import { CancelledError } from '../jobs/jobRunner';
import { appendAudit } from './audit';

// Imports that did not add a file are recorded too, with the file and the reason, so the
// log shows every file that was offered to the case and what became of it.

/** A file the importer would not read (refused: empty, binary, unknown shape…) or could not read (failed). */
export interface ImportProblem {
  file: string;
  entry: string | null;
  outcome: 'refused' | 'failed';
  reason: string;
  /** The file's SHA-256 when it was hashed before the problem showed. */
  sha256: string | null;
}

export async function auditImportProblems(session: CaseSession, problems: ImportProblem[]): Promise<void> {
  for (const p of problems) {
    await appendAudit(session, {
      action: p.outcome === 'refused' ? 'import-refused' : 'import-failed',
      detail: { file: p.file, entry: p.entry, reason: p.reason, ...(p.sha256 ? { sha256: p.sha256 } : {}) },
    });
  }
}

/**
 * An import stopped as a whole (cancelled, or an error no single file explains). It runs as
 * one transaction, so nothing of it was kept; the entry says so.
 */
export async function auditImportStopped(session: CaseSession, files: string[], err: unknown): Promise<void> {
  const cancelled = err instanceof CancelledError;
  await appendAudit(session, {
    action: cancelled ? 'import-cancelled' : 'import-failed',
    detail: {
      files,
      reason: cancelled ? 'cancelled by the user' : err instanceof Error ? err.message : String(err),
      kept: 'nothing: the import is rolled back as a whole',
    },
  }).catch(() => undefined);
}
