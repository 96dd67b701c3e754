import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { importInto, writeEvidence } from '../support/fixtures/importHarness';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { Engine } from '../../electron/engine/engine';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import type { FilterState } from '../../electron/api/schemas/filter';
import type { GroupResult } from '../../electron/api/methods/grouping';

// Group-by is checked against Python's csv module reading the very file that was imported:
// rows, failures and first/last time per group, with and without a filter, and the order.

const USERS = ['alice@contoso.example', 'bob@contoso.example', 'carol@contoso.example', 'dmitri@contoso.example', 'eve@contoso.example', ''];
const APPS = ['Microsoft Teams', 'Azure Portal', 'Office 365 Exchange Online'];
const PLACES = ['Oslo, Oslo, NO', 'Bergen, Vestland, NO', 'Lagos, Lagos, NG', 'Seattle, Washington, US'];
const N = 700;

let work: string;
let csvPath: string;
let engine: Engine;
const ctx = () => ({ engine, transport: 'bridge' as const });

function rowsOfCsv(): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (let i = 1; i <= N; i++) {
    const t = new Date(Date.UTC(2026, 9, 1) + i * 373_000 + (i % 4) * 250).toISOString().replace(/\.(\d{3})Z$/, (_, ms: string) => `.${ms}${String(i % 1000).padStart(3, '0')}0Z`);
    const failure = i % 6 === 0 || i % 13 === 0;
    out.push({
      'Date (UTC)': t,
      'Request ID': `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      User: USERS[i % USERS.length] ? `User ${i % USERS.length}` : '',
      Username: USERS[(i * 7) % USERS.length]!,
      Application: APPS[i % APPS.length]!,
      'IP address': i % 17 === 0 ? `2001:db8::${i % 5}` : `198.51.100.${(i * 7) % 23}`,
      Location: PLACES[(i * 3) % PLACES.length]!,
      Status: failure ? 'Failure' : i % 11 === 0 ? 'Interrupted' : 'Success',
      'Sign-in error code': failure ? '50126' : i % 11 === 0 ? '50074' : '0',
      'Failure reason': failure ? 'Invalid username or password.' : '',
    });
  }
  return out;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'signet-group-'));
  csvPath = writeEvidence(work, 'InteractiveSignIns_2026-10-01_2026-10-31.csv', csvText(HEADER_57, rowsOfCsv()));
  const session = await CaseSession.create(join(work, 'case'), 'test', 'Group test');
  const [s] = await importInto(session, [csvPath]);
  assert.equal(s!.imported, N);
  session.close();
  engine = new Engine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-group-data-')), appVersion: 'test', mode: 'browser' });
  await engine.openCase(join(work, 'case'));
});
after(() => engine?.close());

/** Python's reading of the CSV: per group (keys joined by \u0001, '' = missing), [rows, failures, first, last]. */
const PY = String.raw`
import csv, json, sys
path, by, country, hour_from = sys.argv[1], sys.argv[2].split(','), sys.argv[3], sys.argv[4]
col = {'user_principal_name': 'Username', 'app_display_name': 'Application', 'country': 'Location', 'error_code': 'Sign-in error code', 'status': 'Status'}
def value(row, c):
    v = row[col[c]]
    if c == 'country':
        v = v.split(', ')[-1]
    if c == 'status':
        v = v.lower()
    return v
out = {}
with open(path, newline='', encoding='utf-8') as f:
    for row in csv.DictReader(f):
        if country and value(row, 'country') != country:
            continue
        t = row['Date (UTC)']
        if hour_from and t[:13] < hour_from:
            continue
        key = '\u0001'.join(value(row, c) for c in by)
        g = out.setdefault(key, [0, 0, None, None])
        g[0] += 1
        g[1] += row['Status'] == 'Failure'
        t6 = t[:26] + 'Z'
        g[2] = t6 if g[2] is None or t6 < g[2] else g[2]
        g[3] = t6 if g[3] is None or t6 > g[3] else g[3]
json.dump(out, sys.stdout)
`;

function pythonGroups(by: string[], opts: { country?: string; hourFrom?: string } = {}): Map<string, [number, number, string, string]> {
  const r = spawnSync('python3', ['-c', PY, csvPath, by.join(','), opts.country ?? '', opts.hourFrom ?? ''], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, [number, number, string, string]>));
}

async function call(args: Record<string, unknown>): Promise<GroupResult> {
  const r = await dispatch(handlerTable, 'groupRows', args, ctx());
  assert.ok(r.ok, JSON.stringify(r));
  return r.result as GroupResult;
}

function asMap(r: GroupResult): Map<string, [number, number, string | null, string | null]> {
  // An empty CSV cell is NULL in the case; Python sees ''.
  return new Map(r.groups.map((g) => [g.keys.map((k) => k ?? '').join('\u0001'), [g.rows, g.failures, g.firstUtc, g.lastUtc]]));
}

test('group by user: rows, failures and first/last time match an independent count of the CSV', async () => {
  const r = await call({ filter: { conditions: [] }, by: ['user_principal_name'], limit: 5000 });
  const py = pythonGroups(['user_principal_name']);
  assert.deepEqual(asMap(r), py);
  assert.equal(r.totalGroups, py.size);
  assert.equal(r.totalRows, N);
  assert.ok(r.groups.some((g) => g.keys[0] === null), 'rows without a user form their own (empty) group');
  // Default order: most rows first.
  const counts = r.groups.map((g) => g.rows);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
});

test('two columns under an active filter (values + time), sorted by failures, paged', async () => {
  const filter: FilterState = {
    conditions: [
      { kind: 'values', column: 'country', values: ['NO'] },
      { kind: 'time', column: 'time_utc', from: '2026-10-01T12:00:00Z' },
    ],
  };
  const py = pythonGroups(['user_principal_name', 'app_display_name'], { country: 'NO', hourFrom: '2026-10-01T12' });
  const all = await call({ filter, by: ['user_principal_name', 'app_display_name'], sort: { key: 'failures', dir: 'desc' }, limit: 5000 });
  assert.deepEqual(asMap(all), py);
  // Failures descending, ties by the keys ascending with the missing value last (as Python orders them).
  const expected = [...py.entries()]
    .sort(([ka, a], [kb, b]) => b[1] - a[1] || cmpKeys(ka, kb))
    .map(([k]) => k);
  assert.deepEqual([...asMap(all).keys()], expected);
  // Pages are slices of the same order and carry the totals.
  const page = await call({ filter, by: ['user_principal_name', 'app_display_name'], sort: { key: 'failures', dir: 'desc' }, offset: 3, limit: 4 });
  assert.deepEqual([...asMap(page).keys()], expected.slice(3, 7));
  assert.equal(page.totalGroups, py.size);
  assert.equal(page.totalRows, [...py.values()].reduce((s, g) => s + g[0], 0));
});

/** Keys compared part by part, '' (missing) after every value. */
function cmpKeys(a: string, b: string): number {
  const pa = a.split('\u0001');
  const pb = b.split('\u0001');
  for (let i = 0; i < pa.length; i++) {
    if (pa[i] === pb[i]) continue;
    if (pa[i] === '') return 1;
    if (pb[i] === '') return -1;
    return pa[i]! < pb[i]! ? -1 : 1;
  }
  return 0;
}

test('numbers group as numbers and match a values filter made from the group key', async () => {
  const r = await call({ filter: { conditions: [] }, by: ['error_code'], sort: { key: 'key0', dir: 'asc' } });
  assert.deepEqual(r.groups.map((g) => g.keys[0]), ['0', '50074', '50126']);
  const py = pythonGroups(['error_code']);
  for (const g of r.groups) {
    assert.equal(g.rows, py.get(g.keys[0]!)![0]);
    // The group's rows are exactly what its key as a values filter selects.
    const c = await dispatch(handlerTable, 'countRows', { filter: { conditions: [{ kind: 'values', column: 'error_code', values: [g.keys[0]] }] } }, ctx());
    assert.ok(c.ok);
    assert.equal((c.result as { total: number }).total, g.rows);
  }
  const nulls = await call({ filter: { conditions: [] }, by: ['user_principal_name'], sort: { key: 'key0', dir: 'asc' }, limit: 5000 });
  const missing = nulls.groups.at(-1)!;
  assert.equal(missing.keys[0], null, 'the missing value sorts last');
  const c = await dispatch(handlerTable, 'countRows', { filter: { conditions: [{ kind: 'values', column: 'user_principal_name', values: [null] }] } }, ctx());
  assert.ok(c.ok);
  assert.equal((c.result as { total: number }).total, missing.rows);
});

test('IP addresses sort as numbers, IPv4 before IPv6', async () => {
  const r = await call({ filter: { conditions: [] }, by: ['ip_address'], sort: { key: 'key0', dir: 'asc' }, limit: 5000 });
  const keys = r.groups.map((g) => g.keys[0]!);
  const v4 = keys.filter((k) => k.includes('.'));
  assert.deepEqual(v4, [...v4].sort((a, b) => Number(a.split('.')[3]) - Number(b.split('.')[3])));
  assert.ok(keys.indexOf('198.51.100.9') < keys.indexOf('198.51.100.10'), 'numeric, not text order');
  assert.ok(keys.findIndex((k) => k.includes(':')) > keys.lastIndexOf(v4.at(-1)!), 'IPv6 after IPv4');
});

test('only allow-listed columns, two different ones, reach SQL', async () => {
  for (const by of [['raw'], ['"signins"; DROP TABLE signins; --'], ['time_utc'], [], ['country', 'city', 'state'], ['country', 'country']]) {
    const r = await dispatch(handlerTable, 'groupRows', { filter: { conditions: [] }, by }, ctx());
    assert.equal(r.ok, false, JSON.stringify(by));
  }
  const sorted = await dispatch(handlerTable, 'groupRows', { filter: { conditions: [] }, by: ['country'], sort: { key: 'key1', dir: 'asc' } }, ctx());
  assert.equal(sorted.ok, false);
  assert.match(!sorted.ok ? sorted.error.message : '', /second group column/);
  assert.equal(Number(await engine.requireCase().db.scalar('SELECT count(*) FROM signins')), N);
});
