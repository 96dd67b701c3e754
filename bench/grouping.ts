import type { BenchContext } from './benchContext';
import { medianMs } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import type { Engine } from '../electron/engine/engine';
import { dispatch } from '../electron/api/dispatch';
import { handlerTable } from '../electron/api/handlerTable';
import type { FilterState } from '../electron/api/schemas/filter';

/**
 * Group-by in the grid (target: group by user <= 1 s at 1M rows), through the same handler
 * the bridge calls, against DuckDB's own GROUP BY of the same measures in the same run.
 */
export default async function groupingBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  const engine = { requireCase: () => session, current: session } as unknown as Engine;
  const call = async (args: unknown) => {
    const r = await dispatch(handlerTable, 'groupRows', args, { engine, transport: 'bridge' });
    if (!r.ok) throw new Error(`groupRows: ${r.error.message}`);
    return r.result as { totalGroups: number; totalRows: number };
  };
  try {
    const none: FilterState = { conditions: [] };
    const raw = await medianMs(3, () =>
      session.db.all(
        `SELECT user_principal_name, count(*) AS n, count(*) FILTER (WHERE status = 'failure') AS f, min(time_utc), max(time_utc)
         FROM signins GROUP BY 1 ORDER BY n DESC LIMIT 200`,
      ),
    );
    ctx.report({ name: 'grid.group-by.baseline.raw-group-by-user', ms: raw });

    let groups = 0;
    const byUser = await medianMs(3, async () => {
      groups = (await call({ filter: none, by: ['user_principal_name'], sort: { key: 'rows', dir: 'desc' }, limit: 200 })).totalGroups;
    });
    ctx.report({ name: 'grid.group-by-user', ms: byUser, baselineMs: raw, ratio: byUser / raw, target: '<= 1000 ms', groups });

    const byFailures = await medianMs(3, () => call({ filter: none, by: ['user_principal_name', 'ip_address'], sort: { key: 'failures', dir: 'desc' }, limit: 200 }));
    ctx.report({ name: 'grid.group-by-user-then-ip, sorted by failures', ms: byFailures, baselineMs: raw, ratio: byFailures / raw });

    // Under a search (decided on the value lists, as the grid does once they are built).
    const search: FilterState = { conditions: [{ kind: 'values', column: 'status', values: ['failure'] }], search: 'windows' };
    const filtered = await medianMs(3, () => call({ filter: search, by: ['user_principal_name'], sort: { key: 'rows', dir: 'desc' }, limit: 200 }));
    ctx.report({ name: 'grid.group-by-user under a filter and search', ms: filtered, baselineMs: raw, ratio: filtered / raw });
  } finally {
    session.close();
  }
}
