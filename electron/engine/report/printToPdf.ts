import { writeOutputFile, type OutputTargetOptions } from '../case/outputTarget';
import { pathToFileURL } from 'node:url';

/**
 * The slice of Electron's BrowserWindow this needs, so the engine never imports Electron
 * (the shell passes a real window; nothing here runs outside the desktop app).
 */
export interface PdfWindow {
  loadURL(url: string): Promise<void>;
  webContents: {
    printToPDF(options: { printBackground?: boolean; pageSize?: string; landscape?: boolean; margins?: { marginType?: 'default' | 'none' | 'printableArea' } }): Promise<Uint8Array>;
  };
  destroy(): void;
}

/**
 * Print a generated HTML report to PDF in the desktop app. The shell calls it with a hidden
 * window that has JavaScript disabled (the report needs none), for example:
 *
 *   const win = new BrowserWindow({ show: false, webPreferences: { javascript: false, sandbox: true } });
 *   await reportToPdf(win, reportHtmlPath, reportHtmlPath.replace(/\.html$/, '.pdf'));
 *
 * The report's own print stylesheet (A4, no table of contents, no split figures) applies.
 */
export async function reportToPdf(win: PdfWindow, htmlFile: string, pdfFile: string, target: OutputTargetOptions = {}): Promise<string> {
  try {
    await win.loadURL(pathToFileURL(htmlFile).href);
    const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4', margins: { marginType: 'default' } });
    // Under the same rules as every output: never evidence or the case, never an existing file unasked.
    return await writeOutputFile(pdfFile, pdf, target);
  } finally {
    win.destroy();
  }
}
