import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { BenchContext } from './benchContext';
import { medianMs } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import { verifyCase } from '../electron/engine/custody/verifyCase';
import { hashFile } from '../electron/engine/custody/fileHash';
import { renderReport } from '../electron/engine/report/renderReport';
import { MAP_SQL } from '../electron/engine/report/worldMapSvg';
import { ensureRowLocations } from '../electron/engine/geo/rowLocations';
import { exportParquet } from '../electron/engine/parquet/exportParquet';
import { importParquetCase } from '../electron/engine/parquet/importSignetCase';
import { sqlPathLiteral } from '../electron/engine/parquet/tableChecksum';

/**
 * Chain of custody on the imported case, each against the plain operation underneath it
 * in the same run: verify vs hashing the same files; the report vs the DuckDB queries it
 * draws from; Parquet export vs a bare COPY; the checked re-import vs a bare read_parquet.
 */
export default async function custodyBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  try {
    const paths = [...new Set(session.manifest.sources.map((s) => s.path))];
    const bytes = session.manifest.sources.reduce((n, s) => n + s.bytes, 0);
    const hashMs = await medianMs(3, () => Promise.all(paths.map((p) => hashFile(p))));
    const verifyMs = await medianMs(3, () => verifyCase(session));
    ctx.report({ name: 'custody: verify (re-hash sources + audit chain)', ms: verifyMs, baselineMs: hashMs, ratio: verifyMs / hashMs, mbPerSecond: bytes / 1e6 / (verifyMs / 1000), target: '≤ 1.3× hashing the files' });

    // The map's per-row locations are built after import, as in the app; the baseline reads them.
    await ensureRowLocations(session.db, session.dataVersion);
    const queriesMs = await medianMs(3, async () => {
      await session.db.all(`SELECT time_bucket(INTERVAL '1 hour', time_utc), status, count(*) FROM signins GROUP BY ALL`);
      await session.db.all(MAP_SQL);
      await session.db.all(`SELECT log_type, status, count(*) FROM signins GROUP BY ALL`);
    });
    const reportMs = await medianMs(3, () => renderReport(session, new Date(0)));
    ctx.report({ name: 'custody: render HTML report', ms: reportMs, baselineMs: queriesMs, ratio: reportMs / queriesMs, target: '< 5 s for the bench case' });

    const out = join(ctx.workDir, 'custody-bench');
    mkdirSync(out, { recursive: true });
    let n = 0;
    const copyMs = await medianMs(1, () => session.db.run(`COPY signins TO ${sqlPathLiteral(join(out, `bare-${n++}.parquet`))} (FORMAT PARQUET, COMPRESSION ZSTD)`));
    let k = 0;
    const exportMs = await medianMs(1, () => exportParquet(session, join(out, `export-${k++}`)));
    ctx.report({ name: 'custody: export-parquet (all tables, by day, checksums, file hashes)', ms: exportMs, baselineMs: copyMs, ratio: exportMs / copyMs, rows: ctx.rows, target: '≤ 3× a bare COPY of signins' });

    // Baseline: a bare load of the signins folder into a fresh case database, no checks.
    let b = 0;
    const readMs = await medianMs(1, async () => {
      const bare = await CaseSession.create(join(out, `bare-load-${b++}`), 'bench');
      try {
        await bare.db.run(`CREATE TABLE bare AS SELECT * FROM read_parquet(${sqlPathLiteral(join(out, 'export-0', 'signins', '**', '*.parquet'))}, hive_partitioning = true)`);
      } finally {
        bare.close();
      }
    });
    let m = 0;
    const importMs = await medianMs(1, async () => {
      const target = await CaseSession.create(join(out, `reopen-${m++}`), 'bench');
      try {
        await importParquetCase(target, join(out, 'export-0'));
      } finally {
        target.close();
      }
    });
    ctx.report({ name: 'custody: open Parquet hand-off (file hashes + per-table checksums)', ms: importMs, baselineMs: readMs, ratio: importMs / readMs, target: '≤ 3× a bare load of signins' });
  } finally {
    session.close();
  }
}
