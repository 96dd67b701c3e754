import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fixturesForThisFile, type Fixture } from './custody-fixture';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { exportView } from '../../electron/engine/export/exportView';
import { exportParquet } from '../../electron/engine/parquet/exportParquet';
import { generateReport } from '../../electron/engine/report/generateReport';
import { generateDataset } from '../../electron/engine/demo/generate';
import { checkOutputTarget, OutputRefused } from '../../electron/engine/case/outputTarget';
import { csvText } from '../support/fixtures/csvText';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { portalRow, signin } from '../support/fixtures/signinFixtures';

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const fixture = fixturesForThisFile({ rows: 40 });

async function closed(f: Fixture): Promise<void> {
  f.session.close();
  await f.session.db.closed;
}

function signet(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** One sentence: no stack, no raw error text, one line. */
function oneSentence(text: string): void {
  const lines = text.trim().split('\n');
  assert.equal(lines.length, 1, text);
  assert.doesNotMatch(text, /Error:|at \w+ \(/);
}

test('report --out never replaces evidence or a file of the case, even with --force', async () => {
  const f = await fixture();
  await closed(f);
  const evidence = f.sources[0]!.path;
  const caseFiles = ['case.duckdb', 'manifest.json', 'audit.jsonl'].map((n) => join(f.caseDir, n));
  // case.duckdb's bytes change whenever it is opened (checkpoints); its content is checked below.
  const before = new Map([evidence, ...caseFiles.slice(1)].map((p) => [p, sha(p)]));
  // The same evidence file reached through `..`, a symlinked folder and a hard link.
  mkdirSync(join(f.root, 'other'));
  symlinkSync(f.evidenceDir, join(f.root, 'linked'));
  for (const out of [evidence, caseFiles[0]!]) {
    const r = signet(['report', '--case', f.caseDir, '--out', out, '--force']);
    assert.equal(r.status, 1, `${out}: ${r.stdout}${r.stderr}`);
    oneSentence(r.stderr);
    assert.match(r.stderr, /evidence|case folder/);
  }
  const s = await CaseSession.open(f.caseDir);
  try {
    for (const out of [join(f.root, 'other', '..', 'evidence', 'InteractiveSignIns.csv'), join(f.root, 'linked', 'InteractiveSignIns.csv'), ...caseFiles.slice(1)]) {
      await assert.rejects(generateReport(s, out, { replace: true }), (e: unknown) => e instanceof OutputRefused && /evidence|case folder/.test(e.message), out);
    }
  } finally {
    s.close();
    await s.db.closed;
  }
  for (const [p, h] of before) assert.equal(sha(p), h, `${p} changed`);
  const reopened = await CaseSession.open(f.caseDir);
  assert.equal(Number(await reopened.db.scalar('SELECT count(*) FROM signins')), 40);
  reopened.close();
  await reopened.db.closed;
  // No partial or temporary file was left anywhere.
  assert.deepEqual(readdirSync(f.evidenceDir).sort(), ['InteractiveSignIns.csv', 'sub']);
  assert.ok(!readdirSync(f.caseDir).some((n) => n.includes('.partial') || n.endsWith('.tmp')), readdirSync(f.caseDir).join(','));
});

test('report --out refuses an existing file unless --force, and writes into the case reports/ folder', async () => {
  const f = await fixture();
  await closed(f);
  const out = join(f.root, 'report.html');
  writeFileSync(out, 'an earlier report');
  const refused = signet(['report', '--case', f.caseDir, '--out', out]);
  assert.equal(refused.status, 1, refused.stderr);
  oneSentence(refused.stderr);
  assert.match(refused.stderr, /already exists.*--force/);
  assert.equal(readFileSync(out, 'utf8'), 'an earlier report');
  const forced = signet(['report', '--case', f.caseDir, '--out', out, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(readFileSync(out, 'utf8'), /^<!doctype html>/i);
  const s = await CaseSession.open(f.caseDir);
  try {
    await generateReport(s, join(f.caseDir, 'reports', 'r.html'));
    await assert.rejects(generateReport(s, join(f.caseDir, 'r.html')), /inside the case folder/);
  } finally {
    s.close();
    await s.db.closed;
  }
});

test('generate --out refuses existing files unless --force, and never writes into a case folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-gen-'));
  roots.push(root);
  const out = join(root, 'data');
  const gen = (seed: string, replace?: boolean) => generateDataset({ outDir: out, rows: 60, seed, shapes: ['portal-csv'], replace });
  await gen('signet');
  const files = readdirSync(out).sort();
  const hashes = files.map((n) => sha(join(out, n)));
  const again = signet(['generate', '--out', out, '--rows', '60', '--shapes', 'portal-csv', '--seed', 'other', '--quiet']);
  assert.equal(again.status, 1, again.stdout);
  oneSentence(again.stderr);
  assert.match(again.stderr, /already exists/);
  assert.deepEqual(readdirSync(out).sort(), files, 'no staging folder or partial file left');
  assert.deepEqual(files.map((n) => sha(join(out, n))), hashes);
  await gen('other', true);
  assert.deepEqual(readdirSync(out).sort(), files);
  assert.notDeepEqual(files.map((n) => sha(join(out, n))), hashes);

  const f = await fixture();
  await assert.rejects(generateDataset({ outDir: f.caseDir, rows: 60, shapes: ['portal-csv'], replace: true }), /inside the case folder/);
  assert.ok(!readdirSync(f.caseDir).some((n) => n.endsWith('.csv') || n.includes('generate')));
});

test('UI exports and Parquet exports refuse the case folder itself, and take its output folders', async () => {
  const f = await fixture();
  const view = { filter: { conditions: [] }, sort: [], columns: ['request_id'], format: 'csv' as const };
  await assert.rejects(exportView(f.session, { ...view, folder: f.caseDir }), /inside the case folder/);
  await assert.rejects(exportView(f.session, { ...view, folder: join(f.caseDir, '.import-tmp') }), /inside the case folder/);
  const ok = await exportView(f.session, view);
  assert.ok(ok.file.startsWith(join(f.caseDir, 'exports')));
  await assert.rejects(exportParquet(f.session, join(f.caseDir, 'parquet')), /inside the case folder/);
  await assert.rejects(exportParquet(f.session, f.evidenceDir), /evidence/);
  await assert.rejects(exportParquet(f.session, f.root), /evidence|case/);
  const p = await exportParquet(f.session, join(f.caseDir, 'exports', 'p1'));
  assert.ok(existsSync(join(p.dir, 'signet-export.json')));
  await assert.rejects(exportParquet(f.session, join(f.caseDir, 'exports', 'p1')), /not empty/);
  await exportParquet(f.session, join(f.caseDir, 'exports', 'p1'), { replace: true });
  await assert.rejects(generateReport(f.session, join(f.caseDir, 'case.duckdb'), { replace: true }), /inside the case folder/);
});

test('the rule compares real paths: a name reached another way is the same file', () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-target-'));
  roots.push(root);
  mkdirSync(join(root, 'ev'));
  writeFileSync(join(root, 'ev', 'a.csv'), 'x');
  symlinkSync(join(root, 'ev', 'a.csv'), join(root, 'alias.csv'));
  const cases = [{ dir: join(root, 'case'), sources: [{ path: join(root, 'ev', 'a.csv') }] }];
  for (const p of [join(root, 'ev', 'a.csv'), join(root, 'ev', '.', '..', 'ev', 'a.csv'), join(root, 'alias.csv')]) {
    assert.throws(() => checkOutputTarget(p, { cases, replace: true }), (e: unknown) => e instanceof OutputRefused && /evidence/.test(e.message));
  }
  assert.equal(checkOutputTarget(join(root, 'ev', 'b.csv'), { cases }), join(root, 'ev', 'b.csv'));
});

test('import --case refuses a folder that is neither empty nor a Signet case', async () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-import-target-'));
  roots.push(root);
  const collector = join(root, 'collector');
  mkdirSync(collector);
  writeFileSync(join(collector, 'manifest.json'), '{"tool":"collector","files":3}\n');
  writeFileSync(join(collector, 'audit.jsonl'), '{"collected":"2026-03-01"}\n');
  const evidence = join(root, 'InteractiveSignIns.csv');
  writeFileSync(evidence, csvText(HEADER_57, [1, 2, 3].map((i) => portalRow(signin(i)))));
  const before = readdirSync(collector).map((n) => sha(join(collector, n)));
  const r = signet(['import', '--case', collector, evidence]);
  assert.equal(r.status, 1, r.stdout);
  oneSentence(r.stderr);
  assert.match(r.stderr, /not empty and not a Signet case/);
  assert.deepEqual(readdirSync(collector).sort(), ['audit.jsonl', 'manifest.json']);
  assert.deepEqual(readdirSync(collector).map((n) => sha(join(collector, n))), before);
  // A new folder and an existing case still take imports.
  const fresh = await CaseSession.create(join(root, 'new-case'), 'test');
  fresh.close();
  await fresh.db.closed;
  const again = await CaseSession.create(join(root, 'new-case'), 'test');
  assert.equal(again.readOnly, null);
  again.close();
  await again.db.closed;
});
