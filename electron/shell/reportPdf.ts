import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow, PrintToPDFOptions, Session } from 'electron';
import type { CaseSession } from '../engine/case/caseSession';
import { generateReport } from '../engine/report/generateReport';
import { reportToPdf } from '../engine/report/printToPdf';
import { appendAudit } from '../engine/custody/audit';
import { protectedCase } from '../engine/case/outputTarget';

export const PDF_PARTITION = 'signet-report-pdf';

/**
 * The PDF printer gets a session of its own (in memory, never the app's): it may load
 * exactly one local file, the report, and nothing else; every permission is denied.
 */
export function lockDownPdfSession(ses: Session, reportUrl: string): void {
  ses.setPermissionRequestHandler((_c, _p, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) =>
    callback({ cancel: !(details.url === reportUrl || details.url.startsWith('data:')) }),
  );
}

export interface PdfDeps {
  BrowserWindow: typeof BrowserWindow;
  fromPartition(partition: string): Session;
}

export interface ReportPdf {
  html: string;
  pdf: string;
  sha256: string;
}

/**
 * File > Export Case Report as PDF: write the HTML case report (audited by the report
 * module), print it in a hidden window with JavaScript off, and audit the PDF's hash.
 */
export async function exportReportPdf(deps: PdfDeps, session: CaseSession): Promise<ReportPdf> {
  const report = await generateReport(session);
  const pdf = report.path.replace(/\.html$/, '') + '.pdf';
  const ses = deps.fromPartition(PDF_PARTITION);
  lockDownPdfSession(ses, pathToFileURL(report.path).href);
  const win = new deps.BrowserWindow({
    show: false,
    webPreferences: { session: ses, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  await reportToPdf(
    {
      loadURL: (url) => win.loadURL(url),
      webContents: { printToPDF: (options) => win.webContents.printToPDF(options as PrintToPDFOptions) },
      destroy: () => win.destroy(),
    },
    report.path,
    pdf,
    { cases: [protectedCase(session)] },
  );
  const sha256 = createHash('sha256').update(await readFile(pdf)).digest('hex');
  await appendAudit(session, { action: 'report.pdf', detail: { path: pdf, sha256, fromReport: report.path, reportSha256: report.sha256 } });
  return { html: report.path, pdf, sha256 };
}
