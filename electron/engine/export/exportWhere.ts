import { dirname, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { StatementType } from '../db/duckdb';
import { UserError } from '../errors';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import { orderSql } from '../query/filterSql';
import { CANONICAL_COLUMNS, SIGNINS_TABLE } from '../schema/canonical';
import { GuardedInstance } from '../sql/guardedInstance';
import { describeSort } from './describeFilter';
import { checkOutputTarget, protectedCase } from '../case/outputTarget';
import { exportSelectList, writeExport, type ExportFormat, type ExportResult } from './exportRows';

export interface WhereExportRequest {
  /** A SQL boolean expression over the signins columns, as typed in the console. */
  predicate: string;
  outFile: string;
  format: ExportFormat;
  columns?: string[];
  /** The user asked to replace an existing file (--force). */
  replace?: boolean;
  /** xlsx: the zone whose wall clock the date-times show. */
  timeZone?: string;
}

/**
 * Export the rows a user-written predicate selects. The predicate runs only on the SQL
 * console's guarded instance (a read-only snapshot with file access off and settings
 * locked), and the wrapped text must parse as exactly one SELECT statement, so a
 * predicate cannot end the query and start another one.
 */
export async function exportWhere(session: CaseSession, req: WhereExportRequest): Promise<ExportResult> {
  const predicate = req.predicate.trim();
  if (!predicate) throw new UserError('--where needs a predicate, e.g. "status = \'failure\'"', 'bad_predicate');
  const columns = req.columns?.length ? req.columns : CANONICAL_COLUMNS.filter((c) => c.name !== 'raw').map((c) => c.name);
  const sort = [{ column: 'time_utc', dir: 'asc' as const }];
  // The newline before the closing parenthesis keeps a trailing -- comment from swallowing it.
  const sql = `SELECT ${exportSelectList(columns)} FROM ${SIGNINS_TABLE} s WHERE (${predicate}\n) ORDER BY ${orderSql(sort)}`;
  const target = { replace: req.replace, cases: [protectedCase(session)], timeZone: req.timeZone };
  checkOutputTarget(req.outFile, target);
  const guarded = await GuardedInstance.create(session, `export-${Date.now()}`);
  try {
    const con = await guarded.connect();
    try {
      const extracted = await con.extractStatements(sql).catch((err: unknown) => {
        throw new UserError(`The predicate is not valid SQL: ${err instanceof Error ? err.message : String(err)}`, 'bad_predicate');
      });
      if (extracted.count !== 1) throw new UserError('Refused: the predicate must not end the query or add statements.', 'refused');
      const prepared = await extracted.prepare(0).catch((err: unknown) => {
        throw new UserError(`The predicate is not valid: ${err instanceof Error ? err.message : String(err)}`, 'bad_predicate');
      });
      if (prepared.statementType !== StatementType.SELECT) throw new UserError('Refused: only a SELECT can run.', 'refused');
      const out = resolve(req.outFile);
      await mkdir(dirname(out), { recursive: true });
      const result = await writeExport(session, { sql, params: [], columns }, req.format, out, {
        filterText: `rows where ${predicate}`,
        filterSql: predicate,
        sortText: describeSort(sort),
        predicate,
        guard: 'read-only snapshot; external access disabled; configuration locked; single SELECT',
      }, con, target);
      await appendAudit(session, {
        action: 'export',
        detail: { file: result.file, manifest: result.manifestFile, rows: result.rows, sha256: result.sha256, format: req.format, predicate, via: 'cli' },
      });
      return result;
    } finally {
      con.closeSync();
    }
  } finally {
    await guarded.close();
  }
}
