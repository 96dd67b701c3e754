import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Database } from '../../electron/engine/db/database';

test('rows read column by column equal the reader\'s own row objects, names de-duplicated the same way', async () => {
  const db = await Database.open(':memory:');
  try {
    const sql = `SELECT i AS a, i AS a, CASE WHEN i % 3 = 0 THEN NULL ELSE 'x' || i END AS s, [i, i + 1] AS l, {'k': i} AS st,
        CAST(i AS DECIMAL(10, 2)) AS d, TIMESTAMP '2026-10-01 00:00:00' + to_seconds(i) AS t, CAST('{"j": 1}' AS JSON) AS j, i % 2 = 0 AS b
      FROM range(5000) r(i)`;
    const expected = (await db.connection.runAndReadAll(sql)).getRowObjectsJson();
    assert.deepEqual(await db.all(sql), expected);
    assert.deepEqual(await db.all(`SELECT 1 AS x WHERE false`), []);
  } finally {
    db.close();
  }
});

test('a close waits for background work, which runs to its end', async () => {
  const db = await Database.open(':memory:');
  let finished: (n: unknown) => void = () => undefined;
  const result = new Promise((resolve) => (finished = resolve));
  db.background(async () => finished(await db.scalar(`SELECT count(*) FROM range(20000000) r(i) WHERE i % 7 = 0`)));
  db.close();
  assert.equal(Number(await result), 2857143);
  // Nothing new starts once closing.
  let ran = false;
  db.background(async () => {
    ran = true;
  });
  assert.equal(ran, false);
});

test('reopening a case that is still closing waits until its file is closed', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { Engine } = await import('../../electron/engine/engine');
  const { CaseSession } = await import('../../electron/engine/case/caseSession');
  const dir = mkdtempSync(join(tmpdir(), 'signet-reopen-'));
  (await CaseSession.create(dir, 'test')).close();
  const engine = new Engine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-reopen-data-')), appVersion: 'test', mode: 'browser' });
  try {
    const first = await engine.openCase(dir);
    let finished = false;
    first.db.background(async () => {
      await first.db.scalar(`SELECT count(*) FROM range(20000000) r(i) WHERE i % 7 = 0`);
      finished = true;
    });
    const second = await engine.openCase(dir);
    assert.equal(finished, true, 'the first database finished its work and closed before the second opened');
    assert.equal(Number(await second.db.scalar('SELECT count(*) FROM signins')), 0);
  } finally {
    const last = engine.current;
    engine.close();
    await last?.db.closed;
    rmSync(dir, { recursive: true, force: true });
  }
});
