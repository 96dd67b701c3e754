import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { appendAudit, auditHash, readAuditDb, readAuditJsonl, AUDIT_JSONL } from '../../electron/engine/custody/audit';
import { verifyCase } from '../../electron/engine/custody/verifyCase';
import { relinkSources } from '../../electron/engine/custody/relinkSources';
import { fixturesForThisFile, type Fixture } from './custody-fixture';

const fixture = fixturesForThisFile({ rows: 40 });

function jsonlLines(dir: string): string[] {
  return readFileSync(join(dir, AUDIT_JSONL), 'utf8').trimEnd().split('\n');
}

test('a fresh case verifies clean; the log starts with case-created and records the verify run', async () => {
  const f = await fixture();
  const r = await verifyCase(f.session);
  assert.deepEqual(r.problems, []);
  assert.equal(r.ok, true);
  assert.equal(r.sources.length, 2);
  assert.ok(r.sources.every((s) => s.status === 'ok' && s.actualSha256 === s.expectedSha256));
  const log = await readAuditDb(f.session);
  assert.equal(log[0]!.action, 'case-created');
  assert.equal(JSON.parse(log[0]!.detail).createdAt, f.session.manifest.createdAt);
  const last = log.at(-1)!;
  assert.equal(last.action, 'verify');
  assert.equal(JSON.parse(last.detail).ok, true);
  assert.ok(last.user.length > 0);
  assert.match(last.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(log.map((e) => e.seq), log.map((_, i) => i + 1));
  assert.equal(jsonlLines(f.caseDir).length, log.length);
});

test('overlapping appends are serialised into one contiguous, intact chain', async () => {
  const f = await fixture();
  await Promise.all(Array.from({ length: 25 }, (_, i) => appendAudit(f.session, { action: 'console-query', detail: { sql: `SELECT ${i}`, z: i, a: { y: 1, b: 2 } } })));
  const log = await readAuditDb(f.session);
  for (let i = 1; i < log.length; i++) {
    assert.equal(log[i]!.seq, log[i - 1]!.seq + 1);
    assert.equal(log[i]!.prevHash, log[i - 1]!.hash);
    assert.equal(log[i]!.hash, auditHash(log[i]!));
  }
  // Sorted keys: the stored detail is canonical whatever order the caller used.
  assert.match(log.at(-1)!.detail, /^\{"a":\{"b":2,"y":1\},"sql":"SELECT \d+","z":\d+\}$/);
  assert.equal((await verifyCase(f.session)).ok, true);
});

test('altering an entry in the case database is named by seq', async () => {
  const f = await fixture();
  await f.session.db.run(`UPDATE audit_log SET detail = '{"name":"other.csv"}' WHERE seq = 2`);
  const r = await verifyCase(f.session);
  assert.equal(r.ok, false);
  assert.ok(r.problems.some((p) => /seq 2 in the case database was altered/.test(p)), r.problems.join('\n'));
  assert.ok(r.problems.some((p) => /seq 2 differs between the case database and audit\.jsonl \(detail\)/.test(p)));
});

test('rewriting the whole database chain consistently still disagrees with the JSONL mirror', async () => {
  const f = await fixture();
  const log = await readAuditDb(f.session);
  let prev = '0'.repeat(64);
  for (const e of log) {
    const forged = { ...e, user: 'mallory', prevHash: prev };
    const hash = auditHash(forged);
    await f.session.db.run(`UPDATE audit_log SET user_name = ?, prev_hash = ?, hash = ? WHERE seq = ?`, [forged.user, prev, hash, e.seq]);
    prev = hash;
  }
  const r = await verifyCase(f.session);
  assert.equal(r.ok, false);
  assert.ok(r.problems.some((p) => /seq 1 differs between the case database and audit\.jsonl \(user, prev_hash, hash\)|seq 1 differs .*\(user, hash\)/.test(p)), r.problems.join('\n'));
  assert.ok(!r.problems.some((p) => /in the case database was altered/.test(p)), 'the forged chain is internally consistent');
});

test('altering a line of audit.jsonl is named by seq', async () => {
  const f = await fixture();
  const lines = jsonlLines(f.caseDir);
  const o = JSON.parse(lines[2]!) as { detail: Record<string, unknown> };
  o.detail = { ...o.detail, sha256: 'f'.repeat(64) };
  lines[2] = JSON.stringify(o);
  writeFileSync(join(f.caseDir, AUDIT_JSONL), lines.join('\n') + '\n');
  const r = await verifyCase(f.session);
  assert.equal(r.ok, false);
  assert.ok(r.problems.some((p) => /seq 3 in audit\.jsonl was altered/.test(p)), r.problems.join('\n'));
  assert.ok(r.problems.some((p) => /seq 3 differs between the case database and audit\.jsonl/.test(p)));
});

test('deleting an entry from the database, or a line from the JSONL, is named', async () => {
  const f = await fixture();
  await f.session.db.run(`DELETE FROM audit_log WHERE seq = 2`);
  const r = await verifyCase(f.session);
  assert.ok(r.problems.some((p) => /seq 2 is missing from the case database \(deleted\)/.test(p)), r.problems.join('\n'));
  assert.ok(r.problems.some((p) => /seq 2 is in audit\.jsonl but not in the case database/.test(p)));

  const g = await fixture();
  const lines = jsonlLines(g.caseDir);
  lines.splice(1, 1);
  writeFileSync(join(g.caseDir, AUDIT_JSONL), lines.join('\n') + '\n');
  const r2 = await verifyCase(g.session);
  assert.ok(r2.problems.some((p) => /seq 2 is missing from audit\.jsonl \(deleted\)/.test(p)), r2.problems.join('\n'));
  assert.ok(r2.problems.some((p) => /seq 2 is in the case database but not in audit\.jsonl/.test(p)));
});

test('deleting the newest entry from one store is caught by the other; garbage lines are named', async () => {
  const f = await fixture();
  const n = (await readAuditDb(f.session)).length;
  await f.session.db.run(`DELETE FROM audit_log WHERE seq = ?`, [n]);
  appendFileSync(join(f.caseDir, AUDIT_JSONL), 'not json\n');
  const r = await verifyCase(f.session);
  assert.ok(r.problems.some((p) => p.includes(`seq ${n} is in audit.jsonl but not in the case database`)), r.problems.join('\n'));
  assert.ok(r.problems.some((p) => /audit\.jsonl line \d+: not valid JSON/.test(p)));
});

test('changing one byte of a source, or removing it, fails verify naming the source', async () => {
  const f = await fixture();
  const p = f.sources[0]!.path;
  const buf = readFileSync(p);
  buf[0] = buf[0]! ^ 1;
  writeFileSync(p, buf);
  rmSync(f.sources[1]!.path);
  const r = await verifyCase(f.session);
  assert.equal(r.ok, false);
  assert.ok(r.problems.some((x) => x.startsWith('source InteractiveSignIns.csv has changed since import') && x.includes(f.sources[0]!.sha256)), r.problems.join('\n'));
  assert.ok(r.problems.some((x) => x.startsWith('source signins.json is missing')));
  assert.equal(r.sources[0]!.status, 'changed');
  assert.equal(r.sources[1]!.status, 'missing');
  const last = (await readAuditDb(f.session)).at(-1)!;
  assert.equal(last.action, 'verify');
  assert.equal(JSON.parse(last.detail).ok, false);
});

test('moved evidence relinks by hash (not by name), and the relink is audited', async () => {
  const f = await fixture();
  const moved = join(f.root, 'moved');
  renameSync(f.evidenceDir, moved);
  // A decoy with the same name and size but other bytes must not be taken.
  writeFileSync(join(moved, 'decoy.csv'), readFileSync(join(moved, 'InteractiveSignIns.csv'), 'utf8').replace('a', 'b'));
  assert.equal((await verifyCase(f.session)).ok, false);
  const r = await relinkSources(f.session, moved);
  assert.equal(r.relinked.length, 2);
  assert.deepEqual(r.notFound, []);
  assert.equal(r.relinked[0]!.to, join(moved, 'InteractiveSignIns.csv'));
  assert.equal(r.relinked[1]!.to, join(moved, 'sub', 'signins.json'));
  const reopened = JSON.parse(readFileSync(join(f.caseDir, 'manifest.json'), 'utf8')) as { sources: { path: string }[] };
  assert.equal(reopened.sources[1]!.path, join(moved, 'sub', 'signins.json'));
  const v = await verifyCase(f.session);
  assert.deepEqual(v.problems, []);
  const actions = (await readAuditDb(f.session)).map((e) => e.action);
  assert.ok(actions.includes('sources-relinked'));
});

test('relink names the sources it could not find', async () => {
  const f = await fixture();
  rmSync(f.sources[1]!.path);
  const r = await relinkSources(f.session, f.root);
  assert.deepEqual(r.notFound.map((n) => n.name), ['signins.json']);
  assert.equal(r.unchanged, 1);
});

test('signet verify exits 0 on a clean case and 1 naming each problem', async () => {
  const f = await fixture();
  f.session.close();
  const run = () => spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', 'verify', '--case', f.caseDir], { encoding: 'utf8' });
  const ok = run();
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Verified: 2 source\(s\) match/);
  const s = await CaseSession.open(f.caseDir);
  await s.db.run(`UPDATE audit_log SET action = 'nothing' WHERE seq = 1`);
  s.close();
  writeFileSync(f.sources[0]!.path, 'changed');
  const bad = run();
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /source InteractiveSignIns\.csv has changed since import/);
  assert.match(bad.stderr, /audit entry seq 1 in the case database was altered/);
  const json = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', 'verify', '--case', f.caseDir, '--json'], { encoding: 'utf8' });
  assert.equal(json.status, 1);
  assert.equal((JSON.parse(json.stdout) as { ok: boolean }).ok, false);
  const lines = await readAuditJsonl(f.caseDir);
  assert.ok(lines.every((l) => l.error === null));
});
