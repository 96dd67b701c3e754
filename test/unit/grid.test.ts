import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import { errorMeaning } from '../../electron/engine/reference/aadsts';
import { insertSyntheticRows } from '../support/gridFixture';
import { ensureTextValues, sortRanks } from '../../electron/engine/query/textValues';

let engine: Engine;
const ctx = () => ({ engine, transport: 'bridge' as const });
async function call<T = Record<string, unknown>>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(handlerTable, method, args, ctx());
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-grid-'));
  const s = await CaseSession.create(dir, 'test');
  await insertSyntheticRows(s, 1000);
  await s.db.run(`INSERT INTO auth_details (request_id, step, step_time_utc, method, succeeded, result_detail) VALUES
    ('req-00000010', 1, TIMESTAMP '2026-10-01 00:06:10', 'Password', false, 'Invalid password'),
    ('req-00000010', 2, TIMESTAMP '2026-10-01 00:06:11', 'Text message', false, 'MFA denied')`);
  await s.db.run(`INSERT INTO graph_activity (time_utc, sign_in_activity_id, request_method, request_uri, response_status_code) VALUES
    (TIMESTAMP '2026-10-01 00:07:00', 'uti-00000011', 'GET', 'https://graph.microsoft.com/v1.0/me/messages', 200),
    (TIMESTAMP '2026-10-01 00:07:05', 'uti-00000011', 'GET', 'https://graph.microsoft.com/v1.0/users', 403),
    (TIMESTAMP '2026-10-01 00:08:00', 'uti-00000012', 'GET', 'https://graph.microsoft.com/v1.0/me', 200)`);
  s.close();
  engine = new Engine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-grid-data-')), appVersion: 'test', mode: 'browser' });
  await engine.openCase(dir);
});
after(() => engine.close());

type Page = { rows: Record<string, unknown>[]; total: number; caseTotal: number };

test('pages after a sort match the same ORDER BY done directly, at every offset', async () => {
  const sort = [
    { column: 'user_display_name', dir: 'desc' },
    { column: 'latency_ms', dir: 'asc' },
  ];
  const db = engine.requireCase().db;
  const all = (await db.all<{ row_id: string }>(`SELECT row_id FROM signins ORDER BY user_display_name DESC NULLS LAST, latency_ms ASC NULLS LAST, row_id`)).map((r) => Number(r.row_id));
  for (const start of [0, 100, 537, 900, 999]) {
    const page = await call<Page>('getRows', { filter: { conditions: [] }, sort, start, end: start + 100, columns: ['user_display_name', 'latency_ms'] });
    assert.equal(page.total, 1000);
    assert.equal(page.caseTotal, 1000);
    assert.deepEqual(page.rows.map((r) => Number(r.row_id)), all.slice(start, start + 100), `offset ${start}`);
  }
  // A different sort is a different view; the first row changes.
  const asc = await call<Page>('getRows', { filter: { conditions: [] }, sort: [{ column: 'time_utc', dir: 'asc' }], start: 0, end: 1 });
  const desc = await call<Page>('getRows', { filter: { conditions: [] }, sort: [{ column: 'time_utc', dir: 'desc' }], start: 0, end: 1 });
  assert.equal(asc.rows[0]!.row_id, '1');
  assert.equal(desc.rows[0]!.row_id, '1000');
  assert.equal(asc.rows[0]!.time_utc, '2026-10-01T00:00:37.000000Z');
});

test('filtered pages and counts; search through the index', async () => {
  const filter = { conditions: [{ kind: 'values', column: 'status', values: ['failure'] }], search: 'tokyo' };
  const page = await call<Page>('getRows', { filter, sort: [{ column: 'time_utc', dir: 'asc' }], start: 0, end: 1000, columns: ['city', 'status'] });
  const expected = Array.from({ length: 1000 }, (_, k) => k + 1).filter((i) => i % 10 === 0 && i % 5 === 4);
  assert.deepEqual(page.rows.map((r) => Number(r.row_id)), expected);
  assert.equal(page.total, expected.length);
  const counts = await call<{ total: number; caseTotal: number }>('countRows', { filter: { conditions: [{ kind: 'values', column: 'status', values: ['failure'] }] } });
  assert.deepEqual(counts, { total: 100, caseTotal: 1000 });
  const past = await call<Page>('getRows', { filter: { conditions: [] }, sort: [], start: 5000, end: 5100 });
  assert.equal(past.rows.length, 0);
});

test('distinct values with counts, searching inside the list, under a filter', async () => {
  const r = await call<{ values: { value: string | null; count: number }[]; distinct: number }>('distinctValues', { column: 'city', filter: { conditions: [] } });
  assert.equal(r.distinct, 5);
  assert.equal(r.values.reduce((a, v) => a + v.count, 0), 1000);
  const s = await call<{ values: { value: string | null; count: number }[] }>('distinctValues', { column: 'city', filter: { conditions: [{ kind: 'values', column: 'status', values: ['failure'], exclude: true }] }, search: 'O' });
  assert.deepEqual(s.values.map((v) => v.value).sort(), ['Lagos', 'São Paulo', 'Tokyo']);
  const pct = await call<{ values: unknown[] }>('distinctValues', { column: 'city', filter: { conditions: [] }, search: '%' });
  assert.equal(pct.values.length, 0, 'a % typed in the values search is literal');
  const n = await call<{ values: { value: string | null }[] }>('distinctValues', { column: 'error_code', filter: { conditions: [] } });
  assert.deepEqual(n.values.map((v) => v.value).sort(), ['0', '50074', '50126']);
});

test('detail: record, error meaning, AuthDetails rows, CA policies, Graph activity by token', async () => {
  type Detail = { record: Record<string, unknown>; error: { meaning: string; known: boolean } | null; authDetails: { source: string; rows: Record<string, unknown>[] }; caPolicies: { rows: Record<string, unknown>[] }; graphActivity: { available: boolean; rows: Record<string, unknown>[]; total: number } };
  const d10 = await call<Detail>('getDetail', { rowId: 10 });
  assert.equal(d10.record.request_id, 'req-00000010');
  assert.match(d10.error!.meaning, /Invalid user name or password/);
  assert.match(d10.authDetails.source, /auth_details/);
  assert.deepEqual(d10.authDetails.rows.map((r) => r.method), ['Password', 'Text message']);
  assert.equal(d10.authDetails.rows[0]!.step_time_utc, '2026-10-01T00:06:10.000000Z');
  assert.deepEqual(d10.caPolicies.rows.map((p) => p.result), ['success', 'notApplied']);
  const d11 = await call<Detail>('getDetail', { rowId: 11 });
  assert.equal(d11.authDetails.source, 'authentication_details column');
  assert.equal(d11.authDetails.rows[0]!.authenticationMethod, 'Password');
  assert.equal(d11.graphActivity.available, true);
  assert.equal(d11.graphActivity.total, 2);
  assert.deepEqual(d11.graphActivity.rows.map((r) => r.response_status_code), ['200', '403']);
  assert.equal(d11.error!.meaning, errorMeaning(0)!.meaning);
  assert.equal(await call('getDetail', { rowId: 999999 }), null);
  const raw = JSON.parse(String(d11.record.raw)) as { id: string };
  assert.equal(raw.id, 'req-00000011');
});

test('the AADSTS table covers the common codes and says so for unknown ones', async () => {
  for (const code of [0, 16000, 50053, 50055, 50056, 50057, 50058, 50074, 50076, 50079, 50097, 50105, 50125, 50126, 50131, 50133, 50140, 50144, 50155, 50158, 51004, 53000, 53001, 53002, 53003, 53004, 54005, 65001, 70008, 70011, 70043, 70044, 70046, 80012, 81010, 90025, 90095, 500121, 530032, 700016, 7000218, 700082, 9002341]) {
    const m = errorMeaning(code)!;
    assert.ok(m.known && m.meaning.length > 10, `code ${code}`);
  }
  const unknown = errorMeaning(123456)!;
  assert.equal(unknown.known, false);
  assert.match(unknown.meaning, /not in Signet's offline table/);
  const all = await call<{ code: number }[]>('errorCodes', {});
  assert.ok(all.length >= 43);
});

test('Show SQL gives runnable SQL for the view', async () => {
  const filter = { conditions: [{ kind: 'text', column: 'city', op: 'equals', value: "São Paulo" }], search: 'dvořák' };
  const { sql } = await call<{ sql: string }>('viewSql', { filter, sort: [{ column: 'time_utc', dir: 'desc' }] });
  assert.match(sql, /ORDER BY "time_utc" DESC/);
  const rows = await engine.requireCase().db.all(sql);
  const page = await call<Page>('getRows', { filter, sort: [{ column: 'time_utc', dir: 'desc' }], start: 0, end: 1000, columns: ['city'] });
  assert.deepEqual(rows.map((r) => String(r.row_id)), page.rows.map((r) => String(r.row_id)));
  assert.ok(rows.length > 0);
});

test('column layout is remembered per case', async () => {
  assert.equal(await call('getColumnLayout', {}), null);
  const layout = { preset: 'device', autoHideEmpty: true, columns: [{ name: 'time_utc', pinned: 'left' }, { name: 'user_agent', width: 300 }, { name: 'city', hidden: true }] };
  await call('setColumnLayout', { layout });
  assert.deepEqual(await call('getColumnLayout', {}), layout);
  const cols = await call<{ name: string; empty: boolean }[]>('columns', {});
  assert.equal(cols.find((c) => c.name === 'mfa_detail')!.empty, true);
  assert.equal(cols.find((c) => c.name === 'city')!.empty, false);
});

test('on a table of several row groups, pages of a sort are the direct ORDER BY at every offset', async () => {
  // 150,000 rows span two row groups, so the view is sorted and written in parallel; a
  // page is a range of the view's rowids, which must follow the sort exactly, whether
  // text columns sort as strings or (once their value lists are current) by rank.
  const dir = mkdtempSync(join(tmpdir(), 'signet-grid-big-'));
  const s = await CaseSession.create(dir, 'test');
  try {
    await insertSyntheticRows(s, 150_000);
    const filter = { conditions: [{ kind: 'text' as const, column: 'user_agent', op: 'contains' as const, value: 'chrome/12' }] };
    const sorts = [
      [{ column: 'user_principal_name', dir: 'asc' as const }, { column: 'latency_ms', dir: 'desc' as const }],
      [{ column: 'device_id', dir: 'desc' as const }, { column: 'city', dir: 'asc' as const }, { column: 'time_utc', dir: 'desc' as const }],
    ];
    for (const ranked of [false, true]) {
      if (ranked) {
        await ensureTextValues(s.db, { dataVersion: s.dataVersion });
        s.changed();
        const ranks = await sortRanks(s.db, ['user_principal_name', 'device_id', 'city', 'request_id'], { dataVersion: s.dataVersion, maxValues: 50_000 });
        assert.deepEqual([...ranks.keys()].sort(), ['city', 'device_id', 'user_principal_name'], 'request_id is not listed');
      }
      for (const sort of sorts) {
        const order = sort.map((k) => `${k.column} ${k.dir.toUpperCase()} NULLS LAST`).join(', ');
        const all = (await s.db.all<{ row_id: string }>(`SELECT row_id FROM signins WHERE user_agent ILIKE '%chrome/12%' ORDER BY ${order}, row_id`)).map((r) => Number(r.row_id));
        assert.ok(all.length > 100_000);
        for (const start of [0, 1, 49_999, 77_777, all.length - 50]) {
          const page = await s.pager.page(filter, sort, start, start + 100, ['latency_ms']);
          assert.equal(page.total, all.length);
          assert.deepEqual(page.rows.map((r) => Number(r.row_id)), all.slice(start, start + 100), `${ranked ? 'ranked' : 'strings'} ${order} at ${start}`);
        }
      }
    }
  } finally {
    s.close();
    await s.db.closed;
    rmSync(dir, { recursive: true, force: true });
  }
});
