import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:http';

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
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  try {
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed; stderr: ${err}`)), 45_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /http:\/\/\S+/.exec(out);
        if (m && out.endsWith('\n')) {
          clearTimeout(timer);
          ok(m[0]);
        }
      });
      child.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${err}`)));
    });
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
  assert.match(notACase.stderr, /Cannot open case/);
});
