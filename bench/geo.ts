import type { BenchContext } from './benchContext';
import { medianMs } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import { whereSql } from '../electron/engine/query/filterSql';
import { mapSummary } from '../electron/engine/geo/mapAggregate';
import { impossibleTravel } from '../electron/engine/geo/travel';
import { ensureRowLocations } from '../electron/engine/geo/rowLocations';
import type { FilterState } from '../electron/api/schemas/filter';

const RUNS = 5;
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Geo speed on the imported case: map aggregation (clusters + country table + precision
 * counts) for several filters, and impossible travel for all users, against a raw
 * `GROUP BY country` and a raw window `lag` over the same table in the same run. The
 * one-off costs (gazetteer load, place resolution, per-row cache build) are reported
 * separately: they are paid once per case, not per query.
 */
export default async function geoBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  try {
    const db = session.db;
    const t0 = performance.now();
    await ensureRowLocations(db, session.dataVersion);
    ctx.report({ name: 'geo: one-off place resolution + per-row location cache', ms: round(performance.now() - t0) });

    const baselineMs = await medianMs(RUNS, () => db.all(`SELECT country, count(*) FROM signins GROUP BY country`));
    ctx.report({ name: 'geo: baseline raw GROUP BY country', ms: round(baselineMs) });

    const topCountry = (await db.one<{ country: string }>(`SELECT country FROM signins WHERE country IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`))?.country ?? 'US';
    const someUser = (await db.one<{ u: string }>(`SELECT user_principal_name AS u FROM signins WHERE user_principal_name IS NOT NULL LIMIT 1`))?.u ?? '';
    const filters: { label: string; filter: FilterState }[] = [
      { label: 'no filter', filter: { conditions: [] } },
      { label: 'status = failure', filter: { conditions: [{ kind: 'values', column: 'status', values: ['failure'] }] } },
      { label: `country = ${topCountry}`, filter: { conditions: [{ kind: 'values', column: 'country', values: [topCountry] }] } },
      { label: 'app contains "Outlook"', filter: { conditions: [{ kind: 'text', column: 'app_display_name', op: 'contains', value: 'Outlook' }] } },
      { label: 'one user', filter: { conditions: [{ kind: 'values', column: 'user_principal_name', values: [someUser] }] } },
      {
        label: 'first half of the case',
        filter: {
          conditions: [
            {
              kind: 'time',
              column: 'time_utc',
              to: String((await db.scalar(`SELECT strftime(min(time_utc) + (max(time_utc) - min(time_utc)) / 2, '%Y-%m-%dT%H:%M:%SZ') FROM signins`)) ?? '2100-01-01T00:00:00Z'),
            },
          ],
        },
      },
    ];
    for (const f of filters) {
      const w = whereSql(f.filter);
      const base = await medianMs(RUNS, () => db.all(`SELECT country, count(*) FROM signins WHERE ${w.sql} GROUP BY country`, w.params));
      const ms = await medianMs(RUNS, () => mapSummary(db, { whereSql: w.sql, params: w.params, dataVersion: session.dataVersion, noMemo: true }));
      const s = await mapSummary(db, { whereSql: w.sql, params: w.params, dataVersion: session.dataVersion });
      ctx.report({
        name: `geo: map aggregation, ${f.label}`,
        ms: round(ms),
        baselineMs: round(base),
        ratio: round(ms / Math.max(base, 0.1)),
        target: '<= 150 ms',
        rows: s.total,
        clusters: s.clusters.length,
        countries: s.countries.length,
      });
    }

    const memoMs = await medianMs(RUNS, () => mapSummary(db, { dataVersion: session.dataVersion }));
    ctx.report({ name: 'geo: map aggregation, no filter, repeat visit (memoised until rows change)', ms: round(memoMs), baselineMs: round(baselineMs), ratio: round(memoMs / Math.max(baselineMs, 0.1)), target: '<= 150 ms' });

    const lagBaseline = await medianMs(3, () =>
      db.all(`SELECT count(*) FROM (SELECT lag(row_id) OVER (PARTITION BY user_principal_name ORDER BY time_utc, row_id) AS p FROM signins) WHERE p IS NOT NULL`),
    );
    const travelMs = await medianMs(3, () => impossibleTravel(db, { dataVersion: session.dataVersion }));
    const segs = await impossibleTravel(db, { dataVersion: session.dataVersion, limit: 1_000_000 });
    ctx.report({
      name: 'geo: impossible travel, all users',
      ms: round(travelMs),
      baselineMs: round(lagBaseline),
      ratio: round(travelMs / lagBaseline),
      target: '<= 2000 ms',
      impossibleSegments: segs.length,
      users: new Set(segs.map((s) => s.user)).size,
    });
  } finally {
    session.close();
  }
}
