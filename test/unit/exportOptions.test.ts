import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { Engine } from '../../electron/engine/engine';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import { insertSyntheticRows } from '../support/gridFixture';

/** The CSV as Python's csv module reads it (BOM dropped): an independent reader. */
function readCsv(file: string): string[][] {
  const r = spawnSync('python3', ['-c', 'import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))))', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[][];
}

test('grid export: column titles as the header, tags and notes as columns, only the selected rows', async () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-export-options-'));
  const s = await CaseSession.create(join(root, 'case'), 'test', 'export options');
  await insertSyntheticRows(s, 40);
  await s.db.run(`INSERT INTO tags VALUES (1, 'phish', '#d93025', now()), (2, '=cmd', '#188038', now())`);
  await s.db.run(`INSERT INTO row_tags VALUES (3, 1, now()), (3, 2, now()), (5, 1, now())`);
  await s.db.run(`INSERT INTO row_notes VALUES (1, 3, 'called the user', now(), now()), (2, 3, 'MFA reset', now() + INTERVAL 1 SECOND, now())`);
  s.close();
  const engine = new Engine({ dataDir: join(root, 'data'), appVersion: 'test', mode: 'browser' });
  try {
    await engine.openCase(join(root, 'case'));
    const out = await dispatch(
      handlerTable,
      'exportView',
      {
        filter: { conditions: [] },
        sort: [{ column: 'row_id', dir: 'asc' }],
        columns: ['row_id', 'time_utc', 'ip_address'],
        format: 'csv',
        folder: join(root, 'out'),
        headerTitles: true,
        annotations: true,
        rowIds: [3, 4, 5],
      },
      { engine, transport: 'bridge' },
    );
    assert.ok(out.ok, JSON.stringify(out));
    const rows = readCsv((out.result as { file: string }).file);
    assert.deepEqual(rows[0], ['Row', 'Date (UTC)', 'IP address', 'Tags', 'Notes']);
    assert.deepEqual(
      rows.slice(1).map((r) => [r[0], r[3], r[4]]),
      [
        ['3', "'=cmd; phish", 'called the user; MFA reset'],
        ['4', '', ''],
        ['5', 'phish', ''],
      ],
      'only the selected rows, with their tags (formula-neutralised) and notes',
    );
  } finally {
    engine.close();
  }
});
