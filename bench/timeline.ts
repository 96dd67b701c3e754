import type { BenchContext } from './benchContext';
import { medianMs } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import { timelineFor } from '../electron/engine/timeline/timelineQuery';
import { histogram } from '../electron/engine/timeline/histogram';
import { lanes } from '../electron/engine/timeline/lanes';
import type { FilterState } from '../electron/api/schemas/filter';
import type { StackBy } from '../electron/engine/timeline/dimensions';
import { ensureTextValues } from '../electron/engine/query/textValues';

const NO_FILTER: FilterState = { conditions: [] };
const RUNS = 5;

/**
 * Timeline speed on the imported case: re-bucketing at every zoom level (the histogram
 * the UI asks for after each zoom or pan) and lanes for 50 users, against plain DuckDB
 * aggregates over the same table in the same run.
 */
export default async function timelineBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  try {
    const q = timelineFor(session);
    const db = session.db;
    // Built when the grid opens the case; text filters are decided on them.
    await ensureTextValues(db, { dataVersion: session.dataVersion });
    const ext = await q.extent(NO_FILTER);
    if (ext.from === null || ext.to === null) throw new Error('timeline bench: the case has no dated rows');
    const span = ext.to + 1 - ext.from;
    const mid = ext.from + span / 2;

    const baselineMs = await medianMs(RUNS, () => db.all(`SELECT date_trunc('hour', time_utc) AS b, count(*) FROM signins GROUP BY 1`));
    const baselineStatusMs = await medianMs(RUNS, () => db.all(`SELECT date_trunc('hour', time_utc) AS b, status, count(*) FROM signins GROUP BY 1, 2`));
    ctx.report({ name: 'timeline: baseline date_trunc(hour) count', ms: baselineMs });
    ctx.report({ name: 'timeline: baseline date_trunc(hour) x status count', ms: baselineStatusMs });

    const windows: { label: string; from: number; to: number }[] = [
      { label: 'whole case', from: ext.from, to: ext.to + 1 },
      { label: 'half', from: ext.from + span / 4, to: ext.from + (3 * span) / 4 },
      { label: 'one week', from: mid - 3.5 * 86_400_000, to: mid + 3.5 * 86_400_000 },
      { label: 'one day', from: mid - 43_200_000, to: mid + 43_200_000 },
      { label: 'one hour', from: mid - 1_800_000, to: mid + 1_800_000 },
    ].map((w) => ({ ...w, from: Math.max(ext.from!, Math.round(w.from)), to: Math.min(ext.to! + 1, Math.round(w.to)) }));

    // A filter change: the extent, the top-N keys and the minute cube are built afresh.
    const coldMs = await medianMs(3, async () => {
      session.changed();
      await histogram(q, { filter: NO_FILTER, timeZone: 'Europe/Oslo', stackBy: 'status', topN: 8 });
    });
    ctx.report({ name: 'timeline: buckets after a filter change (cold: extent + minute cube)', ms: round(coldMs), baselineMs: round(baselineStatusMs), ratio: round(coldMs / baselineStatusMs) });

    let worst = 0;
    for (const zone of ['UTC', 'Europe/Oslo']) {
      for (const w of windows) {
        for (const stackBy of ['status', 'user'] as StackBy[]) {
          const req = { filter: NO_FILTER, timeZone: zone, range: { from: w.from, to: w.to }, stackBy, topN: 8 };
          const first = await histogram(q, req); // warms the extent/top-N cache a real zoom would already have
          const ms = await medianMs(RUNS, () => histogram(q, req));
          worst = Math.max(worst, ms);
          ctx.report({
            name: `timeline: buckets, ${w.label}, ${zone}, by ${stackBy}`,
            ms: round(ms),
            baselineMs: round(baselineMs),
            ratio: round(ms / baselineMs),
            target: '<= 100 ms',
            bucket: first.bucket.id,
            buckets: first.starts.length,
          });
        }
      }
    }
    ctx.report({ name: 'timeline: buckets, worst zoom', ms: round(worst), baselineMs: round(baselineMs), ratio: round(worst / baselineMs), target: '<= 100 ms', pass: worst <= 100 });

    // The same lanes the engine draws: the top 50 users that have a name (rows without one have no lane).
    const top50 = (await q.topKeys(NO_FILTER, 'user_principal_name', 50, false)).flatMap((t) => (t.key === null ? [] : [t.key]));
    const laneBaselineMs = await medianMs(RUNS, () =>
      db.all(`SELECT user_principal_name, time_utc, status, row_id FROM signins WHERE user_principal_name IN (${top50.map(() => '?').join(', ')}) ORDER BY 1, 2`, top50),
    );
    const laneColdMs = await medianMs(3, async () => {
      session.changed();
      await lanes(q, { filter: NO_FILTER, timeZone: 'Europe/Oslo', by: 'user', topN: 50, maxMarksPerLane: 400 });
    });
    ctx.report({ name: 'timeline: lanes, 50 users, after a filter change (cold)', ms: round(laneColdMs), baselineMs: round(laneBaselineMs), ratio: round(laneColdMs / laneBaselineMs), target: '<= 200 ms' });
    // For context (no target): the view sends its histogram, its lanes (12 by default) and
    // the row count together on a filter change; this is when the last of them is back.
    const togetherMs = await medianMs(3, async () => {
      session.changed();
      await Promise.all([
        histogram(q, { filter: NO_FILTER, timeZone: 'Europe/Oslo', stackBy: 'status', topN: 8 }),
        lanes(q, { filter: NO_FILTER, timeZone: 'Europe/Oslo', by: 'user', topN: 12, maxMarksPerLane: 400 }),
        session.pager.count(NO_FILTER),
      ]);
    });
    ctx.report({
      name: 'timeline: view after a filter change, histogram + 12 lanes + count together (context)',
      ms: round(togetherMs),
      baselineMs: round(baselineStatusMs),
      ratio: round(togetherMs / baselineStatusMs),
    });
    let worstLanes = 0;
    for (const w of [windows[0]!, windows[2]!, windows[3]!]) {
      const req = { filter: NO_FILTER, timeZone: 'Europe/Oslo', range: { from: w.from, to: w.to }, by: 'user' as const, topN: 50, maxMarksPerLane: 400 };
      const first = await lanes(q, req); // as after the first view of this filter: the lanes' rows are cached
      const ms = await medianMs(RUNS, () => lanes(q, req));
      worstLanes = Math.max(worstLanes, ms);
      ctx.report({
        name: `timeline: lanes, 50 users, zoom to ${w.label}`,
        ms: round(ms),
        baselineMs: round(laneBaselineMs),
        ratio: round(ms / laneBaselineMs),
        target: '<= 200 ms',
        marks: first.marks.t.length,
        signins: first.lanes.reduce((a, l) => a + l.total, 0),
      });
    }
    ctx.report({ name: 'timeline: lanes, 50 users, worst zoom', ms: round(worstLanes), baselineMs: round(laneBaselineMs), ratio: round(worstLanes / laneBaselineMs), target: '<= 200 ms', pass: worstLanes <= 200 });
  } finally {
    session.close();
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
