import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { protectedCase, writeOutputFile } from '../case/outputTarget';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';

/**
 * The engine's half of File > Export Case Report as PDF. The desktop app's main process
 * prints the HTML report (a hidden window with JavaScript off; the engine never imports
 * Electron and runs in a process without windows); the engine, which owns the case, writes
 * the printed bytes beside the HTML report under the same rules as every output (never
 * evidence or the case, never an existing file) and audits the PDF's hash.
 */
export async function savePrintedReport(session: CaseSession, htmlFile: string, reportSha256: string, pdf: Uint8Array): Promise<{ pdf: string; sha256: string }> {
  const file = await writeOutputFile(htmlFile.replace(/\.html$/, '') + '.pdf', pdf, { cases: [protectedCase(session)] });
  const sha256 = createHash('sha256').update(await readFile(file)).digest('hex');
  await appendAudit(session, { action: 'report.pdf', detail: { path: file, sha256, fromReport: htmlFile, reportSha256 } });
  return { pdf: file, sha256 };
}
