import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { graphObject, portalRow, signin } from '../support/fixtures/signinFixtures';
import { importInto, quietContext, withCase, workDir, writeEvidence } from '../support/fixtures/importHarness';
import { importFiles } from '../../electron/engine/import/importFiles';
import { CancelledError } from '../../electron/engine/jobs/jobRunner';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { verifySources } from '../../electron/engine/case/verifySources';
import { commands } from '../../electron/cli/commands';

const portal = (ids: number[]): string => csvText(HEADER_57, ids.map((i) => portalRow(signin(i))));

test('cancelling an import leaves the case exactly as it was', async () => {
  await withCase('cancel', async (dir, session) => {
    const first = writeEvidence(dir, 'InteractiveSignIns_1.csv', portal([1, 2]));
    await importInto(session, [first]);
    const before = {
      rows: await session.db.all(`SELECT row_id, request_id, source_file FROM signins ORDER BY row_id`),
      sources: await session.db.all(`SELECT id, name FROM sources ORDER BY id`),
      manifest: JSON.stringify(session.manifest),
      version: session.dataVersion,
    };
    const b = writeEvidence(dir, 'InteractiveSignIns_2.csv', portal([3, 4]));
    const c = writeEvidence(dir, 'graph.json', JSON.stringify([graphObject(signin(5))]));
    const controller = new AbortController();
    // Cancel once the first new file is in (inside the transaction), before the second.
    const ctx = quietContext(controller.signal, (u) => {
      if (u.message?.startsWith('Read InteractiveSignIns_2.csv')) controller.abort();
    });
    await assert.rejects(importFiles(session, [b, c], ctx), CancelledError);
    assert.deepEqual(await session.db.all(`SELECT row_id, request_id, source_file FROM signins ORDER BY row_id`), before.rows);
    assert.deepEqual(await session.db.all(`SELECT id, name FROM sources ORDER BY id`), before.sources);
    assert.equal(JSON.stringify(session.manifest), before.manifest);
    assert.equal(session.dataVersion, before.version);
    const tmp = join(session.dir, '.import-tmp');
    assert.deepEqual(existsSync(tmp) ? readdirSync(tmp) : [], [], 'scratch files are removed');
    // The case still works afterwards.
    const [again] = await importInto(session, [b]);
    assert.equal(again!.imported, 2);
  });
});

test('rows an import committed before the app stopped, and never named in the manifest, are gone on reopening', async () => {
  const dir = workDir('leftover');
  let session = await CaseSession.create(join(dir, 'case'), 'test');
  const first = writeEvidence(dir, 'InteractiveSignIns_1.csv', portal([1, 2, 3]));
  await importInto(session, [first]);
  const before = await session.db.all(`SELECT row_id, request_id FROM signins ORDER BY row_id`);
  // What a cut-short import leaves: its bulk rows (not yet numbered) and a source the manifest never got.
  await session.db.run(`INSERT INTO signins (request_id, source_id, source_file) VALUES ('cut-short', 2, 'InteractiveSignIns_2.csv')`);
  await session.db.run(`INSERT INTO sources (id, name) VALUES (2, 'InteractiveSignIns_2.csv')`);
  await session.db.run(`INSERT INTO rejected_rows (source_id, source_file, source_record, reason, raw) VALUES (2, 'InteractiveSignIns_2.csv', 9, 'x', 'y')`);
  session.close();
  session = await CaseSession.open(join(dir, 'case'));
  try {
    assert.deepEqual(await session.db.all(`SELECT row_id, request_id FROM signins ORDER BY row_id`), before);
    assert.deepEqual(await session.db.all(`SELECT id FROM sources ORDER BY id`), [{ id: 1 }]);
    assert.equal(Number(await session.db.scalar(`SELECT count(*) FROM rejected_rows`)), 0);
  } finally {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reopening a case needs no re-import (evidence may even be gone) and verify notices', async () => {
  const dir = workDir('reopen');
  const file = writeEvidence(dir, 'InteractiveSignIns.csv', portal([1, 2, 3]));
  const s1 = await CaseSession.create(join(dir, 'case'), 'test');
  await importInto(s1, [file]);
  const changedBefore = s1.dataVersion;
  assert.ok(changedBefore > 0, 'session.changed() after an import');
  s1.close();
  rmSync(file);
  const s2 = await CaseSession.open(join(dir, 'case'));
  try {
    assert.equal(await s2.db.scalar(`SELECT count(*) FROM signins`), '3');
    assert.equal(s2.manifest.sources.length, 1);
    const v = await verifySources(s2);
    assert.equal(v.ok, false);
    assert.deepEqual(v.sources.map((x) => x.status), ['missing']);
  } finally {
    s2.close();
  }
});

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', ...args], { encoding: 'utf8', cwd: process.cwd() });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run a command in-process (the same code the entry point calls), capturing its output. */
async function inProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const [name, ...rest] = args;
  const command = commands.find((c) => c.name === name)!;
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    return { status: await command.run(rest), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('CLI import/info: exit codes, one JSON object, messages on stderr', async () => {
  const dir = workDir('cli');
  const caseDir = join(dir, 'case');
  const good = writeEvidence(dir, 'InteractiveSignIns.csv', portal([1, 2]) + 'ragged,row\n');
  const bad = writeEvidence(dir, 'notes.txt', 'hello, world\nthis is not a log\n');

  // Through the real entry point: a usage error exits 2.
  const usage = cli(['import', good]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--case is required/);

  const mixed = await inProcess(['import', '--case', caseDir, '--json', good, bad]);
  assert.equal(mixed.status, 1, mixed.stderr);
  const parsed = JSON.parse(mixed.stdout) as { case: string; files: Array<Record<string, unknown>> };
  assert.equal(parsed.case, caseDir);
  assert.deepEqual(Object.keys(parsed.files[0]!).sort(), ['bytes', 'duplicates', 'errors', 'file', 'imported', 'log_type', 'log_type_reason', 'read', 'rejected', 'sha256', 'shape', 'unmapped_fields'].sort());
  assert.deepEqual([parsed.files[0]!.read, parsed.files[0]!.imported, parsed.files[0]!.rejected], [3, 2, 1]);
  assert.equal(parsed.files[1]!.read, 0);
  assert.match(mixed.stderr, /notes\.txt/);

  const ok = await inProcess(['import', '--case', caseDir, good]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /read 3 = imported 0 \+ duplicates 2 \+ rejected 1/);

  const info = await inProcess(['info', '--case', caseDir, '--json']);
  assert.equal(info.status, 0, info.stderr);
  const i = JSON.parse(info.stdout) as { rowCount: number; sources: unknown[]; byLogType: Array<{ logType: string; rows: number }>; firstUtc: string };
  assert.equal(i.rowCount, 2);
  assert.equal(i.sources.length, 2);
  assert.deepEqual(i.byLogType, [{ logType: 'interactive', rows: 2 }]);
  assert.equal(i.firstUtc, '2026-10-02T01:11:21.012345Z');
  await assert.rejects(inProcess(['import', '--case']), /--case needs a folder/);
});
