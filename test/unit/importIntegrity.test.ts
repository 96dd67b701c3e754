import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { csvText } from '../support/fixtures/csvText';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { zipBuffer } from '../support/fixtures/zipWriter';
import { importInto, withCase, workDir, writeEvidence } from '../support/fixtures/importHarness';

// The bytes hashed are the bytes imported: a container cut short or damaged is said to be,
// and what came before the damage is imported and counted.

const portal = (from: number, n: number): string =>
  csvText(HEADER_57, Array.from({ length: n }, (_, i) => portalRow(signin(from + i, { userAgent: `agent ${(from + i) * 7919}` }))));

/** Python's reading of a gzip cut short: [records, records with every cell]. */
function pythonPrefix(path: string): { records: number; whole: number } {
  const py = String.raw`
import csv, io, json, sys, zlib
d = zlib.decompressobj(16 + zlib.MAX_WBITS)
text = d.decompress(open(sys.argv[1], 'rb').read()).decode('utf-8', 'replace')
rows = [r for r in csv.reader(io.StringIO(text, newline=''))][1:]
rows = [r for r in rows if r]
print(json.dumps({'records': len(rows), 'whole': sum(1 for r in rows if len(r) == 57)}))
`;
  const r = spawnSync('python3', ['-c', py, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { records: number; whole: number };
}

test('a .gz cut in the middle: incomplete, named, the records before the cut imported and counted; the CLI exits 1', async () => {
  await withCase('gzcut', async (dir, session) => {
    const full = gzipSync(Buffer.from(portal(1, 400)));
    const cut = writeEvidence(dir, 'InteractiveSignIns_cut.csv.gz', full.subarray(0, Math.floor(full.length / 2)));
    const [s] = await importInto(session, [cut]);
    const py = pythonPrefix(cut);
    assert.ok(py.whole > 50 && py.whole < 400, `the fixture cuts mid-file (${py.whole})`);
    assert.match(s!.incomplete ?? '', /truncated/);
    assert.match(s!.errors[0]!, /InteractiveSignIns_cut\.csv\.gz: incomplete: .*truncated/);
    assert.deepEqual([s!.read, s!.imported], [py.records, py.whole]);
    assert.match(session.manifest.sources[0]!.incomplete ?? '', /truncated/);
  });
  const dir = workDir('gzcut-cli');
  const full = gzipSync(Buffer.from(portal(1, 400)));
  const cut = writeEvidence(dir, 'InteractiveSignIns_cut.csv.gz', full.subarray(0, Math.floor(full.length / 2)));
  const whole = writeEvidence(dir, 'InteractiveSignIns_whole.csv.gz', gzipSync(Buffer.from(portal(1000, 5))));
  const run = (files: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', 'import', '--case', join(dir, 'case'), ...files], { encoding: 'utf8', timeout: 120_000 });
  const ok = run([whole]);
  assert.equal(ok.status, 0, ok.stderr);
  const r = run([cut]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /InteractiveSignIns_cut\.csv\.gz: incomplete: .*truncated/);
});

test('a zip entry failing its CRC is imported as incomplete, named; the whole entry beside it is not', async () => {
  await withCase('zipcrc', async (dir, session) => {
    const zip = zipBuffer([
      { name: 'InteractiveSignIns_a.csv', data: portal(1, 20) },
      { name: 'InteractiveSignIns_b.csv', data: portal(100, 30) },
    ]);
    // The second central-directory record's CRC (offset 16) no longer matches its data.
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 4);
    zip.writeUInt32LE((zip.readUInt32LE(central + 16) ^ 0xdeadbeef) >>> 0, central + 16);
    const file = writeEvidence(dir, 'export.zip', zip);
    const out = await importInto(session, [file]);
    assert.deepEqual(out.map((s) => [s.imported, s.incomplete === undefined]), [[20, true], [30, false]]);
    assert.match(out[1]!.incomplete!, /CRC/);
    assert.match(out[1]!.errors[0]!, /export\.zip!InteractiveSignIns_b\.csv: incomplete: .*CRC/);
    assert.deepEqual(session.manifest.sources.map((s) => s.incomplete === undefined), [true, false]);
  });
});

test('a file changed while it is imported is not recorded with one hash and another file\'s rows: its import is rolled back, named', async () => {
  const { readFileSync, statSync, utimesSync, writeFileSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const { importFiles } = await import('../../electron/engine/import/importFiles');
  const { quietContext } = await import('../support/fixtures/importHarness');
  await withCase('changed', async (dir, session) => {
    const target = writeEvidence(dir, 'InteractiveSignIns_target.csv', portal(1, 30));
    const other = writeEvidence(dir, 'InteractiveSignIns_other.csv', portal(500, 10));
    const original = createHash('sha256').update(readFileSync(target)).digest('hex');
    const out = await importFiles(session, [target, other], quietContext(), {
      beforeSourceRead: (path) => {
        if (path !== target) return;
        // Same length, one address changed, modification time set back: only the change time tells.
        const st = statSync(target);
        writeFileSync(target, readFileSync(target, 'utf8').replace('203.0.113.5,', '203.0.113.9,'));
        utimesSync(target, st.atime, st.mtime);
      },
    });
    assert.notEqual(createHash('sha256').update(readFileSync(target)).digest('hex'), original, 'the hook changed the file');
    assert.deepEqual(out.map((s) => s.imported), [0, 10]);
    assert.match(out[0]!.errors[0]!, /InteractiveSignIns_target\.csv: the file changed while it was being imported/);
    assert.equal(await session.db.scalar(`SELECT count(*) FROM signins WHERE source_file = 'InteractiveSignIns_target.csv'`), '0');
    assert.deepEqual(session.manifest.sources.map((s) => s.name), ['InteractiveSignIns_other.csv']);
  });
});
