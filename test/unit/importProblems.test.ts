import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, defaultCaseName } from '../../electron/engine/engine';
import { importProblems } from '../../electron/engine/import/importProblems';
import { readAuditDb } from '../../electron/engine/custody/audit';
import { readManifest } from '../../electron/engine/case/manifest';
import { verifyCase } from '../../electron/engine/custody/verifyCase';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { graphObject, portalRow, signin } from '../support/fixtures/signinFixtures';
import { workDir, writeEvidence } from '../support/fixtures/importHarness';

const portal = (rows: ReturnType<typeof signin>[]): string => csvText(HEADER_57, rows.map((s) => portalRow(s)));

function engineIn(dir: string): Engine {
  return new Engine({ dataDir: join(dir, 'data'), appVersion: 'test', mode: 'browser' });
}

/** Three files as a responder might be handed them: one clean, one with bad rows, one that is no export. */
function threeFiles(dir: string) {
  const good = writeEvidence(dir, 'InteractiveSignIns_good.csv', portal([1, 2, 3].map((i) => signin(i))));
  // Rows 2 and 3 have an unreadable time, row 4 none at all: three rejects, two reasons.
  const bad = writeEvidence(dir, 'InteractiveSignIns_bad.csv', portal([signin(10), signin(11, { time: 'yesterday' }), signin(12, { time: 'soon' }), signin(13, { time: '' })]));
  const refused = writeEvidence(dir, 'notes.txt', 'meeting notes, not an export\n');
  return { good, bad, refused };
}

test('import problems: a refused file with its reason, rejected records by reason with counts; clean files are not listed', async () => {
  const dir = workDir('problems');
  const engine = engineIn(dir);
  try {
    const f = threeFiles(dir);
    const id = engine.startImport([f.good, f.bad, f.refused]);
    const job = await engine.jobs.wait(id);
    assert.equal(job?.state, 'done', job?.error ?? '');
    const session = engine.requireCase();
    const problems = await importProblems(session);
    assert.deepEqual(problems.map((p) => [p.file, p.outcome]), [
      ['notes.txt', 'refused'],
      ['InteractiveSignIns_bad.csv', 'imported'],
    ]);
    const [refused, bad] = problems;
    assert.equal(refused!.path, f.refused);
    assert.match(refused!.reason ?? '', /notes\.txt/);
    assert.equal(bad!.read, 4);
    assert.equal(bad!.imported, 1);
    assert.equal(bad!.rejected, 3);
    assert.deepEqual(
      bad!.rejectedReasons.map((r) => [r.reason.replace(/:.*$/, ''), r.count]),
      [
        ['unparseable time in Date (UTC)', 2],
        ['no time in Date (UTC)', 1],
      ],
    );
    assert.equal(bad!.rejectedReasons.reduce((n, r) => n + r.count, 0), bad!.rejected);
    assert.match(bad!.rejectedReasons[0]!.example, /"(yesterday|soon)"/);
    assert.deepEqual(bad!.warnings, [], "the summary lines that name each rejected record are not warnings");
    // The job's result carries the same list for the window that shows the import's outcome.
    assert.deepEqual((job?.result as { problems: unknown }).problems, problems);
    // The refusal is in the audit log, as it is for an import from the command line.
    const audit = await readAuditDb(session);
    assert.ok(audit.some((a) => a.action === 'import-refused' && JSON.parse(a.detail).file === f.refused));
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('warnings the importer noted (a duplicate JSON key) are listed without repeating the rejects', async () => {
  const dir = workDir('warnings');
  const engine = engineIn(dir);
  try {
    // A Graph page whose record has the same key twice: read, with a warning.
    const text = JSON.stringify({ value: [graphObject(signin(1)), graphObject(signin(2))] }).replace('{"id":', '{"id":"first copy","id":');
    const la = writeEvidence(dir, 'graph.json', text);
    const id = engine.startImport([la]);
    const job = await engine.jobs.wait(id);
    assert.equal(job?.state, 'done', job?.error ?? '');
    const problems = await importProblems(engine.requireCase());
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0]!.rejected, 0);
    assert.ok(problems[0]!.warnings.some((w) => /duplicate key id; the last value is used/.test(w)), JSON.stringify(problems[0]!.warnings));
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a new case whose every file is refused is not kept: not in Recent, folder removed; the job still says why', async () => {
  const dir = workDir('refused-all');
  const engine = engineIn(dir);
  try {
    const only = writeEvidence(dir, 'empty.csv', '');
    const id = engine.startImport([only]);
    const job = await engine.jobs.wait(id);
    assert.equal(job?.state, 'done');
    const result = job?.result as { case: string | null; problems: Array<{ outcome: string; reason: string }> };
    assert.equal(result.case, null);
    assert.deepEqual(result.problems.map((p) => p.outcome), ['refused']);
    assert.match(result.problems[0]!.reason, /empty/);
    assert.equal(engine.current, null);
    assert.deepEqual(await engine.recentCases(), []);
    await engine.jobs.idle();
    for (let i = 0; i < 50 && existsSync(join(dir, 'data', 'cases')) && readdirSync(join(dir, 'data', 'cases')).length; i++) await new Promise((ok) => setTimeout(ok, 100));
    assert.deepEqual(readdirSync(join(dir, 'data', 'cases')), [], 'the empty case folder is removed');
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cancelled import into a new case leaves nothing in Recent', async () => {
  const dir = workDir('cancel-new');
  const engine = engineIn(dir);
  try {
    const file = writeEvidence(dir, 'InteractiveSignIns_1.csv', portal([1, 2].map((i) => signin(i))));
    const id = engine.startImport([file]);
    engine.jobs.cancel(id);
    const job = await engine.jobs.wait(id);
    assert.equal(job?.state, 'cancelled');
    assert.equal(engine.current, null);
    assert.deepEqual(await engine.recentCases(), []);
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('case names: the files\u2019 folder by default, the chosen name when given, renamable with an audit entry', async () => {
  const dir = workDir('names');
  const engine = engineIn(dir);
  try {
    const a = writeEvidence(dir, 'InteractiveSignIns_1.csv', portal([1].map((i) => signin(i))));
    const b = writeEvidence(dir, 'InteractiveSignIns_2.csv', portal([2].map((i) => signin(i))));
    assert.equal(defaultCaseName([a, b]), dir.split('/').pop());
    assert.equal(defaultCaseName([a]), 'InteractiveSignIns_1.csv');
    assert.equal(defaultCaseName([a, '/elsewhere/x.csv']), 'InteractiveSignIns_1.csv');

    await engine.jobs.wait(engine.startImport([a, b]));
    assert.equal(engine.requireCase().manifest.name, dir.split('/').pop());
    engine.closeCase();

    await engine.jobs.wait(engine.startImport([a, b], undefined, { caseName: '  Contoso BEC\n2026  ' }));
    const session = engine.requireCase();
    assert.equal(session.manifest.name, 'Contoso BEC 2026');
    assert.equal((await engine.recentCases())[0]?.name, 'Contoso BEC 2026');

    await engine.renameCase('Contoso BEC (final)');
    assert.equal((await readManifest(session.dir)).name, 'Contoso BEC (final)');
    assert.equal((await engine.recentCases())[0]?.name, 'Contoso BEC (final)');
    const renamed = (await readAuditDb(session)).filter((e) => e.action === 'case-renamed');
    assert.deepEqual(renamed.map((e) => JSON.parse(e.detail)), [{ from: 'Contoso BEC 2026', to: 'Contoso BEC (final)' }]);
    await assert.rejects(engine.renameCase('   '), /cannot be empty/);
    // The rename does not disturb the custody checks.
    const v = await verifyCase(session);
    assert.ok(v.ok, v.problems.join('\n'));
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

