import type { BenchContext } from './benchContext';
import { medianMs } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import type { Engine } from '../electron/engine/engine';
import { dispatch } from '../electron/api/dispatch';
import { handlerTable } from '../electron/api/handlerTable';
import { ensureTextValues } from '../electron/engine/query/textValues';
import { SEARCH_COLUMNS, whereSql } from '../electron/engine/query/filterSql';
import { ALWAYS_FETCHED, PRESETS } from '../renderer/grid/columnSets';
import type { FilterState, SortSpec } from '../electron/api/schemas/filter';

/**
 * The grid's speed targets at ctx.rows rows, each against the raw DuckDB query doing the
 * same work naively in the same run. Every "fresh" figure bumps the case's data version
 * first, so no cached view is reused.
 */
export default async function gridBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  const engine = { requireCase: () => session, current: session } as unknown as Engine;
  const call = async (method: string, args: unknown) => {
    const r = await dispatch(handlerTable, method, args, { engine, transport: 'bridge' });
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.result;
  };
  try {
    // The text value lists, built in the background when the grid opens a case (and caught
    // up after imports): search and text filters are decided on them.
    const t0 = performance.now();
    await ensureTextValues(session.db, { dataVersion: session.dataVersion });
    ctx.report({ name: 'grid.text-value-lists-build (once per case, in the background)', ms: performance.now() - t0 });

    const total = Number(await session.db.scalar('SELECT count(*) FROM signins'));
    const mid = Math.floor(total / 2);
    const none: FilterState = { conditions: [] };
    const sortUser: SortSpec = [{ column: 'user_principal_name', dir: 'asc' }];

    // Baseline: the naive deep page, ORDER BY … LIMIT 100 OFFSET half-way.
    const rawDeep = await medianMs(1, () =>
      session.db.all(`SELECT * EXCLUDE (raw) FROM signins ORDER BY user_principal_name ASC NULLS LAST, row_id LIMIT 100 OFFSET ${mid}`),
    );
    ctx.report({ name: 'grid.baseline.raw-order-by-offset', ms: rawDeep, rows: total, offset: mid });

    // Applying a sort: the first page of a new sort, view materialisation included.
    const applySort = await medianMs(3, async () => {
      session.changed();
      await call('getRows', { filter: none, sort: sortUser, start: 0, end: 100 });
    });
    ctx.report({ name: 'grid.apply-sort', ms: applySort, baselineMs: rawDeep, ratio: applySort / rawDeep, target: '<= 1500 ms' });

    // Any page at any offset once the sort is applied, as the grid asks for it with its
    // default layout (the portal preset's columns plus the ones every page carries), and
    // with every column (the "All columns" preset).
    const portal = PRESETS.find((p) => p.id === 'portal')!.columns([]);
    const gridColumns = [...new Set([...ALWAYS_FETCHED, ...portal])];
    const offsets = [0, Math.floor(total * 0.25), mid, Math.floor(total * 0.75), Math.max(0, total - 100)];
    // The floor under any page: DuckDB reading 100 rows by position, no sort, no view.
    const floorMs = await medianMs(5, () => session.db.all(`SELECT * EXCLUDE (raw) FROM signins WHERE rowid >= ${mid} AND rowid < ${mid + 100}`));
    for (const [label, columns] of [
      ['grid.page-after-sort', gridColumns],
      ['grid.page-after-sort, all columns', undefined],
    ] as const) {
      const pageTimes: number[] = [];
      for (const start of offsets) pageTimes.push(await medianMs(5, () => call('getRows', { filter: none, sort: sortUser, start, end: start + 100, columns })));
      const pageMedian = [...pageTimes].sort((a, b) => a - b)[Math.floor(pageTimes.length / 2)]!;
      const pageWorst = Math.max(...pageTimes);
      ctx.report({
        name: label,
        ms: pageWorst,
        medianMs: pageMedian,
        floorMs,
        baselineMs: rawDeep,
        ratio: pageWorst / rawDeep,
        columns: columns?.length ?? 'all',
        perOffset: Object.fromEntries(offsets.map((o, i) => [o, Math.round(pageTimes[i]! * 10) / 10])),
      });
    }

    // A filter with its new count (first page + total).
    const filter: FilterState = {
      conditions: [
        { kind: 'values', column: 'status', values: ['failure', 'interrupted'] },
        { kind: 'text', column: 'user_agent', op: 'contains', value: 'windows' },
      ],
    };
    const rawFilter = await medianMs(3, () =>
      session.db.all(`SELECT count(*) FROM signins WHERE status IN ('failure','interrupted') AND user_agent ILIKE '%windows%'`),
    );
    const applyFilter = await medianMs(3, async () => {
      session.changed();
      await call('getRows', { filter, sort: [{ column: 'time_utc', dir: 'desc' }], start: 0, end: 100 });
    });
    ctx.report({ name: 'grid.apply-filter-with-count', ms: applyFilter, baselineMs: rawFilter, ratio: applyFilter / rawFilter, target: '<= 250 ms' });

    // The values list with counts for a busy column.
    const rawValues = await medianMs(3, () => session.db.all(`SELECT ip_address, count(*) n FROM signins GROUP BY 1 ORDER BY n DESC LIMIT 500`));
    const values = await medianMs(3, () => call('distinctValues', { column: 'ip_address', filter: none, limit: 500 }));
    ctx.report({ name: 'grid.values-list', ms: values, baselineMs: rawValues, ratio: values / rawValues, target: '<= 300 ms' });
    const fw = whereSql(filter);
    const rawValuesFiltered = await medianMs(3, () => session.db.all(`SELECT user_agent, count(*) n FROM signins WHERE ${fw.sql} GROUP BY 1 ORDER BY n DESC LIMIT 500`, fw.params));
    const valuesFiltered = await medianMs(3, () => call('distinctValues', { column: 'user_agent', filter, limit: 500 }));
    ctx.report({ name: 'grid.values-list-filtered', ms: valuesFiltered, baselineMs: rawValuesFiltered, ratio: valuesFiltered / rawValuesFiltered, target: '<= 300 ms' });

    // Global search, as the grid runs it.
    const ors = SEARCH_COLUMNS.map((c) => `CAST("${c.name}" AS VARCHAR) ILIKE ?`).join(' OR ');
    const rawSearch = await medianMs(3, () => session.db.all(`SELECT count(*) FROM signins WHERE ${ors}`, SEARCH_COLUMNS.map(() => '%mozilla/5.0 (macintosh%')));
    const terms = ['macintosh', '"invalid username"', 'ip:10.', 'nomatch-zz'];
    const searchTimes: number[] = [];
    for (const search of terms) {
      searchTimes.push(
        await medianMs(3, async () => {
          session.changed();
          await call('getRows', { filter: { conditions: [], search }, sort: [{ column: 'time_utc', dir: 'desc' }], start: 0, end: 100 });
        }),
      );
    }
    const worst = Math.max(...searchTimes);
    ctx.report({
      name: 'grid.global-search',
      ms: worst,
      baselineMs: rawSearch,
      ratio: worst / rawSearch,
      target: '<= 500 ms (worst of the terms)',
      perTerm: Object.fromEntries(terms.map((t, i) => [t, Math.round(searchTimes[i]!)])),
    });
  } finally {
    session.close();
  }
}
