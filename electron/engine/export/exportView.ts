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
import { ANNOTATION_COLUMNS, annotationSelectList, exportSelectList, writeExport, type ExportFormat, type ExportResult } from './exportRows';

export interface ViewExportRequest {
  filter: FilterState;
  sort: SortSpec;
  columns: string[];
  format: ExportFormat;
  /** Folder to write into; a fresh file name is chosen there. */
  folder?: string;
  /** CSV header: the grid's column titles ("Date (UTC)", "IP address") instead of the column names. */
  headerTitles?: boolean;
  /** Add the row's tags and notes as two more columns. */
  annotations?: boolean;
  /** Only these rows of the view (the grid's selection). */
  rowIds?: number[];
}

/** The grid's title of a column in exports: times are always written in UTC. */
function exportTitle(name: string): string {
  if (name === 'time_utc') return 'Date (UTC)';
  if (name === 'tags') return 'Tags';
  if (name === 'notes') return 'Notes';
  return CANONICAL_COLUMNS.find((c) => c.name === name)?.label ?? name;
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
  const base = req.columns.length ? req.columns : CANONICAL_COLUMNS.filter((c) => c.name !== 'raw').map((c) => c.name);
  const columns = req.annotations ? [...base, ...ANNOTATION_COLUMNS] : base;
  // The selection is the view narrowed to the picked rows, so the manifest's filter says exactly what was written.
  const filter: FilterState = req.rowIds ? { ...req.filter, conditions: [...req.filter.conditions, { kind: 'rows', rowIds: req.rowIds, label: `${req.rowIds.length} selected row(s)` }] } : req.filter;
  const where = await resolvedWhereSql(session.db, filter, { dataVersion: session.dataVersion });
  const select = [exportSelectList(base), ...(req.annotations ? [annotationSelectList()] : [])].join(', ');
  const sql = `SELECT ${select} FROM ${SIGNINS_TABLE} s WHERE ${where.sql} ORDER BY ${orderSql(req.sort)}`;
  const shown = whereSql(filter);
  const query = {
    sql,
    params: where.params,
    columns,
    headers: req.headerTitles ? columns.map(exportTitle) : undefined,
    extraTypes: { tags: 'VARCHAR', notes: 'VARCHAR' },
  };
  const result = await writeExport(session, query, req.format, file, {
    filterText: describeFilter(filter),
    filter,
    filterSql: inlineParams(shown.sql, shown.params),
    sortText: describeSort(req.sort),
    sort: req.sort,
  });
  await appendAudit(session, {
    action: 'export',
    detail: { file: result.file, manifest: result.manifestFile, rows: result.rows, sha256: result.sha256, format: req.format, filter: describeFilter(filter) },
  });
  return result;
}
