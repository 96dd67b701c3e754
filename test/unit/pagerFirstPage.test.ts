import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { ensureTextValues } from '../../electron/engine/query/textValues';
import type { FilterState, SortSpec } from '../../electron/engine/query/filterModel';
import { insertSyntheticRows } from '../support/gridFixture';

/**
 * The first pages of a sort or filter are read as a top-N before the view is built; they
 * must be the rows the view (and a direct ORDER BY) gives, NULLs and ties included, and
 * stay so after more rows arrive and after tags change.
 */
let s: CaseSession;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signet-firstpage-'));
  s = await CaseSession.create(dir, 'test');
  await insertSyntheticRows(s, 3000);
  // NULLs and blanks in the sorted columns, and some addresses that are not IPv4.
  await s.db.run(`UPDATE signins SET ip_address = NULL WHERE row_id % 7 = 0`);
  await s.db.run(`UPDATE signins SET ip_address = '2001:db8::' || (row_id % 13) WHERE row_id % 11 = 0`);
  await s.db.run(`UPDATE signins SET ip_address = 'not an address' WHERE row_id % 97 = 0`);
  await s.db.run(`UPDATE signins SET user_display_name = NULL WHERE row_id % 5 = 0`);
  await s.db.run(`UPDATE signins SET time_utc = NULL WHERE row_id % 301 = 0`);
  await s.db.run(`UPDATE signins SET latency_ms = NULL WHERE row_id % 9 = 0`);
});
after(async () => {
  s.close();
  await s.db.closed;
  rmSync(dir, { recursive: true, force: true });
});

const SORTS: SortSpec[] = [
  [{ column: 'ip_address', dir: 'asc' }],
  [{ column: 'ip_address', dir: 'desc' }],
  [{ column: 'user_display_name', dir: 'desc' }, { column: 'latency_ms', dir: 'asc' }],
  [{ column: 'time_utc', dir: 'desc' }],
  [{ column: 'latency_ms', dir: 'asc' }],
  [{ column: 'user_principal_name', dir: 'asc' }, { column: 'city', dir: 'desc' }],
];
const FILTERS: FilterState[] = [
  { conditions: [] },
  { conditions: [{ kind: 'values', column: 'status', values: ['failure', 'interrupted'] }, { kind: 'text', column: 'user_agent', op: 'contains', value: 'chrome/12' }] },
  { conditions: [{ kind: 'tag', tagIds: [1] }] },
];

/** Pages near the top, first before any view is built, then from the built view. */
async function checkAll(label: string): Promise<void> {
  for (const filter of FILTERS) {
    for (const sort of SORTS) {
      const windows = [
        [0, 100],
        [37, 137],
        [900, 1000],
      ] as const;
      const first = [];
      for (const [a, b] of windows) first.push(await s.pager.page(filter, sort, a, b, ['ip_address', 'latency_ms']));
      // Building the view (a position asks for it) makes pages rowid ranges of it.
      await s.pager.position(filter, sort, 1);
      for (const [i, [a, b]] of windows.entries()) {
        const viewed = await s.pager.page(filter, sort, a, b, ['ip_address', 'latency_ms']);
        const what = `${label}: ${JSON.stringify(filter.conditions.map((c) => c.kind))} ${JSON.stringify(sort)} [${a}, ${b})`;
        assert.equal(first[i]!.total, viewed.total, what);
        assert.deepEqual(first[i]!.rows, viewed.rows, what);
      }
    }
  }
}

test('a first page does not wait for the view of the whole sort, which is built afterwards', async () => {
  const d = mkdtempSync(join(tmpdir(), 'signet-firstpage-built-'));
  const c = await CaseSession.create(d, 'test');
  try {
    await insertSyntheticRows(c, 3000);
    // Every statement on the connections the pager opens from now on.
    const statements: string[] = [];
    const connect = c.db.connect.bind(c.db);
    c.db.connect = async () => {
      const con = await connect();
      const run = con.run.bind(con);
      con.run = ((sql: string, ...rest: unknown[]) => (statements.push(sql), (run as (...a: unknown[]) => ReturnType<typeof run>)(sql, ...rest))) as typeof con.run;
      return con;
    };
    const views = () => statements.filter((x) => /CREATE OR REPLACE TEMP TABLE _view_/.test(x)).length;
    c.changed();
    const sort: SortSpec = [{ column: 'user_display_name', dir: 'asc' }];
    const page = await c.pager.page({ conditions: [] }, sort, 0, 100);
    assert.equal(page.rows.length, 100);
    assert.equal(page.total, 3000);
    assert.equal(views(), 0, 'no view built before the first page is out');
    // A page further down needs the view; it is then built once and kept for the next.
    await c.pager.page({ conditions: [] }, sort, 2000, 2100);
    await c.pager.page({ conditions: [] }, sort, 0, 100);
    await c.pager.page({ conditions: [] }, sort, 1000, 1100);
    assert.equal(views(), 1);
  } finally {
    c.close();
    await c.db.closed;
    rmSync(d, { recursive: true, force: true });
  }
});

test('first pages equal the built view and the direct ORDER BY, with NULLs, before and after value lists, more rows and tags', async () => {
  await checkAll('strings');
  // Text sorts and filters decided on the value lists (address ranks, IN lists).
  await ensureTextValues(s.db, { dataVersion: s.dataVersion });
  s.changed();
  await checkAll('value lists');
  // The direct ORDER BY, for a sort of plain columns.
  const direct = (await s.db.all<{ row_id: string }>(`SELECT row_id FROM signins ORDER BY user_display_name DESC NULLS LAST, latency_ms ASC NULLS LAST, row_id LIMIT 100`)).map((r) => Number(r.row_id));
  s.changed();
  const page = await s.pager.page({ conditions: [] }, SORTS[2]!, 0, 100, []);
  assert.deepEqual(page.rows.map((r) => Number(r.row_id)), direct);
  // A second import (rows appended, some with the same values) and a tag change.
  await s.db.run(`INSERT INTO signins (row_id, time_utc, ip_address, user_display_name, user_principal_name, latency_ms, status, user_agent, source_file, source_record, source_shape, raw)
    SELECT 5000 + i, TIMESTAMP '2026-09-30 00:00:00' + to_seconds(i), CASE WHEN i % 3 = 0 THEN NULL ELSE '10.0.0.' || (i % 20) END, NULL, 'zed@contoso.example', i % 4,
      'failure', 'Chrome/120', 'second.csv', i, 'portal-csv', '{}' FROM range(1, 400) t(i)`);
  await s.db.run(`INSERT INTO tags (tag_id, name, color, created_at) VALUES (1, 'suspicious', 'red', now()::TIMESTAMP) ON CONFLICT DO NOTHING`);
  await s.db.run(`INSERT INTO row_tags (row_id, tag_id, tagged_at) SELECT row_id, 1, now()::TIMESTAMP FROM signins WHERE row_id % 4 = 1 ON CONFLICT DO NOTHING`);
  s.changed();
  await ensureTextValues(s.db, { dataVersion: s.dataVersion });
  await checkAll('after a second import and tags');
  const tagged = Number(await s.db.scalar(`SELECT count(*) FROM signins WHERE row_id IN (SELECT row_id FROM row_tags WHERE tag_id = 1)`));
  assert.ok(tagged > 500);
  assert.equal((await s.pager.page(FILTERS[2]!, SORTS[0]!, 0, 100)).total, tagged);
});

test('a text filter gives the same rows whether its values are listed as equalities or as an IN list', async () => {
  await ensureTextValues(s.db, { dataVersion: s.dataVersion });
  // Few values (ORed equalities) and many (an IN list): both must count as ILIKE does.
  for (const [column, value] of [
    ['user_agent', 'chrome/12'],
    ['request_id', 'req-00001'],
    ['session_id', 'sess-00'],
  ] as const) {
    const expected = Number(await s.db.scalar(`SELECT count(*) FROM signins WHERE ${column} ILIKE ?`, [`%${value}%`]));
    s.changed();
    const got = await s.pager.count({ conditions: [{ kind: 'text', column, op: 'contains', value }] });
    assert.equal(got, expected, `${column} contains ${value}`);
    const negated = await s.pager.count({ conditions: [{ kind: 'text', column, op: 'contains', value, negate: true }] });
    assert.equal(negated, Number(await s.db.scalar(`SELECT count(*) FROM signins`)) - expected, `${column} does not contain ${value}`);
  }
});
