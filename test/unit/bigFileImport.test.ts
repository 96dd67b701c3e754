import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { importFiles } from '../../electron/engine/import/importFiles';
import { CancelledError, type JobContext } from '../../electron/engine/jobs/jobRunner';
import { importInto, quietContext, withCase, workDir, writeEvidence } from '../support/fixtures/importHarness';
import { pythonCsvRecords, writeBigPortalCsv } from '../support/fixtures/bigEvidence';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { portalRow, signin } from '../support/fixtures/signinFixtures';

// One big file: its progress comes in as DuckDB reads it (not 0 until the end), and a
// Cancel part-way through it leaves the case as it was.

type Update = Parameters<JobContext['progress']>[0];

let work: string;
let big: string;
let bytes: number;

before(async () => {
  work = workDir('bigfile');
  big = join(work, 'InteractiveSignIns_big.csv');
  // About 68 MB: three of DuckDB's 32 MB read buffers.
  await writeBigPortalCsv(big, 130_000);
  bytes = statSync(big).size;
  assert.ok(bytes > 2 * 32_000_000, `${bytes} bytes`);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('one big CSV: bytes and rows read rise above 0 of the file before its import ends, and the rows match an independent count', async () => {
  await withCase('bigfile-progress', async (_dir, session) => {
    const updates: Update[] = [];
    const [summary] = await importFiles(session, [big], quietContext(undefined, (u) => updates.push(u)));
    const readingDone = updates.findIndex((u) => u.message?.startsWith('Read InteractiveSignIns_big.csv'));
    assert.ok(readingDone > 0, 'the end of the file is reported');
    const during = updates.slice(0, readingDone).filter((u) => u.message === 'Reading InteractiveSignIns_big.csv' && u.bytes);
    const partial = during.filter((u) => u.bytes!.done > 0 && u.bytes!.done < bytes);
    assert.ok(partial.length > 0, `progress while reading: ${during.map((u) => u.bytes!.done).join(', ')}`);
    // Bytes never go back while the file is read, and always name the file's size as the total.
    const seq = during.map((u) => u.bytes!.done);
    assert.deepEqual(seq, [...seq].sort((a, b) => a - b));
    assert.ok(during.every((u) => u.bytes!.total === bytes));
    const records = pythonCsvRecords(big);
    assert.equal(summary!.read, records);
    // Rows move with the bytes (estimated from the records per byte of the hashing pass):
    // part of the file read is that share of its records, give or take a tenth.
    for (const u of partial) {
      const share = u.bytes!.done / bytes;
      assert.ok(Math.abs((u.rows ?? 0) - share * records) <= 0.1 * records, `${u.rows} rows at ${u.bytes!.done} of ${bytes} bytes; ${records} records`);
    }
    assert.ok(partial.some((u) => (u.rows ?? 0) > 0 && (u.rows ?? 0) < records), `rows while reading: ${partial.map((u) => u.rows).join(', ')}`);
    assert.equal(summary!.imported, summary!.read);
  });
});

test('Cancel while one big CSV is read: the import stops before the end of the file and the case is exactly as before', async () => {
  await withCase('bigfile-cancel', async (dir, session) => {
    const small = writeEvidence(dir, 'InteractiveSignIns_1.csv', csvText(HEADER_57, [900_001, 900_002].map((i) => portalRow(signin(i)))));
    await importInto(session, [small]);
    const snapshot = async () => ({
      rows: await session.db.all(`SELECT row_id, request_id, source_id FROM signins ORDER BY row_id`),
      sources: await session.db.all(`SELECT * FROM sources ORDER BY id`),
      manifest: JSON.stringify(session.manifest),
      imports: await session.db.all(`SELECT seq, action FROM audit_log WHERE action = 'import' ORDER BY seq`),
      version: session.dataVersion,
    });
    const before = await snapshot();
    const controller = new AbortController();
    const after: Update[] = [];
    const ctx = quietContext(controller.signal, (u) => {
      if (controller.signal.aborted) after.push(u);
      else if (u.message === 'Reading InteractiveSignIns_big.csv' && (u.bytes?.done ?? 0) > 0) controller.abort();
    });
    await assert.rejects(importFiles(session, [big], ctx), CancelledError);
    assert.ok(controller.signal.aborted, 'cancelled while the file was being read');
    assert.ok(!after.some((u) => u.message?.startsWith('Read InteractiveSignIns_big.csv')), 'the file was never reported read after the cancel');
    assert.deepEqual(await snapshot(), before);
    const stopped = await session.db.all<{ detail: string }>(`SELECT detail::VARCHAR AS detail FROM audit_log WHERE action = 'import-cancelled'`);
    assert.equal(stopped.length, 1, 'the cancelled attempt is recorded, claiming nothing');
    assert.match(stopped[0]!.detail, /"kept":"nothing/);
  });
});
