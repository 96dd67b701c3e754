import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { importFiles } from '../../electron/engine/import/importFiles';
import { readAuditDb } from '../../electron/engine/custody/audit';
import { verifyCase } from '../../electron/engine/custody/verifyCase';
import { CancelledError } from '../../electron/engine/jobs/jobRunner';
import { quietContext, workDir, writeEvidence } from '../support/fixtures/importHarness';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';

// Every file offered to a case leaves a trace in the audit log, whether it was imported,
// refused, could not be read, or the import was cancelled.

async function auditOf(session: CaseSession): Promise<Array<{ action: string; detail: Record<string, unknown> }>> {
  return (await readAuditDb(session)).map((r) => ({ action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

async function withCase(prefix: string, fn: (dir: string, session: CaseSession) => Promise<void>): Promise<void> {
  const dir = workDir(prefix);
  const session = await CaseSession.create(join(dir, 'case'), 'test');
  try {
    await fn(dir, session);
  } finally {
    session.close();
    await session.db.closed;
  }
}

test('refused files (empty, binary) are recorded in the audit log with the file and the reason', async () => {
  await withCase('audit-refused', async (dir, session) => {
    const empty = writeEvidence(dir, 'empty.csv', '');
    const binary = writeEvidence(dir, 'image.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0]));
    const good = writeEvidence(dir, 'InteractiveSignIns_2026-10-01_2026-10-09.csv', csvText(HEADER_57, [portalRow(signin(1)), portalRow(signin(2))]));
    const out = await importFiles(session, [empty, binary, good], quietContext());
    assert.equal(out.find((s) => s.file === good)!.imported, 2);
    const log = await auditOf(session);
    const refused = log.filter((e) => e.action === 'import-refused');
    assert.deepEqual(refused.map((e) => e.detail.file), [empty, binary]);
    assert.match(String(refused[0]!.detail.reason), /the file is empty \(0 bytes\)/);
    assert.match(String(refused[1]!.detail.reason), /binary content, not a text export/);
    assert.equal(log.filter((e) => e.action === 'import').length, 1);
    // Recording a refusal changes no content: the case still verifies.
    assert.deepEqual((await verifyCase(session)).problems, []);
  });
});

test('a file that cannot be read is recorded as a failed import with the reason', async () => {
  await withCase('audit-failed', async (dir, session) => {
    const missing = join(dir, 'gone.csv');
    const out = await importFiles(session, [missing], quietContext());
    assert.equal(out[0]!.imported, 0);
    const failed = (await auditOf(session)).filter((e) => e.action === 'import-failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.detail.file, missing);
    assert.match(String(failed[0]!.detail.reason), /gone\.csv: cannot be read \(.*ENOENT/);
  });
});

test('a cancelled import is recorded with its files, the reason and that nothing was kept', async () => {
  await withCase('audit-cancelled', async (dir, session) => {
    const a = writeEvidence(dir, 'InteractiveSignIns_a.csv', csvText(HEADER_57, Array.from({ length: 50 }, (_, i) => portalRow(signin(i + 1)))));
    const b = writeEvidence(dir, 'InteractiveSignIns_b.csv', csvText(HEADER_57, Array.from({ length: 50 }, (_, i) => portalRow(signin(i + 100)))));
    const ac = new AbortController();
    const ctx = quietContext(ac.signal, (p) => {
      if (p.message?.startsWith('Read')) ac.abort();
    });
    await assert.rejects(importFiles(session, [a, b], ctx), CancelledError);
    const cancelled = (await auditOf(session)).filter((e) => e.action === 'import-cancelled');
    assert.equal(cancelled.length, 1);
    assert.deepEqual(cancelled[0]!.detail.files, [a, b]);
    assert.equal(cancelled[0]!.detail.reason, 'cancelled by the user');
    assert.match(String(cancelled[0]!.detail.kept), /nothing/);
    assert.equal(Number(await session.db.scalar('SELECT count(*) FROM signins')), 0, 'the entry tells the truth: no rows were kept');
  });
});
