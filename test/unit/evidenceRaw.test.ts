import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, utimesSync } from 'node:fs';
import { importInto, rawOf, withCase, writeEvidence } from '../support/fixtures/importHarness';
import { graphObject, portalRow, signin } from '../support/fixtures/signinFixtures';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { getRecord } from '../../electron/engine/query/rowDetail';
import { LINE_STEP, VALUE_STEP } from '../../electron/engine/evidence/recordIndex';

// Imported rows keep no copy of their record in the case: the detail pane reads it back from
// the evidence through the record positions noted while hashing. These tests read records on
// both sides of those positions and check each against what was written.

const N = 2 * LINE_STEP + 300;

/** Every 97th sign-in has a failure reason spanning three lines, so lines and records part ways. */
function csvSignins(): Array<Record<string, string | number>> {
  return Array.from({ length: N }, (_, i) => {
    const row = portalRow(signin(i + 1));
    if (i % 97 === 5) row['Failure reason'] = `line one of ${i}\nline two, with "quotes"\nline three ]}{`;
    return row;
  });
}

test('CSV: a row far past the first position mark reads back as the record written, multi-line cells included', async () => {
  await withCase('raw-csv', async (dir, session) => {
    const rows = csvSignins();
    const file = writeEvidence(dir, 'InteractiveSignIns_2026.csv', csvText(HEADER_57, rows));
    const [s] = await importInto(session, [file]);
    assert.equal(s!.imported, N);
    assert.equal(Number(await session.db.scalar(`SELECT count(raw) FROM signins`)), 0, 'no record copied into the case');
    for (const i of [0, 5, LINE_STEP - 2, LINE_STEP + 5 * 97 + 5, 2 * LINE_STEP + 7, N - 1]) {
      const want = rows[i]!;
      const { raw, origin } = await rawOf(session, `request_id = '${String(want['Request ID'])}'`);
      for (const h of HEADER_57) {
        const v = want[h];
        assert.equal(raw[h], v === undefined || v === '' ? null : String(v), `record ${i}, column ${h}`);
      }
      assert.match(origin, /^InteractiveSignIns_2026\.csv, line \d+ \(read from the evidence file/);
    }
  });
});

test('JSON array, pretty-printed: records on both sides of the position marks, brackets and escapes inside strings', async () => {
  await withCase('raw-array', async (dir, session) => {
    const count = 2 * VALUE_STEP + 40;
    const objs = Array.from({ length: count }, (_, i) => {
      const o = graphObject(signin(i + 1));
      o.userAgent = `agent "${i}" ]}{[ \\ with "escapes"`;
      return o;
    });
    const file = writeEvidence(dir, 'SignIns_graph_pretty.json', JSON.stringify(objs, null, 2));
    const [s] = await importInto(session, [file]);
    assert.equal(s!.imported, count);
    assert.equal(Number(await session.db.scalar(`SELECT count(raw) FROM signins`)), 0);
    for (const i of [0, 1, VALUE_STEP - 1, VALUE_STEP, VALUE_STEP + 1, 2 * VALUE_STEP + 3, count - 1]) {
      const { raw, origin } = await rawOf(session, `request_id = '${String(objs[i]!.id)}'`);
      assert.deepEqual(raw, objs[i], `record ${i + 1}`);
      assert.match(origin, new RegExp(`record ${i + 1} \\(read from the evidence file`));
    }
  });
});

test('a page written one record per line: the line is read back without its separating comma', async () => {
  await withCase('raw-pagelines', async (dir, session) => {
    const objs = Array.from({ length: 30 }, (_, i) => graphObject(signin(i + 1)));
    const text = `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":[\n${objs.map((o) => JSON.stringify(o)).join(',\n')}\n]}\n`;
    const file = writeEvidence(dir, 'SignInLogs_page.json', text);
    await importInto(session, [file]);
    const { raw, origin } = await rawOf(session, `request_id = '${String(objs[17]!.id)}'`);
    assert.deepEqual(raw, objs[17]);
    assert.match(origin, /line 19 /);
  });
});

test('a changed, moved or foreign evidence file is never shown as the record: the detail says why', async () => {
  await withCase('raw-changed', async (dir, session) => {
    const rows = Array.from({ length: 5 }, (_, i) => portalRow(signin(i + 1)));
    const file = writeEvidence(dir, 'InteractiveSignIns_x.csv', csvText(HEADER_57, rows));
    await importInto(session, [file]);
    const rowId = Number(await session.db.scalar(`SELECT row_id FROM signins WHERE source_record = 3`));

    // Same size and time, other content: the SHA-256 check catches it before any record is read.
    const swapped = csvText(HEADER_57, [rows[0]!, rows[2]!, rows[1]!, rows[3]!, rows[4]!]);
    const { mtime } = await import('node:fs').then((fs) => fs.statSync(file));
    writeEvidence(dir, 'InteractiveSignIns_x.csv', swapped);
    utimesSync(file, mtime, mtime);
    let rec = await getRecord(session, rowId);
    assert.match(String(rec!.raw_error), /is not the file that was imported: its SHA-256 is now/);
    assert.equal(rec!.raw, null);

    appendFileSync(file, 'tail\n');
    rec = await getRecord(session, rowId);
    assert.match(String(rec!.raw_error), /has changed since it was imported/);

    renameSync(file, `${file}.moved`);
    rec = await getRecord(session, rowId);
    assert.match(String(rec!.raw_error), /is not there any more; relink/);
    assert.equal(rec!.user_principal_name, 'user2@contoso.example', 'the imported columns are still shown');
  });
});

test('keepRaw copies every record into the case, and the detail says it came from the case', async () => {
  await withCase('raw-keep', async (dir, session) => {
    const rows = Array.from({ length: 12 }, (_, i) => portalRow(signin(i + 1)));
    const file = writeEvidence(dir, 'InteractiveSignIns_keep.csv', csvText(HEADER_57, rows));
    await importInto(session, [file], { keepRaw: true });
    assert.equal(Number(await session.db.scalar(`SELECT count(raw) FROM signins`)), 12);
    const { raw, origin } = await rawOf(session, `source_record = 4`);
    assert.equal(raw['Request ID'], rows[2]!['Request ID']);
    assert.equal(origin, 'kept in the case');
  });
});
