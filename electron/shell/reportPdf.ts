import { pathToFileURL } from 'node:url';
import type { BrowserWindow, Session } from 'electron';
import type { ResultOf } from '../api/contract';
import type { EngineClient } from '../engineProcess/client';

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
 * File > Export Case Report as PDF: the engine process writes the HTML case report (audited
 * by the report module); it is printed here, in a hidden window with JavaScript off, and
 * the engine process saves the PDF under the output rules and audits its hash.
 */
export async function exportReportPdf(deps: PdfDeps, engine: Pick<EngineClient, 'invoke' | 'op'>): Promise<ReportPdf> {
  const generated = await engine.invoke('generateReport', {}, 'ipc');
  if (!generated.ok) throw new Error(generated.error.message);
  const report = generated.result as ResultOf<'generateReport'>;
  const reportUrl = pathToFileURL(report.path).href;
  const ses = deps.fromPartition(PDF_PARTITION);
  lockDownPdfSession(ses, reportUrl);
  const win = new deps.BrowserWindow({
    show: false,
    webPreferences: { session: ses, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  let printed: Uint8Array;
  try {
    await win.loadURL(reportUrl);
    // The report's own print stylesheet (A4, no table of contents, no split figures) applies.
    printed = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4', margins: { marginType: 'default' } });
  } finally {
    win.destroy();
  }
  const saved = await engine.op('saveReportPdf', { html: report.path, reportSha256: report.sha256, pdf: printed });
  return { html: report.path, pdf: saved.pdf, sha256: saved.sha256 };
}
