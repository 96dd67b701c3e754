import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:http';
import { Engine } from '../../electron/engine/engine';
import { printedUrl } from '../support/serveChild';

const ROOT = resolve(__dirname, '../..');
const SERVE = join(ROOT, 'electron/bridge/serve.ts');

function fixture() {
  const root = mkdtempSync(join(tmpdir(), 'signet-serve-'));
  const renderer = join(root, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Signet</title>');
  return { root, env: { ...process.env, SIGNET_RENDERER_DIR: renderer, SIGNET_DATA_DIR: join(root, 'data') } };
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((ok, fail) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
    })
      .on('error', fail)
      .end();
  });
}

test('npm run serve prints exactly one URL (127.0.0.1, token) and serves the UI behind it', { timeout: 60_000 }, async () => {
  const { env } = fixture();
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--port', '0'], { cwd: ROOT, env });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  try {
    const { url, out } = await printedUrl(child, 45_000, () => err);
    assert.equal(out.match(/https?:\/\//g)?.length, 1, `exactly one URL in: ${out}`);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    // The launch token is exchanged for the cookie once, then the browser moves on without it.
    const launch = await get(url);
    assert.equal(launch.status, 303);
    const cookie = String(launch.headers['set-cookie']).split(';')[0]!;
    const page = await get(new URL(String(launch.headers.location), url).href, { cookie });
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Signet<\/title>/);
    assert.equal((await get(url)).status, 401, 'the printed URL opens Signet once');
    assert.equal((await get(url.replace(/\?token=.*/, ''))).status, 401);
  } finally {
    child.kill('SIGTERM');
  }
});

test('npm run serve refuses bad arguments with a clear message', { timeout: 60_000 }, () => {
  const { root, env } = fixture();
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', SERVE, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 45_000 });
  const badPort = run(['--port', 'eighty']);
  assert.equal(badPort.status, 2);
  assert.match(badPort.stderr, /--port must be a number/);
  const notACase = run(['--case', root]);
  assert.equal(notACase.status, 1);
  assert.match(notACase.stderr, /is not a Signet case/);
});

function exited(child: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((ok, fail) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok(child.exitCode);
    const timer = setTimeout(() => fail(new Error(`still running ${ms} ms after SIGTERM`)), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      ok(code);
    });
  });
}

/** Resolves once no process of the group is left (npm's shell and everything below it). */
async function groupGone(pgid: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (Date.now() > until) throw new Error(`processes of npm's group were still running ${ms} ms after SIGTERM`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

// Ctrl+C in the terminal sends SIGINT to the whole foreground process group: npm, its shell, the
// launcher and the server all receive it at once.
for (const [how, stopNpm] of [
  ['SIGTERM to `npm run serve`', (npm: ChildProcess) => npm.kill('SIGTERM')],
  ['Ctrl+C (SIGINT to npm\'s process group)', (npm: ChildProcess) => process.kill(-npm.pid!, 'SIGINT')],
] as const)
test(`${how} stops the server and releases the case for another engine`, { skip: process.platform === 'win32', timeout: 90_000 }, async () => {
  const { root, env } = fixture();
  const caseDir = join(root, 'case');
  const other = new Engine({ dataDir: join(root, 'other-data'), appVersion: 'test', mode: 'browser' });
  const created = await other.createCase(caseDir, 'stop test');
  other.close();
  await created.db.closed;

  // npm itself, as the user runs it; the build is skipped (the fixture's UI is a stand-in).
  // Its own process group, so that whatever it leaves behind can be cleaned up below.
  const npm = spawn('npm', ['run', '-s', 'serve', '--', '--port', '0', '--case', caseDir], { cwd: ROOT, env: { ...env, SIGNET_NO_BUILD: '1' }, detached: true });
  let err = '';
  npm.stderr.on('data', (c: Buffer) => (err += c.toString()));
  try {
    const { url } = await printedUrl(npm, 45_000, () => err);
    assert.equal((await get(url)).status, 303, 'serving: the launch URL hands out its cookie');
    // While serving, the case is held: a second Signet is refused (so the check below can fail).
    await assert.rejects(other.openCase(caseDir), /already open for changes in another Signet/);

    stopNpm(npm);
    await exited(npm, 20_000);
    await groupGone(npm.pid!, 20_000);
    assert.ok(!existsSync(join(caseDir, 'case.lock')), 'the case lock was released, not left for a takeover');
    await assert.rejects(get(url), /ECONNREFUSED/, 'the server is gone');
    const reopened = await other.openCase(caseDir);
    assert.equal(reopened.dir, caseDir);
    other.close();
    await reopened.db.closed;
  } finally {
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // the group is gone: nothing was left running
    }
    npm.stdout.destroy();
    npm.stderr.destroy();
  }
});
