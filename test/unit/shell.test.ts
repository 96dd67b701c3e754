import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions, Session, WebContents } from 'electron';
import { loopbackEngine } from '../support/engineLoopback';
import { APP_ENTRY_URL, createAppProtocolHandler, isAppUrl } from '../../electron/shell/appProtocol';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/csp';
import { isAllowedRequest, lockDownSession, OFFLINE_CHROMIUM_SWITCHES } from '../../electron/shell/requestPolicy';
import { hardenWebContents, secureWebPreferences } from '../../electron/shell/windowGuards';
import { menuTemplate, type MenuActions } from '../../electron/shell/menu';
import { captureWindowState, DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, saveWindowState, trackWindowState } from '../../electron/shell/windowState';
import { classifyLaunchPaths, launchArguments } from '../../electron/shell/launchPaths';
import { JobProgressTracker, progressBarValue } from '../../electron/shell/importProgress';
import { startDesktopApp, type ElectronModules } from '../../electron/shell/desktopApp';
import { IPC_CHANNELS, FORBIDDEN_SENDER } from '../../electron/shell/ipc';
import type { JobState } from '../../electron/api/methods/case';
import type { CallOutcome } from '../../electron/api/contract';
import { FakeSession, FakeWebContents, FakeWindow, fakeElectron, invokeEvent } from './shellFakes';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `signet-${p}-`));

test('the window runs sandboxed, context-isolated, without Node and without webviews', () => {
  const prefs = secureWebPreferences('/app/preload.js');
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.navigateOnDragDrop, false);
  assert.equal(prefs.preload, '/app/preload.js');
});

test('only the app origin (and in-page data) may be requested; everything else is cancelled', () => {
  const dev = { allowDevtools: true };
  const packaged = { allowDevtools: false };
  for (const url of ['app://signet/index.html', 'app://signet/assets/index-abc.js', 'data:image/png;base64,AA', 'blob:app://signet/1234']) assert.ok(isAllowedRequest(url, packaged), url);
  for (const url of [
    'https://login.microsoftonline.com/',
    'http://127.0.0.1:9000/',
    'http://localhost/',
    'ws://127.0.0.1:1/',
    'wss://example.org/',
    'file:///etc/passwd',
    'ftp://example.org/',
    'app://signet.evil/',
    'app://other/',
    'chrome-extension://abc/',
    'devtools://devtools/bundled/inspector.html',
  ])
    assert.ok(!isAllowedRequest(url, packaged), url);
  assert.ok(isAllowedRequest('devtools://devtools/bundled/inspector.html', dev));
  assert.ok(!isAppUrl('not a url'));
});

test('the session denies every permission but clipboard writes, cancels foreign requests, turns off the spell checker, and refuses remote downloads', () => {
  const ses = new FakeSession();
  lockDownSession(ses as unknown as Session, { allowDevtools: false });
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
    let granted: boolean | null = null;
    ses.permissionRequest!(null, permission, (g) => (granted = g));
    assert.equal(granted, false, permission);
  }
  assert.equal(ses.permissionCheck!(null, 'media'), false);
  assert.equal(ses.permissionCheck!(null, 'clipboard-read'), false);
  let copyAllowed: boolean | null = null;
  ses.permissionRequest!(null, 'clipboard-sanitized-write', (g) => (copyAllowed = g));
  assert.equal(copyAllowed, true, 'copy cell / copy row may write plain text to the clipboard');
  assert.equal(ses.deviceCheck!({}), false);
  assert.deepEqual(ses.beforeRequest!.filter.urls, ['<all_urls>']);
  assert.equal(ses.cancels('https://cdn.example.com/font.woff2'), true);
  assert.equal(ses.cancels('http://127.0.0.1:8080/api'), true);
  assert.equal(ses.cancels('app://signet/index.html'), false);
  assert.equal(ses.spellChecker, false);
  const download = (url: string) => {
    let prevented = false;
    ses.emit('will-download', { preventDefault: () => (prevented = true) }, { getURL: () => url });
    return prevented;
  };
  assert.equal(download('https://example.org/payload.exe'), true);
  assert.equal(download('blob:app://signet/abc'), false);
  assert.ok(OFFLINE_CHROMIUM_SWITCHES.some(([s]) => s === 'disable-background-networking'));
});

test('navigation away from the app, redirects, webviews and new windows are blocked', () => {
  const wc = new FakeWebContents();
  hardenWebContents(wc as unknown as WebContents);
  const prevented = (event: string, ...args: unknown[]) => {
    let p = false;
    const e = { preventDefault: () => (p = true), url: args[0] };
    wc.emit(event, e, ...args);
    return p;
  };
  assert.equal(prevented('will-navigate', 'https://attacker.example/'), true);
  assert.equal(prevented('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(prevented('will-navigate', 'app://signet/index.html'), false);
  assert.equal(prevented('will-redirect', 'http://example.org/'), true);
  assert.equal(prevented('will-frame-navigate', 'https://example.org/'), true);
  assert.equal(prevented('will-attach-webview'), true);
  assert.deepEqual(wc.openHandler!({ url: 'https://example.org/' }), { action: 'deny' });
  assert.deepEqual(wc.openHandler!({ url: 'app://signet/index.html' }), { action: 'deny' });
});

test('app:// serves only the renderer folder, with the CSP header, and refuses escapes', async () => {
  const root = tmp('proto');
  const dir = join(root, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'a.js'), 'export {}');
  writeFileSync(join(root, 'secret.txt'), 'SECRET');
  symlinkSync(join(root, 'secret.txt'), join(dir, 'assets', 'link.js'));
  const handle = createAppProtocolHandler(dir);
  const index = await handle(new Request(APP_ENTRY_URL));
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal((await handle(new Request('app://signet/'))).status, 200);
  const js = await handle(new Request('app://signet/assets/a.js'));
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(await js.text(), 'export {}');
  for (const url of ['app://signet/%2e%2e/secret.txt', 'app://signet/..%2fsecret.txt', 'app://signet/assets/link.js', 'app://signet/%00', 'app://signet/nope.js']) {
    const r = await handle(new Request(url));
    assert.ok([400, 403, 404].includes(r.status), `${url}: ${r.status}`);
    assert.ok(!(await r.text()).includes('SECRET'));
  }
  assert.equal((await handle(new Request('app://other/index.html'))).status, 403);
  assert.equal((await handle(new Request('app://signet/index.html', { method: 'POST', body: 'x' }))).status, 405);
});

function noopActions(log: string[] = []): MenuActions {
  const a = (name: string) => (arg?: string) => void log.push(arg ? `${name}:${arg}` : name);
  return {
    openFiles: a('openFiles'),
    openFolder: a('openFolder'),
    openRecent: a('openRecent'),
    openDemo: a('openDemo'),
    closeCase: a('closeCase'),
    exportPdf: a('exportPdf'),
    settings: a('settings'),
    about: a('about'),
    docs: a('docs'),
  };
}

function items(menu: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const top = menu.find((m) => m.label?.replace('&', '') === label);
  return (top?.submenu as MenuItemConstructorOptions[]) ?? [];
}

test('the menu has File, Edit, View and Help; dev tools only in unpackaged builds; recent cases open on click', () => {
  const log: string[] = [];
  const recent = [{ dir: '/cases/a', name: 'Case A' }, { dir: '/cases/b', name: 'Case B' }];
  const menu = menuTemplate({ platform: 'linux', isPackaged: true, recent, caseOpen: true, actions: noopActions(log) });
  assert.deepEqual(menu.map((m) => m.label?.replace('&', '')), ['File', 'Edit', 'View', 'Help']);
  const file = items(menu, 'File');
  const labels = file.map((i) => i.label ?? i.role ?? i.type);
  for (const l of ['Open…', 'Open Folder or Case…', 'Open Recent', 'Open Demo Case', 'Close Case', 'Settings…', 'Quit']) assert.ok(labels.includes(l), l);
  const recentMenu = file.find((i) => i.label === 'Open Recent')!.submenu as MenuItemConstructorOptions[];
  assert.equal(recentMenu.length, 2);
  (recentMenu[1]!.click as () => void)();
  (file.find((i) => i.label === 'Open…')!.click as () => void)();
  (file.find((i) => i.label === 'Close Case')!.click as () => void)();
  assert.deepEqual(log, ['openRecent:/cases/b', 'openFiles', 'closeCase']);
  assert.deepEqual(items(menu, 'Edit').filter((i) => i.role).map((i) => i.role), ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  const viewRoles = items(menu, 'View').map((i) => i.role);
  assert.ok(viewRoles.includes('reload') && viewRoles.includes('togglefullscreen') && viewRoles.includes('zoomIn'));
  assert.ok(!viewRoles.includes('toggleDevTools'));
  assert.ok(items(menu, 'Help').some((i) => i.label === 'About Signet'));
  const dev = menuTemplate({ platform: 'linux', isPackaged: false, recent: [], caseOpen: false, actions: noopActions() });
  assert.ok(items(dev, 'View').some((i) => i.role === 'toggleDevTools'));
  const devFile = items(dev, 'File');
  assert.equal(devFile.find((i) => i.label === 'Close Case')!.enabled, false);
  assert.equal((devFile.find((i) => i.label === 'Open Recent')!.submenu as MenuItemConstructorOptions[])[0]!.enabled, false);
  const mac = menuTemplate({ platform: 'darwin', isPackaged: true, recent: [], caseOpen: false, actions: noopActions() });
  assert.equal(mac[0]!.label, 'Signet');
  assert.ok((mac[0]!.submenu as MenuItemConstructorOptions[]).some((i) => i.label === 'About Signet'));
});

test('window state: defaults for a missing or foreign file, round trip, and an unplugged display forgets the position', async () => {
  const dir = tmp('winstate');
  const file = join(dir, 'window-state.json');
  assert.deepEqual(await loadWindowState(file), DEFAULT_WINDOW_STATE);
  writeFileSync(file, '{"width": "huge"}');
  assert.deepEqual(await loadWindowState(file), DEFAULT_WINDOW_STATE);
  await saveWindowState(file, { x: 100, y: 50, width: 1000, height: 700, maximized: true });
  assert.deepEqual(await loadWindowState(file), { x: 100, y: 50, width: 1000, height: 700, maximized: true });
  const laptop = [{ x: 0, y: 0, width: 1366, height: 740 }];
  assert.deepEqual(fitToDisplays({ x: 2500, y: 100, width: 1600, height: 1000, maximized: false }, laptop), { width: 1366, height: 740, maximized: false });
  assert.deepEqual(fitToDisplays({ x: 20, y: 10, width: 800, height: 600, maximized: false }, laptop), { x: 20, y: 10, width: 800, height: 600, maximized: false });
  const win = new FakeWindow({});
  win.bounds = { x: 33, y: 44, width: 1111, height: 777 };
  const saved: unknown[] = [];
  trackWindowState(win as never, (s) => saved.push(s), 5);
  win.emit('close');
  assert.deepEqual(saved, [{ x: 33, y: 44, width: 1111, height: 777, maximized: false }]);
  assert.deepEqual(captureWindowState({ getNormalBounds: () => ({ x: 1.4, y: 2.6, width: 100, height: 100 }), isMaximized: () => true }), { x: 1, y: 3, width: 400, height: 300, maximized: true });
});

test('launch paths: switches are not files; case folders, export folders and missing paths are told apart', async () => {
  assert.deepEqual(launchArguments(['/usr/bin/electron', '/app', '--inspect', 'a.csv', 'b.json'], false, '/app'), ['a.csv', 'b.json']);
  assert.deepEqual(launchArguments(['/opt/Signet/signet', '--no-sandbox', '/data/x.csv'], true), ['/data/x.csv']);
  const root = tmp('launch');
  const caseDir = join(root, 'case-1');
  mkdirSync(caseDir);
  writeFileSync(join(caseDir, 'manifest.json'), '{}');
  const exports = join(root, 'exports');
  mkdirSync(exports);
  writeFileSync(join(exports, 'b.json'), '[]');
  writeFileSync(join(exports, 'a.csv'), '');
  writeFileSync(join(exports, 'notes.txt'), '');
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'single.ndjson'), '');
  const t = await classifyLaunchPaths(['case-1', 'exports', 'single.ndjson', 'missing.csv', 'empty', join(caseDir, 'manifest.json')], root);
  assert.deepEqual(t.cases, [caseDir, caseDir]);
  assert.deepEqual(t.files, [join(exports, 'a.csv'), join(exports, 'b.json'), join(root, 'single.ndjson')]);
  assert.equal(t.problems.length, 2);
  assert.match(t.problems[0]!, /missing\.csv: no such file or folder/);
  assert.match(t.problems[1]!, /empty: the folder holds no/);
});

const job = (state: JobState['state'], fraction: number | null): JobState => ({ id: 'x', kind: 'import', state, message: '', rows: 0, rowsPerSecond: 0, fraction, error: null });

test('taskbar progress follows running jobs and clears when they settle', () => {
  assert.equal(progressBarValue([]), -1);
  assert.equal(progressBarValue([job('done', 1)]), -1);
  assert.equal(progressBarValue([job('running', 0.25), job('running', 0.75)]), 0.5);
  assert.equal(progressBarValue([job('running', 0.5), job('running', null)]), 2);
  const states = new Map<string, JobState>([['a', job('running', 0.2)]]);
  const values: number[] = [];
  let ticking: (() => void) | null = null;
  const tracker = new JobProgressTracker((id) => states.get(id), (v) => values.push(v), 10, {
    setInterval: (fn) => ((ticking = fn), 1),
    clearInterval: () => (ticking = null),
  });
  tracker.track('a');
  states.set('a', job('running', 0.6));
  ticking!();
  ticking!();
  states.set('a', job('done', 1));
  ticking!();
  assert.deepEqual(values, [0.2, 0.6, -1]);
  assert.equal(ticking, null);
});

async function settle() {
  // Launch paths are classified with real file system calls; give them time to finish.
  await new Promise((r) => setTimeout(r, 150));
}

test('a second instance hands over and quits', () => {
  const f = fakeElectron({ userData: tmp('second'), lock: false });
  const shell = startDesktopApp(f.modules as unknown as ElectronModules, { appVersion: 't', rendererDir: '/r', preloadPath: '/p.js', docsDir: '/d', startEngine: loopbackEngine().start, argv: ['electron', '/app'], cwd: '/' });
  assert.equal(shell, null);
  assert.equal(f.record.quit, 1);
  assert.equal(FakeWindow.created.length, 0);
});

test('the desktop app: hardened window on app://signet, menu, IPC, launch files delivered once the renderer listens, second launches add files', async () => {
  const userData = tmp('desktop');
  const root = tmp('desktop-files');
  writeFileSync(join(root, 'first.csv'), '');
  writeFileSync(join(root, 'second.csv'), '');
  writeFileSync(join(userData, 'window-state.json'), JSON.stringify({ x: 40, y: 30, width: 1300, height: 850, maximized: false }));
  const f = fakeElectron({ userData });
  const loop = loopbackEngine();
  const shell = startDesktopApp(f.modules as unknown as ElectronModules, {
    appVersion: 'test',
    rendererDir: root,
    preloadPath: '/out/preload/index.js',
    docsDir: root,
    startEngine: loop.start,
    argv: ['/usr/bin/electron', '/app', '--enable-logging', 'first.csv'],
    cwd: root,
  })!;
  assert.ok(shell);
  assert.ok(f.record.switches.includes('disable-background-networking'));
  assert.deepEqual((f.record.schemes[0] as { scheme: string }).scheme, 'app');
  f.ready();
  await shell.ready;
  await settle();
  const win = FakeWindow.created[0]!;
  assert.equal(FakeWindow.created.length, 1);
  assert.equal(win.loaded, APP_ENTRY_URL);
  const prefs = win.options.webPreferences as Record<string, unknown>;
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.preload, '/out/preload/index.js');
  assert.deepEqual([win.options.x, win.options.y, win.options.width, win.options.height], [40, 30, 1300, 850]);
  assert.ok(f.record.protocolHandlers.has('app'));
  assert.equal(f.session.cancels('https://example.org/'), true);
  assert.ok(f.record.menus.length >= 1);

  // Every web contents created later is hardened too.
  const other = new FakeWebContents();
  f.app.emit('web-contents-created', {}, other);
  assert.deepEqual(other.openHandler!({ url: 'https://x/' }), { action: 'deny' });

  // The launch file waits until the renderer says it listens; a foreign frame cannot claim that.
  assert.deepEqual(win.webContents.sent, []);
  f.record.on.get(IPC_CHANNELS.menuReady)!(invokeEvent('https://attacker.example/', win.webContents));
  assert.deepEqual(win.webContents.sent, []);
  f.record.on.get(IPC_CHANNELS.menuReady)!(invokeEvent('app://signet/index.html', win.webContents));
  assert.deepEqual(win.webContents.sent, [[IPC_CHANNELS.menu, 'open-files', JSON.stringify([join(root, 'first.csv')])]]);

  // A second launch with a file: focus the window and add the file.
  win.minimized = true;
  f.app.emit('second-instance', {}, ['/usr/bin/electron', '/app', 'second.csv', 'nope.csv'], root);
  await settle();
  assert.equal(win.minimized, false);
  assert.ok(win.focused > 0);
  assert.deepEqual(win.webContents.sent.at(-1), [IPC_CHANNELS.menu, 'open-files', JSON.stringify([join(root, 'second.csv')])]);
  assert.match(f.record.messages.at(-1)!.detail, /nope\.csv: no such file or folder/);

  // macOS open-file after ready.
  f.app.emit('open-file', { preventDefault() {} }, join(root, 'first.csv'));
  await settle();
  assert.deepEqual(win.webContents.sent.at(-1), [IPC_CHANNELS.menu, 'open-files', JSON.stringify([join(root, 'first.csv')])]);

  // IPC: the app frame is served, others are refused.
  const call = f.record.invoke.get(IPC_CHANNELS.call)!;
  assert.deepEqual(await call(invokeEvent('https://attacker.example/'), 'recentCases', {}), FORBIDDEN_SENDER);
  const info = (await call(invokeEvent('app://signet/index.html'), 'appInfo', {})) as CallOutcome;
  assert.equal(info.ok && (info.result as { mode: string }).mode, 'desktop');

  // Menu actions reach the renderer on the menu channel.
  const menu = f.record.menus.at(-1)!;
  const file = items(menu, 'File');
  (file.find((i) => i.label === 'Open Demo Case')!.click as () => void)();
  f.record.dialogResult = { canceled: false, filePaths: [join(root, 'second.csv')] };
  (file.find((i) => i.label === 'Open…')!.click as () => void)();
  await settle();
  assert.deepEqual(win.webContents.sent.slice(-2), [
    [IPC_CHANNELS.menu, 'open-demo', undefined],
    [IPC_CHANNELS.menu, 'open-files', JSON.stringify([join(root, 'second.csv')])],
  ]);
  (items(menu, 'Help').find((i) => i.label === 'Documentation')!.click as () => void)();
  assert.deepEqual(f.record.opened, [root]);

  // A job started over IPC drives the taskbar progress bar until it settles.
  const started = (await call(invokeEvent('app://signet/index.html'), 'openFiles', { paths: [join(root, 'first.csv')] })) as CallOutcome;
  assert.ok(started.ok);
  const jobId = (started.result as { jobId: string }).jobId;
  await loop.engine().jobs.wait(jobId);
  // The bar is cleared once the job's end reaches the shell: wait for that, not for a fixed time (a loaded machine takes longer).
  for (let i = 0; i < 300 && win.progress.at(-1) !== -1; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(win.progress.length >= 1, 'progress bar was set');
  assert.equal(win.progress.at(-1), -1);

  // File > Export Case Report as PDF: hidden window with JavaScript off in its own locked session; PDF hash audited.
  await loop.engine().createCase(join(userData, 'pdf-case'), 'PDF case');
  loop.engine().closeCase();
  const opened = (await f.record.invoke.get(IPC_CHANNELS.call)!(invokeEvent('app://signet/index.html'), 'openCase', { dir: join(userData, 'pdf-case') })) as CallOutcome;
  assert.ok(opened.ok, JSON.stringify(opened));
  const exportItem = items(f.record.menus.at(-1)!, 'File').find((i) => i.label === 'Export Case Report as PDF…')!;
  assert.notEqual(exportItem.enabled, false);
  const windowsBefore = FakeWindow.created.length;
  (exportItem.click as () => void)();
  for (let i = 0; i < 100 && !f.record.shownInFolder.length; i++) await new Promise((r) => setTimeout(r, 50));
  const pdfPath = f.record.shownInFolder[0]!;
  assert.match(pdfPath, /reports\/report-.*\.pdf$/);
  assert.equal(readFileSync(pdfPath, 'utf8'), '%PDF-1.7 fake');
  const printer = FakeWindow.created[windowsBefore]!;
  assert.equal((printer.options.webPreferences as Record<string, unknown>).javascript, false);
  assert.equal(printer.options.show, false);
  assert.ok(printer.destroyed);
  assert.match(String(printer.loaded), /^file:\/\/.*\.html$/);
  const pdfSession = f.record.partitions.get('signet-report-pdf')!;
  assert.equal(pdfSession.cancels(String(printer.loaded)), false);
  assert.equal(pdfSession.cancels('file:///etc/passwd'), true);
  assert.equal(pdfSession.cancels('https://example.org/'), true);
  const { auditSettled } = await import('../../electron/engine/custody/audit');
  await auditSettled(loop.engine().current!);
  const audit = await loop.engine().current!.db.all<{ action: string }>("SELECT action FROM audit_log WHERE action = 'report.pdf'");
  assert.equal(audit.length, 1, 'the PDF and its hash are in the audit log');

  // Window bounds are saved on close.
  win.bounds = { x: 5, y: 6, width: 1000, height: 700 };
  win.emit('close');
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')), { x: 5, y: 6, width: 1000, height: 700, maximized: false });
  f.app.emit('will-quit');
});

test('the renderer never turns strings into HTML and loads nothing remote', async () => {
  const { readdirSync, statSync } = await import('node:fs');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(tsx?|css|html)$/.test(name)) files.push(p);
    }
  };
  walk(join(__dirname, '../../renderer'));
  assert.ok(files.length > 10);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(/, f);
    assert.doesNotMatch(text, /(src|href)\s*=\s*["'`]https?:|url\(\s*["']?https?:|@import\s+["']?https?:/, f);
  }
});
