// Runs every test file (unit first, then end-to-end) in one node:test run, so the run
// ends with a single "N passed, N failed" line. Node 20's --test does not expand globs
// for .ts files, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const only = process.argv.slice(2);
function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const groups = only.length ? only : ['test/unit', 'test/e2e'];
const files = groups.flatMap((g) => (g.endsWith('.ts') ? [g] : collect(g)));
const args = [
  '--import', 'tsx',
  '--import', './test/support/childStdoutGuard.mjs',
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./test/support/summaryReporter.mjs', '--test-reporter-destination=stdout',
  ...files,
];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, SIGNET_TEST: '1' } });
process.exit(r.status ?? 1);
