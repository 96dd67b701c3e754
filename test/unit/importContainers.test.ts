import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { graphObject, portalRow, signin } from '../support/fixtures/signinFixtures';
import { zipBuffer } from '../support/fixtures/zipWriter';
import { importInto, withCase, writeEvidence } from '../support/fixtures/importHarness';
import { createHash } from 'node:crypto';

const portal = (ids: number[]): string => csvText(HEADER_57, ids.map((i) => portalRow(signin(i, { user: `Zoë ${i}` }))));
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

function utf16(text: string, bigEndian: boolean): Buffer {
  const le = Buffer.from('\uFEFF' + text, 'utf16le');
  if (!bigEndian) return le;
  const be = Buffer.from(le);
  be.swap16();
  return be;
}

test('UTF-16 LE and BE with BOM are transcoded, never next to the evidence', async () => {
  await withCase('utf16', async (dir, session) => {
    const le = writeEvidence(dir, 'InteractiveSignIns_le.csv', utf16(portal([1, 2]), false));
    const be = writeEvidence(dir, 'graph_be.json', utf16(JSON.stringify([graphObject(signin(3, { user: 'Łukasz 日本' }))]), true));
    const out = await importInto(session, [le, be]);
    assert.deepEqual(out.map((s) => [s.shape, s.imported]), [['portal-csv', 2], ['graph-json', 1]]);
    assert.deepEqual(
      (await session.db.all(`SELECT user_display_name FROM signins ORDER BY row_id`)).map((r) => r.user_display_name),
      ['Zoë 1', 'Zoë 2', 'Łukasz 日本'],
    );
    const { readdirSync } = await import('node:fs');
    assert.deepEqual(readdirSync(dir).sort(), ['InteractiveSignIns_le.csv', 'case', 'graph_be.json']);
    assert.equal(session.manifest.sources[0]!.encoding, 'utf-16le');
  });
});

test('.gz files are read with the hash of the compressed evidence', async () => {
  await withCase('gzip', async (dir, session) => {
    const body = gzipSync(Buffer.from(portal([1, 2, 3])));
    const gz = writeEvidence(dir, 'InteractiveSignIns.csv.gz', body);
    const ndgz = writeEvidence(dir, 'eh.ndjson.gz', gzipSync(Buffer.from([1, 2].map((i) => JSON.stringify(graphObject(signin(10 + i)))).join('\n'))));
    const out = await importInto(session, [gz, ndgz]);
    assert.deepEqual(out.map((s) => s.imported), [3, 2]);
    assert.equal(out[0]!.sha256, sha(body));
    assert.equal(session.manifest.sources[0]!.container, 'gzip');
  });
});

test('zip: each entry is its own source with its own hash; a non-export entry is refused alone', async () => {
  await withCase('zip', async (dir, session) => {
    const csv = portal([1, 2]);
    const json = JSON.stringify({ value: [graphObject(signin(3))] });
    const zip = writeEvidence(dir, 'export.zip', zipBuffer([{ name: 'InteractiveSignIns.csv', data: csv }, { name: 'notes/readme.txt', data: 'These are the logs you asked for.\nRegards' }, { name: 'graph.json', data: json }]));
    const out = await importInto(session, [zip]);
    assert.equal(out.length, 3);
    assert.deepEqual(out.map((s) => s.imported), [2, 0, 1]);
    assert.equal(out[0]!.sha256, sha(csv));
    assert.equal(out[2]!.sha256, sha(json));
    assert.match(out[1]!.errors[0]!, /export\.zip!notes\/readme\.txt: .*Expected an Entra sign-in export/);
    assert.deepEqual(session.manifest.sources.map((s) => s.entry), ['InteractiveSignIns.csv', 'graph.json']);
    assert.deepEqual((await session.db.all(`SELECT DISTINCT source_file FROM signins ORDER BY 1`)).map((r) => r.source_file), ['export.zip!InteractiveSignIns.csv', 'export.zip!graph.json']);
    const { verifySources } = await import('../../electron/engine/case/verifySources');
    const v = await verifySources(session);
    assert.equal(v.ok, true);
  });
});

test('zip entries that would inflate absurdly are refused with a clear message', async () => {
  await withCase('zipbomb', async (dir, session) => {
    const zip = writeEvidence(dir, 'bomb.zip', zipBuffer([{ name: 'huge.csv', data: 'a'.repeat(1000), declaredSize: 3_000_000_000 }]));
    const [s] = await importInto(session, [zip]);
    assert.equal(s!.read, 0);
    assert.match(s!.errors[0]!, /bomb\.zip!huge\.csv: entry "huge\.csv" has a compression ratio of \d+:1.*decompression bomb/);
  });
});

test('empty, binary, query-result and unknown files: clear errors, nothing else in the case changes', async () => {
  await withCase('bad-files', async (dir, session) => {
    const good = writeEvidence(dir, 'InteractiveSignIns.csv', portal([1]));
    await importInto(session, [good]);
    const rowsBefore = await session.db.all(`SELECT * EXCLUDE (raw) FROM signins ORDER BY row_id`);
    const sourcesBefore = JSON.stringify(session.manifest.sources);
    const empty = writeEvidence(dir, 'empty.csv', '');
    const blank = writeEvidence(dir, 'blank.json', '\uFEFF  \n');
    const binary = writeEvidence(dir, 'image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...Array(200).fill(0)]));
    const query = writeEvidence(dir, 'query.csv', '\uFEFFStartTime [UTC],EndTime [UTC],IPAddress,attempts\r\n"4/19/2021, 12:13:19.483 PM","4/19/2021, 12:16:34.877 PM",175.45.176.99,4\r\n');
    const other = writeEvidence(dir, 'other.json', JSON.stringify([{ name: 'x', value: 1 }]));
    const out = await importInto(session, [empty, blank, binary, query, other]);
    assert.deepEqual(out.map((s) => s.read), [0, 0, 0, 0, 0]);
    assert.match(out[0]!.errors[0]!, /empty\.csv: the file is empty/);
    assert.match(out[1]!.errors[0]!, /blank\.json: is empty/);
    assert.match(out[2]!.errors[0]!, /image\.png: binary content, not a text export/);
    assert.match(out[3]!.errors[0]!, /query\.csv: is a CSV with columns StartTime \[UTC\], EndTime \[UTC\], IPAddress, attempts: it looks like a query result/);
    assert.match(out[4]!.errors[0]!, /other\.json: holds JSON records with fields name, value: not sign-in records/);
    assert.deepEqual(await session.db.all(`SELECT * EXCLUDE (raw) FROM signins ORDER BY row_id`), rowsBefore);
    assert.equal(JSON.stringify(session.manifest.sources), sourcesBefore);
    assert.equal(await session.db.scalar(`SELECT count(*) FROM rejected_rows`), '0');
  });
});

test('overlapping exports: identical records stored once, every file remembered; differing copies kept and flagged', async () => {
  await withCase('dups', async (dir, session) => {
    const a = writeEvidence(dir, 'InteractiveSignIns_week1.csv', portal([1, 2, 3]));
    const b = writeEvidence(dir, 'InteractiveSignIns_week1_again.csv', csvText(HEADER_57, [2, 3, 4].map((i) => portalRow(signin(i, { user: `Zoë ${i}`, ...(i === 3 ? { ip: '198.51.100.77' } : {}) })))));
    const out = await importInto(session, [a, b]);
    assert.deepEqual(out.map((s) => [s.read, s.imported, s.duplicates, s.rejected]), [[3, 3, 0, 0], [3, 2, 1, 0]]);
    const prov = await session.db.all(`SELECT p.source_file, p.source_record, p.first_seen FROM row_provenance p JOIN signins s USING (row_id) WHERE s.request_id = $1 ORDER BY first_seen DESC`, [signin(2).id]);
    assert.deepEqual(prov, [
      { source_file: 'InteractiveSignIns_week1.csv', source_record: '3', first_seen: true },
      { source_file: 'InteractiveSignIns_week1_again.csv', source_record: '2', first_seen: false },
    ]);
    const three = await session.db.all(`SELECT ip_address, request_conflict FROM signins WHERE request_id = $1 ORDER BY row_id`, [signin(3).id]);
    assert.deepEqual(three, [{ ip_address: '203.0.113.3', request_conflict: true }, { ip_address: '198.51.100.77', request_conflict: true }]);
    // Importing the same file again adds nothing but provenance.
    const [again] = await importInto(session, [a]);
    assert.deepEqual([again!.read, again!.imported, again!.duplicates], [3, 0, 3]);
    assert.equal(await session.db.scalar(`SELECT count(*) FROM signins`), '5');
  });
});
