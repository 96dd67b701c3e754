import type { CaseSession } from '../case/caseSession';
import { ensureFindings, findingsStale, recomputeFindings, type RecomputeResult } from '../findings/compute';
import { saveThresholds } from '../findings/thresholdStore';
import { appendAudit } from '../custody/audit';
import type { JobContext, JobRunner } from './jobRunner';

export const FINDINGS_JOB = 'findings';

/** The findings job running on each case: a second request while it runs follows it instead of starting another. */
const runningOn = new WeakMap<CaseSession, string>();

export interface FindingsJobOptions {
  /** Threshold changes to save first (null restores a default); the run is audited. */
  thresholds?: Record<string, number | null>;
  /** Compute even when the stored findings are current (the user asked). */
  force?: boolean;
}

/** Report a run's steps as a job's progress (step i of n, with what it is doing). */
function stepProgress(ctx: JobContext): (s: { index: number; total: number; name: string }) => void {
  return (s) => ctx.progress({ fraction: s.index / s.total, message: `${s.name} (step ${s.index + 1} of ${s.total})` });
}

/**
 * Compute the case's findings as a job every window sees (after an import, on opening the
 * Findings tab of a stale case, on Recompute). Returns the job's id, or null when the stored
 * findings are current and nothing was asked to change. A cancelled run keeps the findings
 * stored before it.
 */
export async function startFindingsJob(jobs: JobRunner, session: CaseSession, opts: FindingsJobOptions = {}): Promise<string | null> {
  const changes = opts.thresholds && Object.keys(opts.thresholds).length ? opts.thresholds : null;
  const current = runningOn.get(session);
  if (!changes && !opts.force) {
    if (current && jobs.status(current)?.state === 'running') return current;
    if (!(await findingsStale(session))) return null;
  }
  // Thresholds are checked and saved before the job starts, so a bad value is refused at once.
  const t = changes ? await saveThresholds(session, changes) : undefined;
  const id = jobs.start(FINDINGS_JOB, async (ctx): Promise<RecomputeResult | { findings: number }> => {
    ctx.progress({ fraction: 0, message: 'Waiting for the computation already running' });
    const control = { signal: ctx.signal, progress: stepProgress(ctx) };
    if (!changes && !opts.force) {
      // Another request may have brought them up to date while this one waited its turn.
      await ensureFindings(session, control);
      return { findings: Number(await session.db.scalar('SELECT count(*) FROM findings')) };
    }
    const result = await recomputeFindings(session, t, control);
    await appendAudit(session, { action: 'findings.recompute', detail: { changed: changes ?? {}, findings: result.findings, ms: result.ms }, tables: ['finding_thresholds'] });
    ctx.progress({ fraction: 1, message: `${result.findings} findings` });
    return result;
  });
  runningOn.set(session, id);
  return id;
}
