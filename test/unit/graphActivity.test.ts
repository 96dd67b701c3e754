import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import { freshCase, importInto, workDir } from '../support/fixtures/importHarness';
import { graphActivityFixture } from '../support/fixtures/graphActivityFixture';

// The seed's join both ways: a sign-in's unique token identifier is the SignInActivityId of
// the Graph requests its token made. The counts are checked against Python's reading of the
// two exports, not against the importer.

const PY_JOIN = String.raw`
import csv, json, sys
from collections import Counter
calls = Counter(r['SignInActivityId'] for r in csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')))
page = json.load(open(sys.argv[1], encoding='utf-8'))
print(json.dumps({r['id']: calls.get(r.get('uniqueTokenIdentifier') or '', 0) for r in page['value']}))
`;

type Page = { rows: Array<Record<string, unknown>>; total: number; tableTotal: number };

test('Graph activity: sign-ins count their Graph calls, the view pages and filters them, and each call leads back to its sign-in', async () => {
  const dir = workDir('graph-activity');
  const fx = await graphActivityFixture(dir);
  const py = spawnSync('python3', ['-c', PY_JOIN, fx.signins, fx.activity], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const expected = JSON.parse(py.stdout) as Record<string, number>;
  // Graph activity first: the counts must not depend on the order the exports are imported in.
  const session = await freshCase(dir);
  await importInto(session, [fx.activity]);
  await importInto(session, [fx.signins]);
  session.close();
  const engine = new Engine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-ga-data-')), appVersion: 'test', mode: 'browser' });
  await engine.openCase(join(dir, 'case'));
  const call = async <T>(method: string, args: unknown): Promise<T> => {
    const r = await dispatch(handlerTable, method, args, { engine, transport: 'bridge' as const });
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.result as T;
  };
  try {
    const rows = await call<{ rows: Array<Record<string, unknown>> }>('getRows', { filter: { conditions: [] }, sort: [], start: 0, end: 1000, columns: ['request_id', 'graph_calls', 'unique_token_identifier'] });
    assert.equal(rows.rows.length, Object.keys(expected).length);
    for (const r of rows.rows) {
      const want = expected[String(r.request_id)]!;
      assert.equal(r.graph_calls, want === 0 ? null : want, `graph calls of ${String(r.request_id)}`);
    }
    // Sortable and filterable like any column.
    const busiest = await call<Page>('getRows', { filter: { conditions: [{ kind: 'number', column: 'graph_calls', min: 1 }] }, sort: [{ column: 'graph_calls', dir: 'desc' }], start: 0, end: 100, columns: ['graph_calls'] });
    assert.equal(busiest.total, Object.values(expected).filter((n) => n > 0).length);
    assert.equal(busiest.rows[0]!.graph_calls, Math.max(...Object.values(expected)));

    // The view: every request, paged; a sign-in's calls by its token.
    const all = await call<Page>('graphRows', { filter: { conditions: [] }, sort: [{ column: 'time_utc', dir: 'asc' }], start: 0, end: 100 });
    const totalCalls = Object.values(expected).reduce((a, b) => a + b, 0) + 2;
    assert.equal(all.total, totalCalls);
    assert.equal(all.tableTotal, totalCalls);
    assert.equal(new Set(all.rows.map((r) => r.row_id)).size, totalCalls, 'each request has its own row id');
    const uti = fx.linkedUtis[3]!;
    const mine = await call<Page>('graphRows', { filter: { conditions: [{ kind: 'text', column: 'sign_in_activity_id', op: 'equals', value: uti, caseSensitive: true }] }, sort: [], start: 0, end: 100 });
    assert.equal(mine.total, 4);
    const page2 = await call<Page>('graphRows', { filter: { conditions: [], search: 'users?$top' }, sort: [{ column: 'time_utc', dir: 'desc' }], start: 1, end: 3 });
    assert.ok(page2.rows.every((r) => String(r.request_uri).includes('users?$top')));
    const methods = await call<{ values: Array<{ value: string; count: number }> }>('graphValues', { column: 'request_method', filter: { conditions: [] } });
    assert.deepEqual(methods.values.map((v) => v.value).sort(), ['GET', 'POST']);

    // Back from a call to the sign-in whose token made it; an orphan call has none.
    const detail = await call<{ record: Record<string, unknown>; signInRowIds: number[] }>('graphDetail', { rowId: Number(mine.rows[0]!.row_id) });
    assert.equal(detail.record.sign_in_activity_id, uti);
    assert.ok(String(detail.record.raw).includes(uti), 'the raw record is shown');
    assert.equal(detail.signInRowIds.length, 1);
    const back = await call<Page>('getRows', { filter: { conditions: [{ kind: 'rows', rowIds: detail.signInRowIds }] }, sort: [], start: 0, end: 10, columns: ['unique_token_identifier'] });
    assert.equal(back.rows[0]!.unique_token_identifier, uti);
    const orphan = await call<Page>('graphRows', { filter: { conditions: [{ kind: 'text', column: 'request_id', op: 'startsWith', value: 'orphan-' }] }, sort: [], start: 0, end: 10 });
    const none = await call<{ signInRowIds: number[] }>('graphDetail', { rowId: Number(orphan.rows[0]!.row_id) });
    assert.deepEqual(none.signInRowIds, []);

    // Only the view's own columns reach SQL; sign-in tags mean nothing here.
    await assert.rejects(call('graphRows', { filter: { conditions: [{ kind: 'text', column: 'user_principal_name', op: 'equals', value: 'x' }] }, sort: [], start: 0, end: 10 }), /Unknown column/);
    await assert.rejects(call('graphRows', { filter: { conditions: [{ kind: 'tag', tagIds: [1] }] }, sort: [], start: 0, end: 10 }), /cannot use a tag/);
  } finally {
    engine.close();
  }
});
