import { basename, join } from 'node:path';
import type { HandlersFor } from '../dispatch';
import { UserError } from '../dispatch';
import type { custodyMethods } from '../methods/custody';
import { auditCount, readAuditDb } from '../../engine/custody/audit';
import { verifyCase } from '../../engine/custody/verifyCase';
import { relinkSources } from '../../engine/custody/relinkSources';
import { generateReport } from '../../engine/report/generateReport';
import { startReportJob } from '../../engine/jobs/reportJob';
import { exportParquet } from '../../engine/parquet/exportParquet';
import { importParquetCase } from '../../engine/parquet/importSignetCase';
import { caseSummary } from '../../engine/query/caseSummary';

function userFacing(err: unknown, code: string): never {
  throw new UserError(err instanceof Error ? err.message : String(err), code);
}

export const custodyHandlers: HandlersFor<typeof custodyMethods> = {
  async auditLog({ offset, limit }, { engine }) {
    const session = engine.requireCase();
    return { total: await auditCount(session), entries: await readAuditDb(session, offset, limit) };
  },
  async verifyCase({ expectHead }, { engine }) {
    return verifyCase(engine.requireCase(), undefined, expectHead === undefined ? {} : { expectHead });
  },
  async startVerify({ expectHead }, { engine }) {
    const session = engine.requireCase();
    return {
      jobId: engine.jobs.start('verify', (ctx) =>
        verifyCase(session, (p) =>
          ctx.progress({
            fraction: p.bytesTotal ? Math.min(1, p.bytesDone / p.bytesTotal) : null,
            message: p.current ? `Hashing ${p.current} (${Math.min(p.sourcesDone + 1, p.sources)} of ${p.sources})` : 'Checking the case tables and the audit chain',
          }),
          expectHead === undefined ? {} : { expectHead },
        ),
      ),
    };
  },
  async generateReport(options, { engine }) {
    return generateReport(engine.requireCase(), undefined, options);
  },
  async startReport(options, { engine }) {
    return { jobId: startReportJob(engine.jobs, engine.requireCase(), options) };
  },
  async exportParquet({ outDir }, { engine }) {
    const session = engine.requireCase();
    const dir = outDir ?? join(session.dir, 'exports', `parquet-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    try {
      const m = await exportParquet(session, dir);
      return { dir: m.dir, tables: m.tables.map((t) => ({ name: t.name, rows: t.rows, checksum: t.checksum, partitionedBy: t.partitionedBy, files: t.files.length })) };
    } catch (err) {
      userFacing(err, 'export_failed');
    }
  },
  async relinkSources({ dir }, { engine }) {
    try {
      return await relinkSources(engine.requireCase(), dir);
    } catch (err) {
      if (err instanceof UserError) throw err;
      userFacing(err, 'relink_failed');
    }
  },
  async openSignetExport({ path }, { engine }) {
    const session = await engine.createCase(await engine.newCaseDir(basename(path)), basename(path));
    try {
      await importParquetCase(session, path);
    } catch (err) {
      // Leave no half-made case open behind a failed hand-off.
      engine.closeCase();
      userFacing(err, 'bad_export');
    }
    return caseSummary(session);
  },
};
