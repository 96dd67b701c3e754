import { cpus, loadavg } from 'node:os';
import type { BenchContext } from './benchContext';
import { medianMs } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import { recomputeFindings, type RecomputeResult } from '../electron/engine/findings/compute';

/** The targets, stated for 10,000,000 rows. */
const TARGET_ROWS = 10_000_000;
const ALL_MS = 30_000;
const TRAVEL_MS = 5_000;

/**
 * All twelve detectors over the imported case (issue 21: all detectors ≤ 30 s and impossible
 * travel ≤ 5 s at 10,000,000 rows), against one plain DuckDB window pass over the same rows
 * in the same run (the least any per-user sequence analysis must do). Each detector's time
 * (its SQL, its explanations and storing its rows) is printed with the total.
 *
 * Wall time on a shared machine says more about the load than about the code, so the CPU
 * time of the whole run (every DuckDB thread) is printed too, and the 10M figure is
 * extrapolated from it: CPU time × 10M / rows, spread over the cores.
 */
export default async function findingsBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  try {
    const rows = Number(await session.db.scalar('SELECT count(*) FROM signins'));
    const runs = Math.max(1, Math.min(3, ctx.rounds));
    const baselineMs = await medianMs(runs, () =>
      session.db.all(`SELECT count(*) FROM (SELECT lag(time_utc) OVER (PARTITION BY user_principal_name ORDER BY time_utc, row_id) AS p FROM signins) WHERE p IS NOT NULL`),
    );
    ctx.report({ name: 'findings: baseline one window pass per user', ms: Math.round(baselineMs), rows });
    const done: { ms: number; cpuMs: number; result: RecomputeResult }[] = [];
    for (let i = 0; i < runs; i++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const result = await recomputeFindings(session);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      done.push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, result });
    }
    done.sort((a, b) => a.ms - b.ms);
    const median = done[Math.floor(done.length / 2)]!;
    const scale = TARGET_ROWS / Math.max(1, rows);
    const cores = cpus().length;
    // A detector's CPU share is taken as its share of the wall time (they run one after another).
    const estimate = (ms: number) => Math.round(((ms / median.ms) * median.cpuMs * scale) / cores);
    ctx.report({
      name: 'findings: all detectors, stored with their rows',
      ms: Math.round(median.ms),
      cpuMs: Math.round(median.cpuMs),
      baselineMs: Math.round(baselineMs),
      ratio: Number((median.ms / baselineMs).toFixed(1)),
      target: `≤ ${ALL_MS} ms at ${TARGET_ROWS.toLocaleString('en-US')} rows (this run: ${rows.toLocaleString('en-US')})`,
      estimateAt10MMs: estimate(median.ms),
      estimateNote: `CPU time × ${scale.toFixed(1)} over ${cores} idle cores; the run's wall time is load-bound (load average ${loadavg()[0]!.toFixed(1)})`,
      rows,
      findings: median.result.findings,
    });
    for (const k of median.result.byKind) {
      const travel = k.kind === 'impossible_travel';
      ctx.report({
        name: `findings: detector ${k.kind}`,
        ms: k.ms,
        share: Number((k.ms / median.ms).toFixed(3)),
        ...(travel ? { target: `≤ ${TRAVEL_MS} ms at ${TARGET_ROWS.toLocaleString('en-US')} rows`, estimateAt10MMs: estimate(k.ms) } : {}),
        findings: k.findings,
        rows: k.rows,
      });
    }
  } finally {
    session.close();
  }
}
