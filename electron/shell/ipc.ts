import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent, OpenDialogOptions } from 'electron';
import { targetOf, type CallRoute } from '../api/dispatch';
import type { CallOutcome } from '../api/contract';
import { isAppUrl } from './appProtocol';
import { IPC_CHANNELS } from './channels';

export { IPC_CHANNELS };

export const EXPORT_FILE_FILTERS: OpenDialogOptions['filters'] = [
  { name: 'Sign-in log exports', extensions: ['csv', 'json', 'ndjson', 'jsonl', 'gz', 'zip'] },
  { name: 'All files', extensions: ['*'] },
];

/** Only the app's own top-level page may call in; a frame from anywhere else gets nothing. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

export const FORBIDDEN_SENDER: CallOutcome = {
  ok: false,
  error: { code: 'forbidden_sender', message: 'Calls are accepted only from the Signet window.' },
};

/** Calls go to `target` (the app: the engine process's client) or a handler table run here (tests). */
export type IpcOptions = CallRoute & {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dialog: Pick<Dialog, 'showOpenDialog'>;
  /** The window a dialog belongs to (modal to it). */
  windowOf(event: IpcMainInvokeEvent): BrowserWindow | null;
  /** Told about every completed call (menu refresh, taskbar progress, settings). */
  afterCall?(method: string, outcome: CallOutcome): void | Promise<void>;
};

function openDialog(opts: IpcOptions, event: IpcMainInvokeEvent, options: OpenDialogOptions) {
  const win = opts.windowOf(event);
  return win ? opts.dialog.showOpenDialog(win, options) : opts.dialog.showOpenDialog(options);
}

/** Register the IPC handlers; returns a function that removes them. */
export function registerIpc(opts: IpcOptions): () => void {
  const target = targetOf(opts);
  opts.ipcMain.handle(IPC_CHANNELS.call, async (event, method: unknown, args: unknown) => {
    if (!isTrustedSender(event)) return FORBIDDEN_SENDER;
    const name = typeof method === 'string' ? method : '';
    const outcome = await target(name, args, 'ipc');
    // Awaited so the menu (recent cases, Close Case) is current when the UI acts on the answer.
    if (opts.afterCall) await Promise.resolve(opts.afterCall(name, outcome)).catch(() => undefined);
    return outcome;
  });
  opts.ipcMain.handle(IPC_CHANNELS.pickFiles, async (event) => {
    if (!isTrustedSender(event)) return [];
    const r = await openDialog(opts, event, { title: 'Open sign-in log exports', properties: ['openFile', 'multiSelections'], filters: EXPORT_FILE_FILTERS });
    return r.canceled ? [] : r.filePaths;
  });
  opts.ipcMain.handle(IPC_CHANNELS.pickFolder, async (event) => {
    if (!isTrustedSender(event)) return null;
    const r = await openDialog(opts, event, { title: 'Choose a folder', properties: ['openDirectory', 'createDirectory'] });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  return () => {
    for (const channel of [IPC_CHANNELS.call, IPC_CHANNELS.pickFiles, IPC_CHANNELS.pickFolder]) opts.ipcMain.removeHandler(channel);
  };
}
