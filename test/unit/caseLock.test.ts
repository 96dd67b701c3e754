import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fixturesForThisFile, type Fixture } from './custody-fixture';
import { CaseSession, caseMedia } from '../../electron/engine/case/caseSession';
import { LOCK_FILE, lockHolder } from '../../electron/engine/case/caseLock';
import { runReadOnlyQuery, disposeConsole } from '../../electron/engine/sql/readOnlyQuery';
import { readAuditDb } from '../../electron/engine/custody/audit';
import { createTag } from '../../electron/engine/annotations/tags';
import { generateReport } from '../../electron/engine/report/generateReport';
import { csvText } from '../support/fixtures/csvText';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { portalRow, signin } from '../support/fixtures/signinFixtures';

const fixture = fixturesForThisFile({ rows: 40, beforeRemove: (f) => spawnSync('chattr', ['-R', '-i', f.root]) });

function signet(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', ...args], { encoding: 'utf8', timeout: 90_000 });
}

/** Open case.duckdb with DuckDB itself from another process, read-write, as any second writer would. */
function rawOpenFromAnotherProcess(dbFile: string): string {
  const probe = `require('@duckdb/node-api').DuckDBInstance.create(process.argv[1]).then((i) => { i.closeSync(); console.log('OPENED'); }, (e) => console.log('REFUSED ' + e.message))`;
  const r = spawnSync(process.execPath, ['-e', probe, dbFile], { encoding: 'utf8', timeout: 60_000 });
  return r.stdout.trim();
}

function evidenceFile(root: string): string {
  const p = join(root, 'more.csv');
  writeFileSync(p, csvText(HEADER_57, [7, 8].map((i) => portalRow(signin(i)))));
  return p;
}

test('after a console query the case is still locked against other processes, and a second writer is refused naming the holder', async () => {
  const f = await fixture();
  const result = await runReadOnlyQuery(f.session, 'SELECT count(*) AS n FROM signins');
  assert.ok(result);
  // DuckDB's own lock survived the console snapshot.
  assert.match(rawOpenFromAnotherProcess(join(f.caseDir, 'case.duckdb')), /^REFUSED .*lock/i);
  const r = signet(['import', '--case', f.caseDir, evidenceFile(f.root)]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(r.stderr.includes(`process ${process.pid} on ${hostname()}`), r.stderr);
  assert.match(r.stderr, /since \d{4}-\d\d-\d\dT/);
  assert.doesNotMatch(r.stderr, /TransactionContext|Conflicting lock|IO Error/);
  assert.equal(Number(await f.session.db.scalar('SELECT count(*) FROM signins')), 40);
  await disposeConsole(f.session);
});

test('other processes read an open case (info, query, export, report, verify) without disturbing its lock', async () => {
  const f = await fixture();
  await runReadOnlyQuery(f.session, 'SELECT 1');
  const auditBefore = (await readAuditDb(f.session)).length;
  const runs = [
    signet(['info', '--case', f.caseDir, '--json']),
    signet(['query', '--case', f.caseDir, 'SELECT count(*) AS n FROM signins']),
    signet(['export', '--case', f.caseDir, '--where', 'TRUE', '--out', join(f.root, 'rows.csv')]),
    signet(['report', '--case', f.caseDir, '--out', join(f.root, 'report.html')]),
    signet(['verify', '--case', f.caseDir]),
  ];
  for (const r of runs) {
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /TransactionContext|Conflicting lock/);
  }
  assert.equal((JSON.parse(runs[0]!.stdout) as { rowCount: number }).rowCount, 40);
  assert.match(runs[1]!.stdout, /"n":\s*"?40/);
  assert.equal(readFileSync(join(f.root, 'rows.csv'), 'utf8').trim().split('\n').length, 41);
  assert.match(runs[3]!.stderr, /read-only because it is open for changes in another Signet \(process \d+/);
  // Their copies of the file, made in other processes, left this process's lock in place.
  assert.match(rawOpenFromAnotherProcess(join(f.caseDir, 'case.duckdb')), /^REFUSED .*lock/i);
  // Nothing was written into the open case by the readers.
  assert.equal((await readAuditDb(f.session)).length, auditBefore);
  assert.equal(lockHolder(f.caseDir)?.pid, process.pid);
});

test('the lock is released on close, a dead holder on this host is taken over and recorded, a live or foreign one is not', async () => {
  const f = await fixture();
  assert.equal(lockHolder(f.caseDir)?.pid, process.pid);
  await assert.rejects(CaseSession.open(f.caseDir, { access: 'write' }), /already open for changes in another Signet \(process \d+/);
  f.session.close();
  await f.session.db.closed;
  assert.ok(!existsSync(join(f.caseDir, LOCK_FILE)));

  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout.trim());
  writeFileSync(join(f.caseDir, LOCK_FILE), JSON.stringify({ pid: deadPid, host: hostname(), since: '2026-01-01T00:00:00.000Z', app: 'Signet' }));
  const s = await CaseSession.open(f.caseDir, { access: 'write' });
  assert.equal(s.readOnly, null);
  const takeover = (await readAuditDb(s)).find((e) => e.action === 'case-lock-taken-over');
  assert.ok(takeover, 'the take-over is in the audit log');
  assert.match(takeover.detail, new RegExp(`"pid":${deadPid}`));
  s.close();
  await s.db.closed;

  writeFileSync(join(f.caseDir, LOCK_FILE), JSON.stringify({ pid: 4242, host: 'auditor-laptop', since: '2026-01-01T00:00:00.000Z', app: 'Signet' }));
  await assert.rejects(CaseSession.open(f.caseDir, { access: 'write' }), /process 4242 on auditor-laptop, Signet, since 2026-01-01T00:00:00.000Z/);
  const reader = await CaseSession.open(f.caseDir, { access: 'read' });
  assert.match(reader.readOnly ?? '', /process 4242 on auditor-laptop/);
  await assert.rejects(createTag(reader, 'x', '#000000'), /open read-only because it is open for changes in another Signet/);
  reader.close();
  await reader.db.closed;
  rmSync(join(f.caseDir, LOCK_FILE));
});

test('a case on write-protected media opens read-only: grid, query, report elsewhere and verify work; writes say why not', async () => {
  const f = await fixture();
  f.session.close();
  await f.session.db.closed;
  // Root ignores permission bits, but not the immutable attribute; where that is not
  // available the media check is stood in for.
  const immutable = spawnSync('chattr', ['-R', '+i', f.caseDir]).status === 0;
  const realCheck = caseMedia.writable;
  if (!immutable) caseMedia.writable = (dir) => (dir === f.caseDir ? false : realCheck(dir));
  try {
    const s = await CaseSession.open(f.caseDir, { access: 'app' });
    try {
      assert.match(s.readOnly ?? '', /cannot be written/);
      assert.equal(Number(await s.db.scalar('SELECT count(*) FROM signins')), 40);
      const page = await s.pager.page({ conditions: [] }, [{ column: 'time_utc', dir: 'asc' }], 0, 10);
      assert.equal(page.rows.length, 10);
      const q = await runReadOnlyQuery(s, 'SELECT count(*) AS n FROM signins');
      assert.ok(q);
      const elsewhere = mkdtempSync(join(tmpdir(), 'signet-ro-report-'));
      const r = await generateReport(s, join(elsewhere, 'report.html'));
      assert.ok(existsSync(r.path));
      rmSync(elsewhere, { recursive: true, force: true });
      await assert.rejects(generateReport(s), /open read-only because its folder cannot be written.*another folder/);
      await assert.rejects(createTag(s, 'x', '#000000'), /^Error: The case .* is open read-only because its folder cannot be written/);
      await disposeConsole(s);
    } finally {
      s.close();
      await s.db.closed;
    }
    if (immutable) {
      const verify = signet(['verify', '--case', f.caseDir]);
      assert.equal(verify.status, 0, verify.stdout + verify.stderr);
      const imp = signet(['import', '--case', f.caseDir, evidenceFile(f.root)]);
      assert.equal(imp.status, 1);
      assert.match(imp.stderr.trim(), /^The case .* is read-only because its folder cannot be written .*, so it cannot be changed\.$/);
    }
  } finally {
    caseMedia.writable = realCheck;
    spawnSync('chattr', ['-R', '-i', f.caseDir]);
  }
});

test('a holder that keeps no case.lock (another program) is met with a sentence, and readers still get a snapshot', async () => {
  const f = await fixture();
  f.session.close();
  await f.session.db.closed;
  const holdScript = `require('@duckdb/node-api').DuckDBInstance.create(process.argv[1]).then((i) => { console.log('HELD'); process.stdin.on('data', () => { i.closeSync(); process.exit(0); }); })`;
  const { spawn } = await import('node:child_process');
  const holder = spawn(process.execPath, ['-e', holdScript, join(f.caseDir, 'case.duckdb')], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d: Buffer) => (d.toString().includes('HELD') ? resolve() : undefined));
      holder.once('exit', () => reject(new Error('the holder exited')));
    });
    await assert.rejects(CaseSession.open(f.caseDir, { access: 'write' }), (e: unknown) => e instanceof Error && /already open for changes/.test(e.message) && !/Conflicting lock|IO Error/.test(e.message));
    const reader = await CaseSession.open(f.caseDir, { access: 'read' });
    assert.match(reader.readOnly ?? '', /another program/);
    assert.equal(Number(await reader.db.scalar('SELECT count(*) FROM signins')), 40);
    reader.close();
    await reader.db.closed;
    assert.ok(!existsSync(join(f.caseDir, LOCK_FILE)), 'the refused open left no lock behind');
  } finally {
    holder.stdin.write('x');
    await new Promise((r) => holder.once('exit', r));
  }
});
