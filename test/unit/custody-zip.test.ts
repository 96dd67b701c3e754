import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { verifyCase } from '../../electron/engine/custody/verifyCase';
import { hashZipEntry } from '../../electron/engine/custody/fileHash';

/** A minimal stored (uncompressed) zip, enough to exercise entry hashing. */
function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

test('archive entries verify by the hash of their inflated bytes, and a changed entry is named', async () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-custody-zip-'));
  try {
    const csv = Buffer.from('Date (UTC),Request ID\n2026-03-01T00:00:00Z,a\n');
    const zipPath = join(root, 'export.zip');
    writeFileSync(zipPath, storedZip([{ name: 'InteractiveSignIns.csv', data: csv }, { name: 'other.csv', data: Buffer.from('x\n') }]));
    assert.deepEqual(await hashZipEntry(zipPath, 'InteractiveSignIns.csv'), { sha256: sha(csv), bytes: csv.length });
    await assert.rejects(hashZipEntry(zipPath, 'absent.csv'), /entry "absent.csv" is not in/);

    const session = await CaseSession.create(join(root, 'case'), 'test');
    session.manifest.sources = [
      { id: 1, path: zipPath, name: 'export.zip', entry: 'InteractiveSignIns.csv', sha256: sha(csv), bytes: csv.length, mtimeMs: 0, shape: 'portal-csv', logType: 'interactive', read: 1, imported: 1, duplicates: 0, rejected: 0, errors: [], importedAt: '2026-03-02T00:00:00.000Z' },
    ];
    await session.saveManifest();
    try {
      assert.deepEqual((await verifyCase(session)).problems, []);
      const changed = Buffer.from(csv);
      changed[changed.length - 2] = 'b'.charCodeAt(0);
      writeFileSync(zipPath, storedZip([{ name: 'InteractiveSignIns.csv', data: changed }]));
      const r = await verifyCase(session);
      assert.equal(r.sources[0]!.status, 'changed');
      assert.match(r.problems[0]!, /source export\.zip!InteractiveSignIns\.csv has changed since import/);
    } finally {
      session.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
