import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { generatedCase } from '../support/findingsFixture';

const CLI = resolve(__dirname, '../../electron/cli/signet.ts');
let root = '';
let caseDir = '';

before(async () => {
  const c = await generatedCase(400, ['portal-csv']);
  root = c.dir;
  caseDir = resolve(c.dir, 'case');
  c.session.close();
});
after(() => rmSync(root, { recursive: true, force: true }));

test('query --format json prints integers as JSON numbers; integers beyond 2^53 stay strings', () => {
  const sql = `SELECT count(*) AS n, 42::INTEGER AS i, -7::SMALLINT AS s, 9007199254740993::BIGINT AS big, 170141183460469231731687303715884105727::HUGEINT AS huge, 1.5::DOUBLE AS d, '12' AS text_digits, NULL::BIGINT AS nothing FROM signins`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'query', '--case', caseDir, sql], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  assert.deepEqual(rows, [{ n: 400, i: 42, s: -7, big: '9007199254740993', huge: '170141183460469231731687303715884105727', d: 1.5, text_digits: '12', nothing: null }]);
});

/** Runs a command whose stdout reader is gone before it writes: every write fails with EPIPE. */
function withClosedPipe(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stderr });
    });
  });
}

for (const args of [
  ['help'],
  ['info', '--case', '<case>'],
  ['query', '--case', '<case>', 'SELECT row_id FROM signins ORDER BY row_id'],
  ['query', '--format', 'csv', '--case', '<case>', 'SELECT row_id FROM signins ORDER BY row_id'],
  ['findings', '--case', '<case>'],
  ['timeline', '--case', '<case>'],
  ['verify', '--case', '<case>'],
]) {
  test(`\`${args[0]}${args[1] === '--format' ? ' --format csv' : ''}\` exits 0 without a stack trace when its output pipe is closed`, async () => {
    const r = await withClosedPipe(args.map((a) => (a === '<case>' ? caseDir : a)));
    assert.equal(r.signal, null);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Error:|\n\s+at /);
  });
}
