import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { startBridge, MAX_BODY, type RunningBridge } from '../../electron/bridge/server';
import { handlerTable } from '../../electron/api/handlerTable';
import { Engine } from '../../electron/engine/engine';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/csp';
import { registerIpc, IPC_CHANNELS, FORBIDDEN_SENDER } from '../../electron/shell/ipc';
import type { CallOutcome } from '../../electron/api/contract';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const SECRET = 'TOP-SECRET-OUTSIDE-RENDERER';
let bridge: RunningBridge;
let engine: Engine;
let rendererDir: string;
const afterCalls: string[] = [];

before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-bridge-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Signet</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'assets', 'leak.js'));
  engine = new Engine({ dataDir: join(root, 'data'), appVersion: 'test', mode: 'browser' });
  bridge = await startBridge({ rendererDir, table: handlerTable, context: { engine }, afterCall: (m) => void afterCalls.push(m) });
});

after(async () => {
  await bridge.close();
  engine.close();
});

function send(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bridge.port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${bridge.port}`, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

function apiCall(body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send({
    method: 'POST',
    path: '/api/call',
    headers: { 'content-type': 'application/json', 'x-signet-token': bridge.token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('the bridge listens on 127.0.0.1 only, with a long random token per run', async () => {
  const address = bridge.server.address();
  assert.equal(typeof address === 'object' && address?.address, '127.0.0.1');
  assert.match(bridge.token, /^[0-9a-f]{48}$/);
  const other = await startBridge({ rendererDir, table: handlerTable, context: { engine } });
  assert.notEqual(other.token, bridge.token);
  await other.close();
  const launch = new URL(bridge.url);
  assert.equal(launch.origin, `http://127.0.0.1:${bridge.port}`);
  assert.match(launch.searchParams.get('token') ?? '', /^[0-9a-f]{48}$/);
  assert.notEqual(launch.searchParams.get('token'), bridge.token, 'the URL never carries the session token');
});

test('the printed URL works once: its token becomes an HttpOnly SameSite=Strict cookie and the browser moves on without it', async () => {
  assert.equal((await send({ path: '/' })).status, 401);
  assert.equal((await send({ path: '/?token=wrong' })).status, 401);
  assert.equal((await send({ path: `/?token=${bridge.token}` })).status, 401, 'the session token is not a launch token');
  const launchPath = new URL(bridge.url).pathname + new URL(bridge.url).search;
  const first = await send({ path: launchPath });
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/', 'redirected to the same page without the token');
  const cookie = String(first.headers['set-cookie']);
  assert.match(cookie, new RegExp(`signet_token=${bridge.token}`));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  // Replayed from the history, the same URL opens nothing…
  const replay = await send({ path: launchPath });
  assert.equal(replay.status, 401);
  assert.match(replay.body, /used already/);
  assert.equal(replay.headers['set-cookie'], undefined);
  // …while the browser that holds the cookie just moves on to the page.
  const withCookie = { cookie: `signet_token=${bridge.token}` };
  assert.equal((await send({ path: launchPath, headers: withCookie })).status, 303);
  const page = await send({ path: '/', headers: withCookie });
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>Signet<\/title>/);
  const asset = await send({ path: '/assets/app.js', headers: withCookie });
  assert.equal(asset.status, 200);
  assert.match(String(asset.headers['content-type']), /text\/javascript/);
  assert.equal((await send({ path: '/assets/app.js', headers: { cookie: 'signet_token=nope' } })).status, 401);
  // The page's script gets the API token from the cookie, never from the URL.
  const session = await send({ path: '/api/session', headers: withCookie });
  assert.equal(session.status, 200);
  assert.deepEqual(JSON.parse(session.body), { token: bridge.token });
  assert.equal((await send({ path: '/api/session' })).status, 401);
  assert.equal((await send({ path: '/api/session', headers: { ...withCookie, 'sec-fetch-site': 'cross-site' } })).status, 403);
  assert.equal((await send({ path: '/api/session', headers: { ...withCookie, host: `attacker.example:${bridge.port}` } })).status, 403);
});

test('every response carries the CSP and the other security headers', async () => {
  for (const r of [await send({ path: '/', headers: { cookie: `signet_token=${bridge.token}` } }), await send({ path: '/' }), await apiCall({ method: 'appInfo', args: {} })]) {
    assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['cache-control'], 'no-store');
  }
  assert.match(CONTENT_SECURITY_POLICY, /default-src 'none'/);
  assert.match(CONTENT_SECURITY_POLICY, /connect-src 'self'/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval|https?:|\*/);
});

test('API calls need the token header; the cookie alone is not enough', async () => {
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { 'x-signet-token': '' })).status, 401);
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { 'x-signet-token': 'f'.repeat(48) })).status, 401);
  const cookieOnly = await send({
    method: 'POST',
    path: '/api/call',
    headers: { 'content-type': 'application/json', cookie: `signet_token=${bridge.token}` },
    body: JSON.stringify({ method: 'appInfo', args: {} }),
  });
  assert.equal(cookieOnly.status, 401);
  const ok = await apiCall({ method: 'appInfo', args: {} });
  assert.equal(ok.status, 200);
  const outcome = JSON.parse(ok.body) as CallOutcome;
  assert.equal(outcome.ok, true);
});

test('foreign Host (DNS rebinding) and foreign Origin (cross-site POST) are refused, token or not', async () => {
  const rebinding = await send({ path: `/?token=${bridge.token}`, headers: { host: `attacker.example:${bridge.port}` } });
  assert.equal(rebinding.status, 403);
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { host: `attacker.example:${bridge.port}` })).status, 403);
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { host: `127.0.0.1:${bridge.port + 1}` })).status, 403);
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { origin: 'https://attacker.example' })).status, 403);
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { origin: 'null' })).status, 403);
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { origin: `http://127.0.0.1:${bridge.port + 1}` })).status, 403);
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { origin: `http://127.0.0.1:${bridge.port}` })).status, 200);
  assert.equal((await apiCall({ method: 'appInfo', args: {} }, { host: `localhost:${bridge.port}`, origin: `http://localhost:${bridge.port}` })).status, 200);
});

test('the API takes only POST with a JSON body of bounded size', async () => {
  const get = await send({ path: '/api/call', headers: { 'x-signet-token': bridge.token } });
  assert.equal(get.status, 405);
  assert.equal(get.headers.allow, 'POST');
  assert.equal((await apiCall({ method: 'appInfo' }, { 'content-type': 'text/plain' })).status, 415);
  assert.equal((await apiCall({ method: 'appInfo' }, { 'content-type': 'application/x-www-form-urlencoded' })).status, 415);
  assert.equal((await apiCall({ method: 'appInfo' }, { 'content-type': 'application/json; charset=utf-8' })).status, 200);
  const badJson = await apiCall('{"method": ');
  assert.equal(badJson.status, 400);
  assert.match(badJson.body, /Bad request body/);
  assert.equal((await apiCall({ args: {} })).status, 400);
  assert.equal((await apiCall('[1,2]')).status, 400);
  const huge = JSON.stringify({ method: 'openFiles', args: { paths: ['x'.repeat(MAX_BODY)] } });
  const tooLarge = await apiCall(huge).catch((err: NodeJS.ErrnoException) => ({ status: err.code === 'EPIPE' || err.code === 'ECONNRESET' ? 413 : 0, headers: {}, body: '' }));
  assert.equal(tooLarge.status, 413);
  assert.equal((await send({ method: 'DELETE', path: '/', headers: { cookie: `signet_token=${bridge.token}` } })).status, 405);
});

test('paths that try to leave the renderer folder are refused and never return outside files', async () => {
  const cookie = { cookie: `signet_token=${bridge.token}` };
  const attempts = ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/%00index.html', '/%E0%A4%A', '/assets/leak.js'];
  for (const path of attempts) {
    const r = await send({ path, headers: cookie });
    assert.ok([400, 403, 404].includes(r.status), `${path} gave ${r.status}`);
    assert.ok(!r.body.includes(SECRET), `${path} leaked the file outside the renderer`);
  }
  assert.equal((await send({ path: '/assets/missing.js', headers: cookie })).status, 404);
});

test('the bridge reports each call to afterCall (settings are applied to newly opened cases there)', async () => {
  afterCalls.length = 0;
  await apiCall({ method: 'recentCases', args: {} });
  assert.deepEqual(afterCalls, ['recentCases']);
});

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

function fakeIpc() {
  const handlers = new Map<string, InvokeHandler>();
  return {
    handlers,
    ipcMain: {
      handle: (channel: string, fn: InvokeHandler) => void handlers.set(channel, fn),
      removeHandler: (channel: string) => void handlers.delete(channel),
    },
  };
}

function frameEvent(url: string, parent: object | null = null): IpcMainInvokeEvent {
  return { senderFrame: { url, parent } } as unknown as IpcMainInvokeEvent;
}

test('IPC and the bridge go through the same dispatch and handler table: identical outcomes', async () => {
  const { handlers, ipcMain } = fakeIpc();
  const unregister = registerIpc({
    ipcMain: ipcMain as never,
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) } as never,
    table: handlerTable,
    context: { engine },
    windowOf: () => null,
  });
  assert.deepEqual([...handlers.keys()].sort(), [IPC_CHANNELS.call, IPC_CHANNELS.pickFiles, IPC_CHANNELS.pickFolder].sort());
  const call = handlers.get(IPC_CHANNELS.call)!;
  const calls: [string, unknown][] = [
    ['recentCases', {}],
    ['caseInfo', {}],
    ['getSettings', {}],
    ['columns', {}],
    ['getRows', { start: 'x' }],
    ['dropEverything', {}],
    ['openCase', { dir: join(tmpdir(), 'signet-no-such-case') }],
    ['listDirectory', { path: rendererDir }],
  ];
  for (const [method, args] of calls) {
    const viaIpc = (await call(frameEvent('app://signet/index.html'), method, args)) as CallOutcome;
    const viaBridge = JSON.parse((await apiCall({ method, args })).body) as CallOutcome;
    assert.deepEqual(viaIpc, viaBridge, `${method} differs between IPC and the bridge`);
  }
  // appInfo differs only in nothing: both report the engine's mode.
  assert.deepEqual(await call(frameEvent('app://signet/'), 'appInfo', {}), JSON.parse((await apiCall({ method: 'appInfo', args: {} })).body));
  unregister();
  assert.equal(handlers.size, 0);
});

test('IPC refuses calls from any frame that is not the app page itself', async () => {
  const { handlers, ipcMain } = fakeIpc();
  let dialogs = 0;
  registerIpc({
    ipcMain: ipcMain as never,
    dialog: { showOpenDialog: async () => (dialogs++, { canceled: false, filePaths: ['/x.csv'] }) } as never,
    table: handlerTable,
    context: { engine },
    windowOf: () => null,
  });
  const call = handlers.get(IPC_CHANNELS.call)!;
  for (const event of [
    frameEvent('https://attacker.example/'),
    frameEvent('file:///tmp/evil.html'),
    frameEvent('app://signet.attacker/index.html'),
    frameEvent('app://signet/index.html', { url: 'app://signet/' }),
    { senderFrame: null } as unknown as IpcMainInvokeEvent,
  ]) {
    assert.deepEqual(await call(event, 'recentCases', {}), FORBIDDEN_SENDER);
    assert.deepEqual(await handlers.get(IPC_CHANNELS.pickFiles)!(event), []);
    assert.equal(await handlers.get(IPC_CHANNELS.pickFolder)!(event), null);
  }
  assert.equal(dialogs, 0);
  assert.deepEqual(await handlers.get(IPC_CHANNELS.pickFiles)!(frameEvent('app://signet/index.html')), ['/x.csv']);
  assert.equal(dialogs, 1);
  const nonString = (await call(frameEvent('app://signet/index.html'), { toString: () => 'recentCases' }, {})) as CallOutcome;
  assert.equal(!nonString.ok && nonString.error.code, 'unknown_method');
});
