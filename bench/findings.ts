import type { BenchContext } from './benchContext';
import { medianMs } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import { recomputeFindings, type RecomputeResult } from '../electron/engine/findings/compute';

const RUNS = 3;

/**
 * All twelve detectors over the imported case (the target: ≤ 5 s on 1,000,000
 * rows), against one plain DuckDB window pass over the same rows in the same run (the
 * least any per-user sequence analysis must do).
 */
export default async function findingsBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  try {
    const rows = Number(await session.db.scalar('SELECT count(*) FROM signins'));
    const baselineMs = await medianMs(RUNS, () =>
      session.db.all(`SELECT count(*) FROM (SELECT lag(time_utc) OVER (PARTITION BY user_principal_name ORDER BY time_utc, row_id) AS p FROM signins) WHERE p IS NOT NULL`),
    );
    ctx.report({ name: 'findings: baseline one window pass per user', ms: Math.round(baselineMs), rows });
    let last: RecomputeResult | null = null;
    const ms = await medianMs(RUNS, async () => {
      last = await recomputeFindings(session);
    });
    ctx.report({
      name: 'findings: all detectors, stored with their rows',
      ms: Math.round(ms),
      baselineMs: Math.round(baselineMs),
      ratio: Number((ms / baselineMs).toFixed(1)),
      target: rows >= 1_000_000 ? '≤ 5000 ms on 1,000,000 rows' : `≤ 5000 ms on 1,000,000 rows (this run: ${rows.toLocaleString('en-US')})`,
      rows,
      findings: (last as RecomputeResult | null)?.findings ?? 0,
    });
    for (const k of (last as RecomputeResult | null)?.byKind ?? []) ctx.report({ name: `findings: ${k.kind}`, ms: k.ms, findings: k.findings, rows: k.rows });
  } finally {
    session.close();
  }
}
