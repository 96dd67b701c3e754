import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CaseSession } from '../case/caseSession';
import { appendAudit, auditSettled } from '../custody/audit';
import { renderReport, REPORT_ACTION } from './renderReport';
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

/** Render the report, write it (temp file + rename), and record its hash in the audit log. */
export async function generateReport(session: CaseSession, outFile?: string, options: ReportOptions = {}): Promise<GeneratedReport> {
  await auditSettled(session);
  const at = new Date();
  const path = resolve(outFile ?? defaultReportPath(session, at));
  const html = await renderReport(session, at, options);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, html, 'utf8');
  await rename(tmp, path);
  const bytes = Buffer.byteLength(html, 'utf8');
  const sha256 = createHash('sha256').update(html, 'utf8').digest('hex');
  await appendAudit(session, { action: REPORT_ACTION, detail: { path, bytes, sha256, options } });
  return { path, bytes, sha256, generatedAt: at.toISOString() };
}
