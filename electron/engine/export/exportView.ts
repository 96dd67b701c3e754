import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FilterState, SortSpec } from '../query/filterModel';
import type { CaseSession } from '../case/caseSession';
import type { SqlParam } from '../db/database';
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
  /** xlsx: the zone whose wall clock the times show ('UTC' or an IANA name). */
  timeZone?: string;
  /**
   * xlsx: colour rules in priority order, each a row test (SQL over the signins alias `s`,
   * as whereSql builds it) and a fill ('#rrggbb'); a row takes the first rule it meets.
   */
  colourRules?: { where: { sql: string; params: SqlParam[] }; fill: string }[];
  /** CSV header: the grid's column titles ("Date (UTC)", "IP address") instead of the column names. */
  headerTitles?: boolean;
  /** Add the row's tags and notes as two more columns. */
  annotations?: boolean;
  /** Only these rows of the view (the grid's selection). */
  rowIds?: number[];
}

/** The index of the first colour rule a row meets, as one SQL expression (NULL for none). */
function ruleIndexSql(rules: NonNullable<ViewExportRequest['colourRules']>): { sql: string; params: SqlParam[] } {
  return {
    sql: `CASE ${rules.map((r, i) => `WHEN (${r.where.sql}) THEN ${i}`).join(' ')} END`,
    params: rules.flatMap((r) => r.where.params),
  };
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

/** The grid's current view (filter, sort, visible columns) to a new CSV, JSON or Excel file. */
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
  const rules = req.format === 'xlsx' && req.colourRules?.length ? req.colourRules : null;
  const rule = rules ? ruleIndexSql(rules) : null;
  const select = [exportSelectList(base), ...(req.annotations ? [annotationSelectList()] : []), ...(rule ? [`${rule.sql} AS "__rule"`] : [])].join(', ');
  const sql = `SELECT ${select} FROM ${SIGNINS_TABLE} s WHERE ${where.sql} ORDER BY ${orderSql(req.sort)}`;
  const params = rule ? [...rule.params, ...where.params] : where.params;
  const fills = rules ? Object.fromEntries(rules.map((r, i) => [i, r.fill])) : undefined;
  const shown = whereSql(filter);
  const query = {
    sql,
    params,
    columns,
    fills,
    headers: req.headerTitles ? columns.map(exportTitle) : undefined,
    extraTypes: { tags: 'VARCHAR', notes: 'VARCHAR' } as const,
  };
  const result = await writeExport(session, query, req.format, file, {
    filterText: describeFilter(filter),
    filter,
    filterSql: inlineParams(shown.sql, shown.params),
    sortText: describeSort(req.sort),
    sort: req.sort,
  }, undefined, { timeZone: req.timeZone });
  await appendAudit(session, {
    action: 'export',
    detail: { file: result.file, manifest: result.manifestFile, rows: result.rows, sha256: result.sha256, format: req.format, filter: describeFilter(filter) },
  });
  return result;
}
