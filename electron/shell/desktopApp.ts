import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { App, BrowserWindow, Dialog, IpcMain, IpcMainEvent, Menu, NativeTheme, Protocol, Screen, Session, Shell } from 'electron';
import { EngineClient, type StartEngine } from '../engineProcess/client';
import type { ResultOf } from '../api/contract';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler, isAppUrl } from './appProtocol';
import { applyOfflineSwitches, lockDownSession } from './requestPolicy';
import { hardenWebContents, secureWebPreferences } from './windowGuards';
import { EXPORT_FILE_FILTERS, IPC_CHANNELS, registerIpc } from './ipc';
import { menuTemplate, type MenuActions } from './menu';
import { fitToDisplays, loadWindowState, saveWindowState, trackWindowState, WINDOW_STATE_FILE } from './windowState';
import { classifyLaunchPaths, launchArguments, type LaunchTargets } from './launchPaths';
import { JobProgressTracker, startedJobId } from './importProgress';
import { exportReportPdf } from './reportPdf';

/** The parts of Electron the shell uses; main.ts passes the real modules, tests pass fakes. */
export interface ElectronModules {
  app: App;
  BrowserWindow: typeof BrowserWindow;
  ipcMain: IpcMain;
  dialog: Dialog;
  Menu: typeof Menu;
  protocol: Protocol;
  session: { defaultSession: Session; fromPartition(partition: string): Session };
  shell: Shell;
  screen: Screen;
  nativeTheme: NativeTheme;
}

export interface ShellOptions {
  appVersion: string;
  /** The built renderer (index.html and assets), served as app://signet/. */
  rendererDir: string;
  preloadPath: string;
  /** Documentation opened from Help > Documentation. */
  docsDir: string;
  /** Starts the engine process (an Electron utility process in the app; tests start their own). */
  startEngine: StartEngine;
  argv: readonly string[];
  cwd: string;
}

export const APP_USER_MODEL_ID = 'dev.signet.viewer';

/** Menu commands the renderer understands (App.tsx and the settings/about panels). */
export type RendererCommand = 'open-files' | 'open-case' | 'close-case' | 'open-demo' | 'about' | 'settings';

export interface DesktopShell {
  /** The engine process's client: the main process itself does no DuckDB work. */
  engine: EngineClient;
  /** Settles once the window has been created (or the app quit as a second instance). */
  ready: Promise<void>;
  window(): BrowserWindow | null;
  /** Send a command to the renderer, or queue it until the renderer is listening. */
  deliver(command: RendererCommand, arg?: string): void;
  /** Files/folders from the OS (command line, second instance, macOS open-file). */
  openPaths(paths: readonly string[], cwd: string): Promise<void>;
}

/**
 * The desktop app: one hardened window onto app://signet, the IPC surface, the menu,
 * single-instance handling, remembered window bounds and taskbar progress. Everything
 * takes Electron's modules as a parameter so it runs under test without Electron.
 */
export function startDesktopApp(e: ElectronModules, opts: ShellOptions): DesktopShell | null {
  const { app } = e;
  app.setName('Signet');
  if (!app.requestSingleInstanceLock()) {
    // Another Signet is running: it receives our arguments through 'second-instance'.
    app.quit();
    return null;
  }
  e.protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
  applyOfflineSwitches(app.commandLine);
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  const userData = app.getPath('userData');
  const engine = new EngineClient(opts.startEngine, { dataDir: userData, appVersion: opts.appVersion, mode: 'desktop' });
  let win: BrowserWindow | null = null;
  let rendererListening = false;
  const queued: [RendererCommand, string | undefined][] = [];
  const pendingPaths: { paths: string[]; cwd: string }[] = [{ paths: launchArguments(opts.argv, app.isPackaged, app.getAppPath()), cwd: opts.cwd }];
  let isReady = false;

  const deliver = (command: RendererCommand, arg?: string) => {
    if (win && !win.isDestroyed() && rendererListening) win.webContents.send(IPC_CHANNELS.menu, command, arg);
    else queued.push([command, arg]);
  };

  const showProblems = (title: string, problems: string[]) => {
    if (!problems.length) return;
    const options = { type: 'warning' as const, title: 'Signet', message: title, detail: problems.join('\n') };
    void (win ? e.dialog.showMessageBox(win, options) : e.dialog.showMessageBox(options));
  };

  const route = (t: LaunchTargets) => {
    const problems = [...t.problems];
    if (t.cases.length) {
      deliver('open-case', t.cases[0]);
      if (t.cases.length > 1) problems.push(...t.cases.slice(1).map((c) => `${c}: only one case can be open at a time`));
      if (t.files.length) problems.push(...t.files.map((f) => `${f}: not imported, because a case was opened at the same time; use File > Open`));
    } else if (t.files.length) deliver('open-files', JSON.stringify(t.files));
    showProblems('Some of the paths could not be opened', problems);
  };

  const openPaths = async (paths: readonly string[], cwd: string) => {
    if (!paths.length) return;
    route(await classifyLaunchPaths(paths, cwd));
  };

  const focus = () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const progress = new JobProgressTracker(
    (id) => engine.jobState(id),
    (value) => {
      if (win && !win.isDestroyed()) win.setProgressBar(value);
    },
  );

  const refreshMenu = async () => {
    const answer = await engine.invoke('recentCases', {}, 'ipc').catch(() => null);
    const recent = answer?.ok ? (answer.result as ResultOf<'recentCases'>) : [];
    e.Menu.setApplicationMenu(e.Menu.buildFromTemplate(menuTemplate({ platform: process.platform, isPackaged: app.isPackaged, recent, caseOpen: engine.caseDir !== null, actions })));
  };

  const actions: MenuActions = {
    openFiles: () => {
      if (!win) return;
      void e.dialog.showOpenDialog(win, { title: 'Open sign-in log exports', properties: ['openFile', 'multiSelections'], filters: EXPORT_FILE_FILTERS }).then((r) => {
        if (!r.canceled && r.filePaths.length) deliver('open-files', JSON.stringify(r.filePaths));
      });
    },
    openFolder: () => {
      if (!win) return;
      void e.dialog.showOpenDialog(win, { title: 'Open a folder of exports or a Signet case', properties: ['openDirectory'] }).then((r) => {
        if (!r.canceled && r.filePaths.length) void openPaths(r.filePaths, opts.cwd);
      });
    },
    openRecent: (dir) => deliver('open-case', dir),
    openDemo: () => deliver('open-demo'),
    closeCase: () => deliver('close-case'),
    exportPdf: () => {
      if (engine.caseDir === null) return;
      if (win && !win.isDestroyed()) win.setProgressBar(2);
      void exportReportPdf({ BrowserWindow: e.BrowserWindow, fromPartition: (p) => e.session.fromPartition(p) }, engine)
        .then(async (r) => {
          const options = { type: 'info' as const, title: 'Signet', message: 'Case report exported as PDF', detail: `${r.pdf}\nSHA-256 ${r.sha256}`, buttons: ['Show in Folder', 'OK'] };
          const answer = win ? await e.dialog.showMessageBox(win, options) : await e.dialog.showMessageBox(options);
          if (answer.response === 0) e.shell.showItemInFolder(r.pdf);
        })
        .catch((err: unknown) => showProblems('The PDF report could not be written', [err instanceof Error ? err.message : String(err)]))
        .finally(() => {
          if (win && !win.isDestroyed()) win.setProgressBar(-1);
        });
    },
    settings: () => deliver('settings'),
    about: () => deliver('about'),
    docs: () => {
      if (existsSync(opts.docsDir)) void e.shell.openPath(opts.docsDir);
      else showProblems('The documentation is not installed with this build', [opts.docsDir]);
    },
  };

  registerIpc({
    ipcMain: e.ipcMain,
    dialog: e.dialog,
    target: engine.call,
    windowOf: () => win,
    afterCall: async (method, outcome) => {
      const jobId = outcome.ok ? startedJobId(outcome.result) : null;
      if (jobId) progress.track(jobId);
      if (method === 'openCase' || method === 'closeCase' || method === 'jobStatus') await refreshMenu();
    },
  });

  // The renderer says when it listens for menu commands, so commands from the command
  // line or a second launch are never sent into a page that is still loading.
  e.ipcMain.on(IPC_CHANNELS.menuReady, (event: IpcMainEvent) => {
    if (!win || event.sender !== win.webContents || !event.senderFrame || !isAppUrl(event.senderFrame.url)) return;
    rendererListening = true;
    for (const [command, arg] of queued.splice(0)) win.webContents.send(IPC_CHANNELS.menu, command, arg);
  });

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app.on('second-instance', (_event, argv, workingDirectory) => {
    focus();
    void openPaths(launchArguments(argv, app.isPackaged, app.getAppPath()), workingDirectory);
  });

  // macOS delivers files opened from Finder (or dropped on the dock icon) as events, also before ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (isReady) {
      focus();
      void openPaths([path], opts.cwd);
    } else pendingPaths.push({ paths: [path], cwd: opts.cwd });
  });

  const createWindow = async () => {
    const statePath = join(userData, WINDOW_STATE_FILE);
    const state = fitToDisplays(await loadWindowState(statePath), e.screen.getAllDisplays().map((d) => d.workArea));
    const w = new e.BrowserWindow({
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      width: state.width,
      height: state.height,
      minWidth: 900,
      minHeight: 560,
      show: false,
      title: 'Signet',
      backgroundColor: e.nativeTheme.shouldUseDarkColors ? '#16191d' : '#ffffff',
      webPreferences: secureWebPreferences(opts.preloadPath),
    });
    win = w;
    trackWindowState(w, (s) => void saveWindowState(statePath, s).catch(() => undefined));
    w.once('ready-to-show', () => {
      if (state.maximized) w.maximize();
      w.show();
    });
    w.webContents.on('did-start-loading', () => {
      rendererListening = false;
    });
    w.on('closed', () => {
      win = null;
    });
    await w.loadURL(APP_ENTRY_URL);
  };

  const ready = app.whenReady().then(async () => {
    lockDownSession(e.session.defaultSession, { allowDevtools: !app.isPackaged });
    e.protocol.handle(APP_SCHEME, createAppProtocolHandler(opts.rendererDir));
    await refreshMenu();
    const loading = createWindow();
    isReady = true;
    for (const p of pendingPaths.splice(0)) await openPaths(p.paths, p.cwd);
    await loading;
  });

  // A restarted engine may have a different case open (or none): the menu follows.
  engine.onRestart(() => void refreshMenu());

  app.on('window-all-closed', () => app.quit());
  let engineClosed = false;
  app.on('will-quit', (event?: { preventDefault(): void }) => {
    progress.stop();
    if (engineClosed) return;
    // The engine process closes the case (after running jobs settle) before the app exits.
    event?.preventDefault();
    void engine.close().finally(() => {
      engineClosed = true;
      app.quit();
    });
  });

  return { engine, ready, window: () => win, deliver, openPaths };
}
