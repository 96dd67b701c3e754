// Stand-ins for the Electron modules the shell uses, recording what it does with them.
// Not a test file itself (no .test.ts): shell tests import it.
import { EventEmitter } from 'node:events';
import type { IpcMainEvent, IpcMainInvokeEvent, MenuItemConstructorOptions } from 'electron';

export class FakeWebContents extends EventEmitter {
  pdfOptions: unknown = null;
  async printToPDF(options: unknown) {
    this.pdfOptions = options;
    return new TextEncoder().encode('%PDF-1.7 fake');
  }
  sent: [string, ...unknown[]][] = [];
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  mainFrame = { url: 'app://signet/index.html', parent: null };
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...args]);
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
}

export class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  webContents = new FakeWebContents();
  loaded: string | null = null;
  progress: number[] = [];
  focused = 0;
  bounds = { x: 10, y: 20, width: 1200, height: 800 };
  maximized = false;
  minimized = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.created.push(this);
  }
  async loadURL(url: string) {
    this.loaded = url;
  }
  setProgressBar(v: number) {
    this.progress.push(v);
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return this.minimized;
  }
  isMaximized() {
    return this.maximized;
  }
  isFullScreen() {
    return false;
  }
  restore() {
    this.minimized = false;
  }
  maximize() {
    this.maximized = true;
  }
  show() {}
  focus() {
    this.focused++;
  }
  getNormalBounds() {
    return this.bounds;
  }
  destroyed = false;
  destroy() {
    this.destroyed = true;
  }
}

export class FakeSession extends EventEmitter {
  permissionRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  permissionCheck: ((...a: unknown[]) => boolean) | null = null;
  deviceCheck: ((...a: unknown[]) => boolean) | null = null;
  beforeRequest: { filter: { urls: string[] }; fn: (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void } | null = null;
  spellChecker = true;
  webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, fn: (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) => {
      this.beforeRequest = { filter, fn };
    },
  };
  setPermissionRequestHandler(h: FakeSession['permissionRequest']) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']) {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: FakeSession['deviceCheck']) {
    this.deviceCheck = h;
  }
  setSpellCheckerEnabled(v: boolean) {
    this.spellChecker = v;
  }
  /** Ask the installed onBeforeRequest whether a URL would be cancelled. */
  cancels(url: string): boolean {
    let cancel = false;
    this.beforeRequest!.fn({ url }, (r) => (cancel = r.cancel));
    return cancel;
  }
}

export function invokeEvent(url: string, sender?: unknown): IpcMainInvokeEvent & IpcMainEvent {
  return { senderFrame: { url, parent: null }, sender } as unknown as IpcMainInvokeEvent & IpcMainEvent;
}

export function fakeElectron(opts: { userData: string; lock?: boolean; isPackaged?: boolean }) {
  const app = new EventEmitter() as EventEmitter & Record<string, unknown>;
  const record = {
    quit: 0,
    switches: [] as string[],
    menus: [] as MenuItemConstructorOptions[][],
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (r: Request) => Promise<Response>>(),
    invoke: new Map<string, (e: IpcMainInvokeEvent, ...a: unknown[]) => Promise<unknown>>(),
    on: new Map<string, (e: IpcMainEvent, ...a: unknown[]) => void>(),
    dialogs: [] as unknown[],
    messages: [] as { message: string; detail: string }[],
    dialogResult: { canceled: false, filePaths: [] as string[] },
    opened: [] as string[],
    shownInFolder: [] as string[],
    partitions: new Map<string, FakeSession>(),
  };
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  Object.assign(app, {
    isPackaged: opts.isPackaged ?? false,
    commandLine: { appendSwitch: (name: string, value?: string) => record.switches.push(value ? `${name}=${value}` : name) },
    setName() {},
    setAppUserModelId() {},
    getPath: () => opts.userData,
    getAppPath: () => '/app',
    requestSingleInstanceLock: () => opts.lock ?? true,
    quit: () => record.quit++,
    whenReady: () => ready,
  });
  const session = new FakeSession();
  FakeWindow.created = [];
  const modules = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (ch: string, fn: (e: IpcMainInvokeEvent, ...a: unknown[]) => Promise<unknown>) => void record.invoke.set(ch, fn),
      removeHandler: (ch: string) => void record.invoke.delete(ch),
      on: (ch: string, fn: (e: IpcMainEvent, ...a: unknown[]) => void) => void record.on.set(ch, fn),
    },
    dialog: {
      showOpenDialog: async (...args: unknown[]) => (record.dialogs.push(args), record.dialogResult),
      showMessageBox: async (...args: unknown[]) => {
        record.messages.push(args[args.length - 1] as { message: string; detail: string });
        return { response: 0 };
      },
    },
    Menu: {
      buildFromTemplate: (t: MenuItemConstructorOptions[]) => t,
      setApplicationMenu: (t: MenuItemConstructorOptions[]) => void record.menus.push(t),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void record.schemes.push(...s),
      handle: (scheme: string, fn: (r: Request) => Promise<Response>) => void record.protocolHandlers.set(scheme, fn),
    },
    session: { defaultSession: session, fromPartition: (p: string) => (record.partitions.set(p, new FakeSession()), record.partitions.get(p)!) },
    shell: { openPath: async (p: string) => (record.opened.push(p), ''), showItemInFolder: (p: string) => void record.shownInFolder.push(p) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    nativeTheme: { shouldUseDarkColors: false },
  };
  return { modules, record, session, ready: () => resolveReady(), app };
}
