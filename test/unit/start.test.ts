import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const START = join(ROOT, 'scripts/start.mjs');

// electron's own index.js honours ELECTRON_OVERRIDE_DIST_PATH, so the tests choose what
// "the installed Electron" is, whatever this machine has.
function runStart(args: string[], distDir: string, extraEnv: Record<string, string> = {}) {
  return spawnSync(process.execPath, [START, ...args], {
    cwd: tmpdir(),
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: distDir, ...extraEnv },
    timeout: 30_000,
  });
}

test('npm start without the Electron binary prints one line pointing at browser mode and exits non-zero', () => {
  const emptyDist = mkdtempSync(join(tmpdir(), 'signet-noelectron-'));
  const r = runStart(['logs/InteractiveSignIns.csv', 'my export.json'], emptyDist);
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got: ${r.stderr}`);
  assert.match(lines[0]!, /Electron binary is not installed on this machine/);
  assert.match(lines[0]!, /npm run serve -- logs\/InteractiveSignIns\.csv "my export\.json"/);
});

test('npm start with no files still names browser mode', () => {
  const r = runStart([], mkdtempSync(join(tmpdir(), 'signet-noelectron-')));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /npm run serve -- FILE\.\.\./);
});

test('npm start launches the installed Electron with the app folder and absolute file paths', { skip: process.platform === 'win32' }, () => {
  const dist = mkdtempSync(join(tmpdir(), 'signet-fakeelectron-'));
  const record = join(dist, 'argv.json');
  const fake = join(dist, 'electron');
  // A stand-in binary: records its arguments and exits with a code the launcher must pass on.
  writeFileSync(fake, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(7);\n`);
  chmodSync(fake, 0o755);
  const r = runStart(['a.csv', 'sub/b.json'], dist, { SIGNET_NO_BUILD: '1' });
  assert.equal(r.status, 7, r.stderr);
  const argv = JSON.parse(readFileSync(record, 'utf8')) as string[];
  assert.deepEqual(argv, [ROOT, join(tmpdir(), 'a.csv'), join(tmpdir(), 'sub/b.json')]);
});
