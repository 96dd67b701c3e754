import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import type { Engine } from '../electron/engine/engine';
import { dispatch } from '../electron/api/dispatch';
import { handlerTable } from '../electron/api/handlerTable';
import { ensureTextValues } from '../electron/engine/query/textValues';
import { ensureRowLocations } from '../electron/engine/geo/rowLocations';
import { ensureFindings } from '../electron/engine/findings/compute';
import { ALWAYS_FETCHED, PRESETS } from '../renderer/grid/columnSets';
import type { FilterState, SortSpec } from '../electron/api/schemas/filter';

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * Reopening a case as the app does: open it and ask for the grid's first page in the
 * grid's opening sort (newest first) with its count. Everything a previous session built
 * (text value lists, the map's per-row location cache, findings) must be found, not built
 * again: the session before this one builds them, then the reopen times asking for each
 * and checks that the database file was not written. Baseline: opening DuckDB on the
 * case's database file and reading the newest 100 rows with a plain ORDER BY … LIMIT.
 */
export default async function reopenBench(ctx: BenchContext): Promise<void> {
  const dbFile = join(ctx.caseDir, 'case.duckdb');
  {
    const prior = await CaseSession.open(ctx.caseDir);
    try {
      await ensureTextValues(prior.db, { dataVersion: prior.dataVersion });
      await ensureRowLocations(prior.db, prior.dataVersion);
      await ensureFindings(prior);
    } finally {
      prior.close();
    }
  }
  // The raw baseline: DuckDB itself opening the file and sorting for the newest page.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const b0 = performance.now();
  const inst = await DuckDBInstance.create(dbFile, { access_mode: 'READ_ONLY' });
  const bcon = await inst.connect();
  await bcon.runAndReadAll('SELECT * EXCLUDE (raw) FROM signins ORDER BY time_utc DESC LIMIT 100');
  await bcon.runAndReadAll('SELECT count(*) FROM signins');
  const baselineMs = performance.now() - b0;
  bcon.closeSync();
  inst.closeSync();

  const before = statSync(dbFile);
  const t0 = performance.now();
  const session = await CaseSession.open(ctx.caseDir);
  const openMs = performance.now() - t0;
  const engine = { requireCase: () => session, current: session } as unknown as Engine;
  const call = async (method: string, args: unknown) => {
    const r = await dispatch(handlerTable, method, args, { engine, transport: 'bridge' });
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.result as { rows: unknown[]; total: number };
  };
  try {
    const none: FilterState = { conditions: [] };
    const sort: SortSpec = [{ column: 'time_utc', dir: 'desc' }];
    const columns = [...new Set([...ALWAYS_FETCHED, ...PRESETS.find((p) => p.id === 'portal')!.columns([])])];
    const t1 = performance.now();
    const page = await call('getRows', { filter: none, sort, start: 0, end: 100, columns });
    const firstPageMs = performance.now() - t1;
    const t2 = performance.now();
    await ensureTextValues(session.db, { dataVersion: session.dataVersion });
    const textValuesMs = performance.now() - t2;
    const t3 = performance.now();
    await ensureRowLocations(session.db, session.dataVersion);
    const rowLocationsMs = performance.now() - t3;
    const t4 = performance.now();
    await ensureFindings(session);
    const findingsMs = performance.now() - t4;
    const t5 = performance.now();
    await call('getRows', { filter: none, sort, start: Math.max(0, page.total - 100), end: page.total, columns });
    const lastPageMs = performance.now() - t5;
    ctx.report({
      name: 'reopen: ready to page',
      ms: round(openMs + firstPageMs),
      baselineMs: round(baselineMs),
      ratio: round((openMs + firstPageMs) / baselineMs),
      openMs: round(openMs),
      firstPageMs: round(firstPageMs),
      lastPageMs: round(lastPageMs),
      rows: page.total,
    });
    ctx.report({
      name: 'reopen: what a previous session built is found, not rebuilt',
      textValueListsMs: round(textValuesMs),
      rowLocationCacheMs: round(rowLocationsMs),
      findingsMs: round(findingsMs),
    });
  } finally {
    session.close();
  }
  const after = statSync(dbFile);
  ctx.report({ name: 'reopen: database file unchanged by the reopen', unchanged: after.mtimeMs === before.mtimeMs && after.size === before.size, bytesBefore: before.size, bytesAfter: after.size });
}
