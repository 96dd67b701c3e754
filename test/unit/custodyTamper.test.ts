import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { DuckDBInstance } from '../../electron/engine/db/duckdb';
import { verifyCase, type VerifyReport } from '../../electron/engine/custody/verifyCase';
import { importInto, workDir, writeEvidence } from '../support/fixtures/importHarness';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { createTag, tagRows } from '../../electron/engine/annotations/tags';
import { addNote } from '../../electron/engine/annotations/notes';

// A case is built through the real import, closed, then changed behind Signet's back with a
// DuckDB connection of the test's own (or by editing its files); verify must name each change.

const ROWS = 120;

function evidenceText(ips: (i: number) => string = (i) => `203.0.113.${i % 250}`): string {
  return csvText(
    HEADER_57,
    Array.from({ length: ROWS }, (_, i) => portalRow(signin(i + 1, { ip: ips(i + 1) }))),
  );
}

interface Built {
  caseDir: string;
  evidence: string;
}

async function buildCase(prefix: string, extra?: (s: CaseSession) => Promise<void>): Promise<Built> {
  const dir = workDir(prefix);
  const evidence = writeEvidence(dir, 'InteractiveSignIns_2026-10-01_2026-10-09.csv', evidenceText());
  const session = await CaseSession.create(join(dir, 'case'), 'test');
  try {
    const [s] = await importInto(session, [evidence]);
    assert.equal(s!.imported, ROWS);
    await extra?.(session);
  } finally {
    session.close();
    await session.db.closed;
  }
  return { caseDir: join(dir, 'case'), evidence };
}

/** Change the closed case's database with a connection that is not Signet's. */
async function tamper(caseDir: string, ...sql: string[]): Promise<void> {
  const inst = await DuckDBInstance.create(join(caseDir, 'case.duckdb'));
  const con = await inst.connect();
  try {
    for (const s of sql) await con.run(s);
  } finally {
    con.closeSync();
    inst.closeSync();
  }
}

async function verifyClosed(caseDir: string, expectHead?: string): Promise<VerifyReport> {
  const session = await CaseSession.open(caseDir);
  try {
    return await verifyCase(session, undefined, expectHead === undefined ? {} : { expectHead });
  } finally {
    session.close();
    await session.db.closed;
  }
}

function editManifest(caseDir: string, edit: (m: { sources: Array<Record<string, unknown>> }) => void): void {
  const path = join(caseDir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as { sources: Array<Record<string, unknown>> };
  edit(m);
  writeFileSync(path, JSON.stringify(m, null, 2) + '\n');
}

function problemsText(r: VerifyReport): string {
  return r.problems.join('\n');
}

test('an untouched imported case verifies clean and names every content table as matching its recorded checksum', async () => {
  const c = await buildCase('tamper-clean', async (s) => {
    const tag = await createTag(s, 'suspicious', '#ff0000');
    await tagRows(s, tag.tagId, { rowIds: [1, 2, 3] });
    await addNote(s, 2, 'looked at this');
  });
  const r = await verifyClosed(c.caseDir);
  assert.deepEqual(r.problems, []);
  assert.equal(r.ok, true);
  const signins = r.tables.find((t) => t.table === 'signins')!;
  assert.equal(signins.status, 'ok');
  assert.equal(signins.rows, ROWS);
  assert.equal(r.tables.find((t) => t.table === 'row_tags')!.rows, 3);
  assert.equal(r.tables.find((t) => t.table === 'row_notes')!.rows, 1);
  assert.match(r.head.hash, /^[0-9a-f]{64}$/);
});

test("one sign-in's ip_address edited in case.duckdb fails verify, naming the table, the recorded and the current checksum", async () => {
  const c = await buildCase('tamper-ip');
  await tamper(c.caseDir, `UPDATE signins SET ip_address = '198.51.100.66' WHERE row_id = (SELECT min(row_id) + 7 FROM signins)`);
  const r = await verifyClosed(c.caseDir);
  assert.equal(r.ok, false);
  assert.match(problemsText(r), /table signins has changed since audit entry seq \d+ \(import\) recorded it: recorded 120 rows, checksum -?\d+; now 120 rows, checksum -?\d+/);
  // The sources themselves are untouched: the problem is the database, not the evidence.
  assert.ok(r.sources.every((s) => s.status === 'ok'));
});

test('50 sign-ins deleted from case.duckdb fail verify with the recorded and the current row count', async () => {
  const c = await buildCase('tamper-delete');
  await tamper(c.caseDir, `DELETE FROM signins WHERE row_id IN (SELECT row_id FROM signins ORDER BY row_id LIMIT 50)`);
  const r = await verifyClosed(c.caseDir);
  assert.equal(r.ok, false);
  assert.match(problemsText(r), /table signins has changed .*recorded 120 rows, .*now 70 rows/);
});

test('a fake sign-in inserted into case.duckdb fails verify', async () => {
  const c = await buildCase('tamper-insert');
  await tamper(
    c.caseDir,
    `INSERT INTO signins SELECT * REPLACE (row_id + 100000 AS row_id, 'ffffffff-0000-4000-8000-000000000000' AS request_id, '192.0.2.1' AS ip_address) FROM signins ORDER BY row_id LIMIT 1`,
  );
  const r = await verifyClosed(c.caseDir);
  assert.equal(r.ok, false);
  assert.match(problemsText(r), /table signins has changed .*recorded 120 rows, .*now 121 rows/);
});

test('a row added to a table no action ever touched fails verify (the chain starts with every table recorded)', async () => {
  const c = await buildCase('tamper-untouched');
  await tamper(c.caseDir, `INSERT INTO saved_queries VALUES (99, 'planted', 'SELECT 1', NULL, now()::TIMESTAMP, now()::TIMESTAMP)`);
  const r = await verifyClosed(c.caseDir);
  assert.equal(r.ok, false);
  assert.match(problemsText(r), /table saved_queries has changed .*recorded 0 rows, checksum 0; now 1 rows/);
});

test('a tag applied outside Signet fails verify; the same tag applied through Signet does not', async () => {
  const c = await buildCase('tamper-tag', async (s) => {
    await createTag(s, 'reviewed', '#00ff00');
  });
  assert.equal((await verifyClosed(c.caseDir)).ok, true);
  await tamper(c.caseDir, `INSERT INTO row_tags SELECT row_id, 1, now()::TIMESTAMP FROM signins ORDER BY row_id LIMIT 2`);
  const r = await verifyClosed(c.caseDir);
  assert.equal(r.ok, false);
  assert.match(problemsText(r), /table row_tags has changed .*recorded 0 rows, .*now 2 rows/);
});

test('evidence replaced together with a matching edit of manifest.json fails verify: the chain still holds the original SHA-256', async () => {
  const c = await buildCase('tamper-replace');
  const original = createHash('sha256').update(readFileSync(c.evidence)).digest('hex');
  // Same rows, one address changed; the manifest is made to describe the new file exactly.
  const forged = evidenceText((i) => (i === 5 ? '198.51.100.5' : `203.0.113.${i % 250}`));
  writeFileSync(c.evidence, forged);
  const forgedSha = createHash('sha256').update(forged).digest('hex');
  editManifest(c.caseDir, (m) => {
    m.sources[0]!.sha256 = forgedSha;
    m.sources[0]!.bytes = Buffer.byteLength(forged);
    m.sources[0]!.mtimeMs = statSync(c.evidence).mtimeMs;
  });
  const r = await verifyClosed(c.caseDir);
  assert.equal(r.ok, false);
  const text = problemsText(r);
  assert.match(text, new RegExp(`source InteractiveSignIns_2026-10-01_2026-10-09\\.csv has changed since import: SHA-256 ${original} at import \\(recorded in audit entry seq \\d+\\), now ${forgedSha}`));
  assert.match(text, new RegExp(`manifest\\.json disagrees with audit entry seq \\d+ for source InteractiveSignIns_2026-10-01_2026-10-09\\.csv: SHA-256 ${original} in the chain, ${forgedSha} in manifest\\.json`));
});

test('counts edited in manifest.json fail verify, naming the count, the recorded and the listed value', async () => {
  const c = await buildCase('tamper-counts');
  editManifest(c.caseDir, (m) => {
    m.sources[0]!.imported = 119;
    m.sources[0]!.rejected = 1;
  });
  const r = await verifyClosed(c.caseDir);
  assert.equal(r.ok, false);
  assert.match(problemsText(r), /manifest\.json disagrees with audit entry seq \d+ for source .*: imported 120 in the chain, 119 in manifest\.json; rejected 0 in the chain, 1 in manifest\.json/);
});

test('a source removed from manifest.json, or one added to it, is named against the chain', async () => {
  const c = await buildCase('tamper-sources');
  let removed: Record<string, unknown> = {};
  editManifest(c.caseDir, (m) => {
    removed = m.sources.pop()!;
  });
  let r = await verifyClosed(c.caseDir);
  assert.equal(r.ok, false);
  assert.match(problemsText(r), /audit entry seq \d+ records the import of InteractiveSignIns_2026-10-01_2026-10-09\.csv .*but manifest\.json does not list it/);
  editManifest(c.caseDir, (m) => {
    m.sources.push(removed, { ...removed, id: 7, name: 'planted.csv' });
  });
  r = await verifyClosed(c.caseDir);
  assert.match(problemsText(r), /manifest\.json lists source planted\.csv \(id 7\), but no import of it is recorded in the audit chain/);
});

test('verify --expect-head: passes while the recorded head is in the chain, fails when the chain was cut back or rewritten', async () => {
  const c = await buildCase('tamper-head');
  const first = await verifyClosed(c.caseDir);
  assert.equal(first.ok, true);
  const head = first.head.hash;
  // The chain grows (another verify, a tag): the recorded head is still found.
  const later = await verifyClosed(c.caseDir, head);
  assert.equal(later.ok, true, problemsText(later));
  assert.equal(later.expectedHead?.foundSeq, first.head.seq);
  assert.equal(later.expectedHead?.entriesSince, 0);
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', 'verify', '--case', c.caseDir, ...args], { encoding: 'utf8' });
  const again = await verifyClosed(c.caseDir, head);
  assert.equal(again.ok, true);
  assert.match(again.expectedHead!.message, /the recorded head is audit entry seq \d+; 1 entry was appended since/);
  // Cut back: the newest entries are removed from both stores, consistently.
  await tamper(c.caseDir, `DELETE FROM audit_log WHERE seq >= ${first.head.seq}`);
  const lines = readFileSync(join(c.caseDir, 'audit.jsonl'), 'utf8').trimEnd().split('\n');
  writeFileSync(join(c.caseDir, 'audit.jsonl'), lines.slice(0, first.head.seq - 1).join('\n') + '\n');
  const cut = cli('--expect-head', head);
  assert.equal(cut.status, 1, cut.stdout);
  assert.match(cut.stderr, new RegExp(`the recorded head ${head} is not in the audit chain: the chain was cut back or rewritten`));
  assert.match(cut.stdout, /FAILED  expected head: /);
  assert.match(cut.stdout, /Chain head: seq \d+ [0-9a-f]{64}/);
  const noHead = await verifyClosed(c.caseDir);
  assert.equal(noHead.ok, true, 'without the recorded head, a consistently cut chain cannot be told apart');
  const bad = await verifyClosed(c.caseDir, 'not-a-hash');
  assert.equal(bad.ok, false);
  assert.match(problemsText(bad), /is not a SHA-256/);
});

test('the HTML report shows the chain head, and verify --expect-head accepts it later', async () => {
  const c = await buildCase('tamper-report');
  const session = await CaseSession.open(c.caseDir);
  let head = '';
  try {
    const { generateReport } = await import('../../electron/engine/report/generateReport');
    const report = await generateReport(session);
    const html = readFileSync(report.path, 'utf8');
    const m = /<dt>Audit chain head<\/dt><dd><span class="mono">([0-9a-f]{64})<\/span> \(seq (\d+)\)/.exec(html);
    assert.ok(m, 'the report has an "Audit chain head" line');
    head = m[1]!;
    assert.match(html, new RegExp(`signet verify --case DIR --expect-head ${head}`));
  } finally {
    session.close();
    await session.db.closed;
  }
  const r = await verifyClosed(c.caseDir, head);
  assert.equal(r.ok, true, problemsText(r));
  assert.ok(r.expectedHead!.entriesSince >= 1, 'the report entry came after the head it shows');
});

test('verify of a case another Signet holds reads a snapshot, records nothing and still prints the head', async () => {
  const c = await buildCase('tamper-readonly');
  const holder = await CaseSession.open(c.caseDir, { access: 'write' });
  try {
    const before = (await verifyCase(holder)).head;
    const reader = await CaseSession.open(c.caseDir);
    try {
      assert.ok(reader.readOnly, 'the second session is read-only');
      const r = await verifyCase(reader, undefined, { expectHead: before.hash });
      assert.equal(r.ok, true, problemsText(r));
      assert.deepEqual(r.head, before, 'nothing was appended: the head is the chain as it stands');
      assert.match(r.notes.join('\n'), /this run was not recorded in the audit log/);
    } finally {
      reader.close();
      await reader.db.closed;
    }
  } finally {
    holder.close();
    await holder.db.closed;
  }
});
