import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliArguments } from '../../electron/cli/appArguments';

const ROOT = resolve(__dirname, '../..');

test('the installed app runs a scripting command for `Signet --cli <command> ...`', () => {
  assert.deepEqual(cliArguments(['/opt/Signet/signet', '--cli', 'verify', '--case', '/cases/x'], true), ['verify', '--case', '/cases/x']);
  assert.deepEqual(cliArguments(['C:\\Program Files\\Signet\\Signet.exe', '--cli', 'report', '--case', 'c', '--out', 'r.html'], true), [
    'report',
    '--case',
    'c',
    '--out',
    'r.html',
  ]);
  assert.deepEqual(cliArguments(['/opt/Signet/signet', '--cli'], true), [], 'no command: the CLI prints its usage');
  // Chromium switches may come first.
  assert.deepEqual(cliArguments(['/opt/Signet/signet', '--no-sandbox', '--cli', 'info', '--case', 'c'], true), ['info', '--case', 'c']);
});

test('in development the app folder comes before --cli (electron <app> --cli ...)', () => {
  assert.deepEqual(cliArguments(['/x/electron', '/src/signet', '--cli', 'info', '--case', 'c'], false), ['info', '--case', 'c']);
  assert.equal(cliArguments(['/x/electron', '/src/signet'], false), null);
});

test('a normal launch (files, nothing, a file before --cli) opens the window', () => {
  assert.equal(cliArguments(['/opt/Signet/signet'], true), null);
  assert.equal(cliArguments(['/opt/Signet/signet', '/evidence/a.csv', '/evidence/b.json'], true), null);
  assert.equal(cliArguments(['/opt/Signet/signet', '/evidence/a.csv', '--cli', 'info'], true), null);
  // The app path in development is never taken for the switch.
  assert.equal(cliArguments(['/x/electron', '--cli'], false), null);
});

test('the built app runs `--cli <command>` without a window and exits with the command\'s code', { timeout: 180_000 }, async () => {
  const { buildIfStale } = (await import(pathToFileURL(join(ROOT, 'scripts/buildState.mjs')).href)) as { buildIfStale(root: string): number };
  assert.equal(buildIfStale(ROOT), 0, 'the app builds');
  // Electron's main-process API, reduced to what the CLI path touches; a window would need BrowserWindow.
  const fake = join(mkdtempSync(join(tmpdir(), 'signet-fake-electron-')), 'electron.cjs');
  writeFileSync(
    fake,
    `const Module = require('module'); const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'electron') return { app: { isPackaged: true, setPath() {}, exit(code) { process.exit(code); } } };
  return load.call(this, request, ...rest);
};`,
  );
  // `node -e` leaves argv as [node, ...args]: the packaged layout, [Signet, ...args].
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--require', fake, '-e', `require(${JSON.stringify(join(ROOT, 'out/main/index.js'))})`, '--', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
  const help = run(['--cli', 'help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: Signet --cli <command> \[options\]/);
  assert.match(help.stdout, /verify --case DIR/);
  assert.match(help.stdout, /report --case DIR --out FILE\.html/);
  const bad = run(['--cli', 'verify', '--case', join(tmpdir(), 'no-such-case')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no-such-case/);
  assert.equal(run(['--cli', 'no-such-command']).status, 2);
});
