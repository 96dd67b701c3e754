import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { freshCase, workDir } from '../support/fixtures/importHarness';

// A case made before `extra`, the kept fields and the 64-bit integer columns is upgraded in
// place when opened: its rows stay, the new columns exist (empty), and ASN and processing
// time become BIGINT so values above 2^31 fit.

test('opening a case made with the earlier sign-in table adds the new columns and widens ASN and latency to BIGINT', async () => {
  const dir = workDir('schema-upgrade');
  const s = await freshCase(dir);
  // Turn the fresh table back into the earlier one.
  for (const col of ['extra', 'original_request_id', 'agent', 'token_protection_status_details', 'graph_calls']) await s.db.run(`ALTER TABLE signins DROP COLUMN ${col}`);
  await s.db.run(`ALTER TABLE signins ALTER COLUMN autonomous_system_number SET DATA TYPE INTEGER`);
  await s.db.run(`ALTER TABLE signins ALTER COLUMN latency_ms SET DATA TYPE INTEGER`);
  await s.db.run(`ALTER TABLE graph_activity DROP COLUMN row_id`);
  await s.db.run(`INSERT INTO signins (row_id, request_id, autonomous_system_number, latency_ms) VALUES (1, 'old-row', 64500, 31)`);
  s.close();

  const reopened = await CaseSession.open(join(dir, 'case'));
  try {
    const types = Object.fromEntries(
      (await reopened.db.all<{ column_name: string; data_type: string }>(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'signins'`)).map((r) => [r.column_name, r.data_type]),
    );
    assert.equal(types.autonomous_system_number, 'BIGINT');
    assert.equal(types.latency_ms, 'BIGINT');
    assert.equal(types.agent, 'JSON');
    assert.equal(types.token_protection_status_details, 'JSON');
    assert.equal(types.extra, 'JSON');
    assert.equal(types.original_request_id, 'VARCHAR');
    assert.equal(types.graph_calls, 'INTEGER');
    assert.ok(Number(await reopened.db.scalar(`SELECT count(*) FROM duckdb_columns() WHERE table_name = 'graph_activity' AND column_name = 'row_id'`)) === 1);
    assert.deepEqual(await reopened.db.one(`SELECT request_id, autonomous_system_number, latency_ms, extra FROM signins`), { request_id: 'old-row', autonomous_system_number: '64500', latency_ms: '31', extra: null });
    await reopened.db.run(`UPDATE signins SET autonomous_system_number = 4200000001 WHERE row_id = 1`);
    assert.equal(await reopened.db.scalar(`SELECT autonomous_system_number FROM signins`), '4200000001');
  } finally {
    reopened.close();
  }
});
