import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from './benchContext';
import { medianMs } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import { consoleFor, disposeConsole, resultPage, runReadOnlyQuery } from '../electron/engine/sql/readOnlyQuery';
import { EXAMPLE_QUERIES } from '../electron/engine/sql/examples';

/**
 * The SQL console's costs at ctx.rows rows, against the same work done raw on the app's
 * own DuckDB connection in the same run: the snapshot the guard needs (against a plain
 * file copy of the case), a guarded query with its result materialised (against the raw
 * query), and a deep sorted page of a large result (against ORDER BY … OFFSET on the case).
 */
export default async function sqlBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  const scratch = await mkdtemp(join(ctx.workDir, 'sql-'));
  try {
    const total = Number(await session.db.scalar('SELECT count(*) FROM signins'));
    await session.db.run('CHECKPOINT');
    const fileCopy = await medianMs(3, () => copyFile(join(ctx.caseDir, 'case.duckdb'), join(scratch, 'copy.duckdb')));
    const snapshot = await medianMs(3, () => consoleFor(session).instance(true));
    ctx.report({ name: 'sql.snapshot', ms: snapshot, baselineMs: fileCopy, ratio: snapshot / fileCopy, rows: total, target: 'once per data change; < 3x a file copy' });

    const failuresByIp = EXAMPLE_QUERIES[0]!.sql;
    const raw = await medianMs(5, () => session.db.all(failuresByIp));
    const guarded = await medianMs(5, () => runReadOnlyQuery(session, failuresByIp, { skipHistory: true }));
    ctx.report({ name: 'sql.query.failures-by-ip', ms: guarded, baselineMs: raw, ratio: guarded / raw, rows: total, target: 'guard + materialise + audit < raw + 150 ms' });

    const all = 'SELECT row_id, time_utc, user_principal_name, ip_address, status, country FROM signins';
    const rawAll = await medianMs(3, () => session.db.all(`SELECT count(*) FROM (${all})`));
    const guardedAll = await medianMs(3, () => runReadOnlyQuery(session, all, { skipHistory: true }));
    ctx.report({ name: 'sql.query.materialise-all-rows', ms: guardedAll, baselineMs: rawAll, ratio: guardedAll / rawAll, rows: total });

    const big = await runReadOnlyQuery(session, all, { skipHistory: true });
    const mid = Math.floor(total / 2);
    const rawDeep = await medianMs(3, () => session.db.all(`${all} ORDER BY user_principal_name ASC NULLS LAST, row_id LIMIT 100 OFFSET ${mid}`));
    const deep = await medianMs(3, () => resultPage(session, big.resultId, mid, mid + 100, [{ column: 'user_principal_name', dir: 'asc' }]));
    ctx.report({ name: 'sql.page.deep-sorted', ms: deep, baselineMs: rawDeep, ratio: deep / rawDeep, rows: total, offset: mid, target: '< 2x raw ORDER BY OFFSET' });
  } finally {
    await disposeConsole(session);
    session.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
