import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CaseSession } from '../case/caseSession';
import { checkOutputTarget, protectedCase, writeOutputFile, type ProtectedCase } from '../case/outputTarget';
import { appendAudit, auditSettled } from '../custody/audit';
import { renderReport, REPORT_ACTION, ReportCancelledError, type ReportRunControl } from './renderReport';
import type { ReportOptions } from './findingsReport';

export interface GeneratedReport {
  path: string;
  bytes: number;
  sha256: string;
  generatedAt: string;
}

export const REPORTS_DIR = 'reports';

/** Default location: the case folder's reports/ sub-folder, one file per generation. */
export function defaultReportPath(session: CaseSession, at: Date): string {
  return join(session.dir, REPORTS_DIR, `report-${at.toISOString().replace(/[:.]/g, '-')}.html`);
}

export interface ReportTargetOptions {
  /** The user asked to replace an existing file. */
  replace?: boolean;
  /** Other cases named alongside (their evidence and folders are protected too). */
  cases?: ProtectedCase[];
}

/**
 * Render the report, write it (temp file beside the target, then placed), and record its
 * hash and options in the audit log. The target is checked before anything is rendered.
 */
export async function generateReport(session: CaseSession, outFile?: string, opts: ReportTargetOptions & ReportOptions = {}, control: ReportRunControl = {}): Promise<GeneratedReport> {
  // A read-only case's own reports/ folder may not be writable either: the user picks another.
  if (!outFile) session.requireWritable('writing a report into its reports/ folder (write it to another folder)');
  await auditSettled(session);
  const at = new Date();
  const rules = { replace: opts.replace, cases: [protectedCase(session), ...(opts.cases ?? [])] };
  const requested = outFile ?? defaultReportPath(session, at);
  const target = checkOutputTarget(requested, rules);
  const options: ReportOptions = {};
  if (opts.confirmedOnly) options.confirmedOnly = true;
  if (opts.includeDismissed) options.includeDismissed = true;
  if (opts.rowsPerFinding !== undefined) options.rowsPerFinding = opts.rowsPerFinding;
  const html = await renderReport(session, at, options, control);
  // A cancel that came while the last section rendered still writes nothing.
  if (control.signal?.aborted) throw new ReportCancelledError();
  await mkdir(dirname(target), { recursive: true });
  const path = await writeOutputFile(requested, html, rules);
  const bytes = Buffer.byteLength(html, 'utf8');
  const sha256 = createHash('sha256').update(html, 'utf8').digest('hex');
  await appendAudit(session, { action: REPORT_ACTION, detail: { path, bytes, sha256, options } });
  return { path, bytes, sha256, generatedAt: at.toISOString() };
}
