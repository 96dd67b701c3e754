import type { MenuItemConstructorOptions } from 'electron';

export interface RecentEntry {
  dir: string;
  name: string;
}

/** What the menu items do; the shell implements them (dialogs, messages to the window). */
export interface MenuActions {
  openFiles(): void;
  openFolder(): void;
  openRecent(dir: string): void;
  openDemo(): void;
  closeCase(): void;
  exportPdf(): void;
  settings(): void;
  about(): void;
  docs(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Packaged builds have no developer tools. */
  isPackaged: boolean;
  recent: RecentEntry[];
  /** Whether a case is open (enables Close Case). */
  caseOpen: boolean;
  actions: MenuActions;
}

function recentSubmenu(recent: RecentEntry[], actions: MenuActions): MenuItemConstructorOptions[] {
  if (!recent.length) return [{ label: 'No recent cases', enabled: false }];
  return recent.slice(0, 10).map((r) => ({ label: `${r.name}  —  ${r.dir}`, click: () => actions.openRecent(r.dir) }));
}

/** The application menu as plain data, so it is tested without Electron. */
export function menuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const { actions } = opts;
  const mac = opts.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFiles() },
      { label: 'Open Folder or Case…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openFolder() },
      { label: 'Open Recent', submenu: recentSubmenu(opts.recent, actions) },
      { label: 'Open Demo Case', click: () => actions.openDemo() },
      { type: 'separator' },
      { label: 'Export Case Report as PDF…', enabled: opts.caseOpen, click: () => actions.exportPdf() },
      { type: 'separator' },
      { label: 'Close Case', accelerator: 'CmdOrCtrl+W', enabled: opts.caseOpen, click: () => actions.closeCase() },
      ...(mac ? [] : ([{ type: 'separator' }, { label: 'Settings…', accelerator: 'Ctrl+,', click: () => actions.settings() }, { type: 'separator' }, { role: 'quit', label: 'Quit' }] as MenuItemConstructorOptions[])),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { type: 'separator' }, { role: 'selectAll' }],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(opts.isPackaged ? [] : ([{ type: 'separator' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [{ label: 'Documentation', click: () => actions.docs() }, ...(mac ? [] : ([{ type: 'separator' }, { label: 'About Signet', click: () => actions.about() }] as MenuItemConstructorOptions[]))],
  };
  if (!mac) return [file, edit, view, help];
  const appMenu: MenuItemConstructorOptions = {
    label: 'Signet',
    submenu: [
      { label: 'About Signet', click: () => actions.about() },
      { type: 'separator' },
      { label: 'Settings…', accelerator: 'Cmd+,', click: () => actions.settings() },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  return [appMenu, file, edit, view, { role: 'windowMenu' }, help];
}
