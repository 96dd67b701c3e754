import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { join } from 'node:path';
import { Engine } from './engine/engine';
import { handlerTable } from './api/handlerTable';
import { dispatch } from './api/dispatch';
import { APP_VERSION } from './appVersion';

// Thin shell: a window, IPC into the shared handler table, dialogs. Everything else
// lives in the engine, which runs (and is tested) in plain Node.
app.setName('Signet');
const engine = new Engine({ dataDir: app.getPath('userData'), appVersion: APP_VERSION, mode: 'desktop' });

ipcMain.handle('signet:call', (_e, method: unknown, args: unknown) =>
  dispatch(handlerTable, String(method), args, { engine, transport: 'ipc' }),
);
ipcMain.handle('signet:pick-files', async () => {
  const r = await dialog.showOpenDialog({ properties: ['openFile', 'multiSelections'] });
  return r.canceled ? [] : r.filePaths;
});
ipcMain.handle('signet:pick-folder', async () => {
  const r = await dialog.showOpenDialog({ properties: ['openDirectory', 'createDirectory'] });
  return r.canceled ? null : (r.filePaths[0] ?? null);
});

void app.whenReady().then(() => {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    webPreferences: { preload: join(__dirname, '../preload/index.js'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  void win.loadFile(join(__dirname, '../renderer/index.html'));
  const files = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-'));
  if (files.length) engine.startImport(files);
});
app.on('window-all-closed', () => {
  engine.close();
  app.quit();
});
