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
import { importInto } from '../support/fixtures/importHarness';
import { graphObject, signin } from '../support/fixtures/signinFixtures';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

test('archive entries verify by the hash of their inflated bytes, and a changed entry is named', async () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-custody-zip-'));
  try {
    const csv = Buffer.from(JSON.stringify({ value: [graphObject(signin(1))] }));
    const zipPath = join(root, 'export.zip');
    writeFileSync(zipPath, zipBuffer([{ name: 'signins.json', data: csv }, { name: 'readme.txt', data: Buffer.from('x\n') }]));
    assert.deepEqual(await hashZipEntry(zipPath, 'signins.json'), { sha256: sha(csv), bytes: csv.length });
    await assert.rejects(hashZipEntry(zipPath, 'absent.csv'), /entry "absent.csv" is not in/);

    // Imported for real: verify checks the manifest against the import recorded in the audit chain.
    const session = await CaseSession.create(join(root, 'case'), 'test');
    const [summary] = await importInto(session, [zipPath]);
    assert.equal(summary!.sha256, sha(csv));
    assert.equal(session.manifest.sources[0]!.entry, 'signins.json');
    try {
      assert.deepEqual((await verifyCase(session)).problems, []);
      const changed = Buffer.from(csv);
      changed[changed.length - 2] = 'b'.charCodeAt(0);
      writeFileSync(zipPath, zipBuffer([{ name: 'signins.json', data: changed }]));
      const r = await verifyCase(session);
      assert.equal(r.sources[0]!.status, 'changed');
      assert.match(r.problems[0]!, /source export\.zip!signins\.json has changed since import/);
    } finally {
      session.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
