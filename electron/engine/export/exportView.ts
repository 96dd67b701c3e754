import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FilterState, SortSpec } from '../query/filterModel';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import { checkOutputTarget, protectedCase } from '../case/outputTarget';
import { inlineParams, orderSql, whereSql } from '../query/filterSql';
import { resolvedWhereSql } from '../query/textValues';
import { CANONICAL_COLUMNS, SIGNINS_TABLE } from '../schema/canonical';
import { describeFilter, describeSort } from './describeFilter';
import { exportSelectList, writeExport, type ExportFormat, type ExportResult } from './exportRows';

export interface ViewExportRequest {
  filter: FilterState;
  sort: SortSpec;
  columns: string[];
  format: ExportFormat;
  /** Folder to write into; a fresh file name is chosen there. */
  folder?: string;
}

export function defaultExportFolder(session: CaseSession): string {
  return join(session.dir, 'exports');
}

/** The grid's current view (filter, sort, visible columns) to a new CSV or JSON file. */
export async function exportView(session: CaseSession, req: ViewExportRequest): Promise<ExportResult> {
  const folder = resolve(req.folder?.trim() || defaultExportFolder(session));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(folder, `signins-${stamp}.${req.format}`);
  // Checked before the folder is made, so a refused folder is not created either.
  checkOutputTarget(file, { cases: [protectedCase(session)] });
  await mkdir(folder, { recursive: true });
  const columns = req.columns.length ? req.columns : CANONICAL_COLUMNS.filter((c) => c.name !== 'raw').map((c) => c.name);
  const where = await resolvedWhereSql(session.db, req.filter, { dataVersion: session.dataVersion });
  const sql = `SELECT ${exportSelectList(columns)} FROM ${SIGNINS_TABLE} s WHERE ${where.sql} ORDER BY ${orderSql(req.sort)}`;
  const shown = whereSql(req.filter);
  const result = await writeExport(session, { sql, params: where.params, columns }, req.format, file, {
    filterText: describeFilter(req.filter),
    filter: req.filter,
    filterSql: inlineParams(shown.sql, shown.params),
    sortText: describeSort(req.sort),
    sort: req.sort,
  });
  await appendAudit(session, {
    action: 'export',
    detail: { file: result.file, manifest: result.manifestFile, rows: result.rows, sha256: result.sha256, format: req.format, filter: describeFilter(req.filter) },
  });
  return result;
}
