import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipBuffer } from '../support/fixtures/zipWriter';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { verifyCase } from '../../electron/engine/custody/verifyCase';
import { hashZipEntry } from '../../electron/engine/custody/fileHash';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

test('archive entries verify by the hash of their inflated bytes, and a changed entry is named', async () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-custody-zip-'));
  try {
    const csv = Buffer.from('Date (UTC),Request ID\n2026-03-01T00:00:00Z,a\n');
    const zipPath = join(root, 'export.zip');
    writeFileSync(zipPath, zipBuffer([{ name: 'InteractiveSignIns.csv', data: csv }, { name: 'other.csv', data: Buffer.from('x\n') }]));
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
      writeFileSync(zipPath, zipBuffer([{ name: 'InteractiveSignIns.csv', data: changed }]));
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
