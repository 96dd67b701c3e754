import type { HandlersFor } from '../dispatch';
import { UserError } from '../dispatch';
import type { findingsMethods } from '../methods/findings';
import { getFinding, listFindings, listStoredFindings, reviewFinding, reviewFindings } from '../../engine/findings/store';
import { addSuppression, listSuppressions, removeSuppression } from '../../engine/findings/suppressions';
import { findingsStale, recomputeFindings } from '../../engine/findings/compute';
import { FINDINGS_JOB, startFindingsJob } from '../../engine/jobs/findingsJob';
import { loadThresholds, saveThresholds } from '../../engine/findings/thresholdStore';
import { THRESHOLDS } from '../../engine/findings/thresholds';
import { appendAudit } from '../../engine/custody/audit';

export const findingsHandlers: HandlersFor<typeof findingsMethods> = {
  async listFindings({ stored }, { engine }) {
    return stored ? listStoredFindings(engine.requireCase()) : listFindings(engine.requireCase());
  },
  async findingsState(_args, { engine }) {
    const session = engine.requireCase();
    return { stale: await findingsStale(session), jobId: engine.jobs.running().find((j) => j.kind === FINDINGS_JOB)?.id ?? null };
  },
  async startFindings({ thresholds, force }, { engine }) {
    try {
      return { jobId: await startFindingsJob(engine.jobs, engine.requireCase(), { ...(thresholds ? { thresholds } : {}), ...(force ? { force } : {}) }) };
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err), 'bad_threshold');
    }
  },
  async getFinding({ id }, { engine }) {
    const f = await getFinding(engine.requireCase(), id);
    if (!f) throw new UserError(`No finding ${id} in this case (recomputed since?)`, 'no_finding');
    return f;
  },
  async recomputeFindings({ thresholds }, { engine }) {
    const session = engine.requireCase();
    let t;
    try {
      t = thresholds && Object.keys(thresholds).length ? await saveThresholds(session, thresholds) : await loadThresholds(session);
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err), 'bad_threshold');
    }
    const result = await recomputeFindings(session, t);
    await appendAudit(session, { action: 'findings.recompute', detail: { changed: thresholds ?? {}, findings: result.findings, ms: result.ms }, tables: ['finding_thresholds'] });
    return result;
  },
  async reviewFinding({ id, state, note }, { engine }) {
    try {
      return await reviewFinding(engine.requireCase(), id, state, note);
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err), 'no_finding');
    }
  },
  async reviewFindings({ ids, state, note }, { engine }) {
    try {
      return { reviewed: await reviewFindings(engine.requireCase(), ids, state, note) };
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err), 'no_finding');
    }
  },
  async listSuppressions(_args, { engine }) {
    return listSuppressions(engine.requireCase());
  },
  async addSuppression({ kind, entity, note }, { engine }) {
    try {
      return await addSuppression(engine.requireCase(), kind, entity, note);
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err), 'bad_suppression');
    }
  },
  async removeSuppression({ id }, { engine }) {
    try {
      await removeSuppression(engine.requireCase(), id);
    } catch (err) {
      throw new UserError(err instanceof Error ? err.message : String(err), 'no_suppression');
    }
    return { removed: true as const };
  },
  async findingThresholds(_args, { engine }) {
    const t = await loadThresholds(engine.requireCase());
    return THRESHOLDS.map((s) => ({ ...s, value: t[s.key] ?? s.default }));
  },
};
