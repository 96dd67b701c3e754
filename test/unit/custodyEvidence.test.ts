import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { getRecord } from '../../electron/engine/query/rowDetail';
import { importInto, workDir, writeEvidence } from '../support/fixtures/importHarness';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';

// The detail pane reads a row's original record back from the evidence. A same-length edit
// with the modification time put back must never be shown as the record that was imported.

async function recordOf(session: CaseSession, requestId: string): Promise<Record<string, unknown>> {
  const rowId = Number(await session.db.scalar(`SELECT row_id FROM signins WHERE request_id = ?`, [requestId]));
  const rec = await getRecord(session, rowId);
  assert.ok(rec);
  return rec as Record<string, unknown>;
}

/** Change one byte of the file in place, keeping its length, then put its times back. */
function editSameLength(path: string, from: string, to: string): void {
  assert.equal(Buffer.byteLength(from), Buffer.byteLength(to));
  const st = statSync(path);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from));
  writeFileSync(path, text.replace(from, to));
  utimesSync(path, st.atimeMs / 1000, st.mtimeMs / 1000);
  assert.ok(Math.abs(statSync(path).mtimeMs - st.mtimeMs) < 0.01, 'mtime restored');
  assert.equal(statSync(path).size, st.size);
}

test('a same-length edit of the evidence with its mtime restored is never shown as read from the evidence file', async () => {
  const dir = workDir('evidence-hash');
  const rows = Array.from({ length: 40 }, (_, i) => portalRow(signin(i + 1)));
  const file = writeEvidence(dir, 'InteractiveSignIns_2026-10-01_2026-10-09.csv', csvText(HEADER_57, rows));
  const target = String(rows[9]!['Request ID']);
  const ip = String(rows[9]!['IP address']);
  let session = await CaseSession.create(join(dir, 'case'), 'test');
  try {
    await importInto(session, [file]);
    const before = await recordOf(session, target);
    assert.equal(before.raw_error, undefined, String(before.raw_error));
    assert.match(String(before.raw_origin), /read from the evidence file; its SHA-256 was checked this session and matches the import/);
    assert.equal((JSON.parse(String(before.raw)) as Record<string, unknown>)['IP address'], ip);

    // The same session has checked this file already: the edit must still be noticed.
    const forgedIp = ip.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
    editSameLength(file, `,${ip},`, `,${forgedIp},`);
    const after = await recordOf(session, target);
    assert.equal(after.raw_origin, undefined, 'a changed file is not named as the origin');
    assert.match(String(after.raw_error), /is not the file that was imported: its SHA-256 is now [0-9a-f]{64}, the import recorded [0-9a-f]{64}/);
    assert.ok(after.raw === null || after.raw === undefined || !String(after.raw).includes(forgedIp), 'the forged value is not shown');
  } finally {
    session.close();
    await session.db.closed;
  }

  // A fresh session (nothing cached) refuses it too.
  session = await CaseSession.open(join(dir, 'case'));
  try {
    const again = await recordOf(session, target);
    assert.match(String(again.raw_error), /is not the file that was imported/);
  } finally {
    session.close();
    await session.db.closed;
  }
});

test('the file is hashed once per session while it is unchanged', async () => {
  const dir = workDir('evidence-hash-once');
  const rows = Array.from({ length: 20 }, (_, i) => portalRow(signin(i + 1)));
  const file = writeEvidence(dir, 'InteractiveSignIns_2026-10-01_2026-10-09.csv', csvText(HEADER_57, rows));
  const session = await CaseSession.create(join(dir, 'case'), 'test');
  try {
    await importInto(session, [file]);
    const { checkEvidenceHash } = await import('../../electron/engine/evidence/evidenceCheck');
    const source = session.manifest.sources[0]!;
    const st = statSync(file);
    const a = checkEvidenceHash(session, source, st);
    const b = checkEvidenceHash(session, source, st);
    assert.equal(a, b, 'the second request shares the first check');
    assert.equal((await a).ok, true);
    assert.equal((await a).expected, source.sha256);
  } finally {
    session.close();
    await session.db.closed;
  }
});
