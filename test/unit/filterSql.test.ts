import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { whereSql, orderSql, parseSearch, allowColumn, inlineParams } from '../../electron/engine/query/filterSql';
import { resolvedWhereSql } from '../../electron/engine/query/textValues';
import { describeFilter } from '../../electron/engine/export/describeFilter';
import type { FilterState, Condition } from '../../electron/api/schemas/filter';
import { filterState } from '../../electron/api/schemas/filter';
import { UserError } from '../../electron/api/dispatch';
import { insertSyntheticRows } from '../support/gridFixture';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ensureTextValues } from '../../electron/engine/query/textValues';

let session: CaseSession;

before(async () => {
  session = await CaseSession.create(mkdtempSync(join(tmpdir(), 'signet-filter-')), 'test');
  await insertSyntheticRows(session, 300);
  // Rows with NULLs and awkward text for the edge cases.
  await session.db.run(`UPDATE signins SET city = NULL WHERE row_id IN (5, 6)`);
  await session.db.run(`UPDATE signins SET city = '' WHERE row_id = 7`);
  await session.db.run(`UPDATE signins SET failure_reason = 'it''s 100% _odd_ \\ text' WHERE row_id = 8`);
});
after(() => session.close());

async function select(w: { sql: string; params: unknown[] }): Promise<number[]> {
  const rows = await session.db.all<{ row_id: string }>(`SELECT row_id FROM signins WHERE ${w.sql} ORDER BY row_id`, w.params as never);
  return rows.map((r) => Number(r.row_id));
}

/** Every filter the tests below read, with its rows, for the second pass over them. */
const seen: { filter: FilterState; rows: number[] }[] = [];

/**
 * Rows of a filter, read row by row; the same filter decided on the value lists must pick
 * exactly the same rows (and again, at the end, with only the small columns listed).
 */
async function ids(filter: FilterState): Promise<number[]> {
  const plain = await select(whereSql(filter));
  assert.deepEqual(await select(await resolvedWhereSql(session.db, filter)), plain, `value lists: ${JSON.stringify(filter)}`);
  seen.push({ filter, rows: plain });
  return plain;
}
const one = (c: Condition): FilterState => ({ conditions: [c] });
const range = (a: number, b: number, pred: (i: number) => boolean = () => true) => Array.from({ length: b - a + 1 }, (_, k) => a + k).filter(pred);

test('text: contains, equals, starts/ends with, regex, case sensitivity', async () => {
  assert.deepEqual(await ids(one({ kind: 'text', column: 'ip_address', op: 'equals', value: '203.0.113.7' })), range(1, 300, (i) => i % 50 === 7));
  assert.deepEqual(await ids(one({ kind: 'text', column: 'user_display_name', op: 'contains', value: 'DVOŘ' })), range(1, 300, (i) => i % 7 === 3));
  assert.deepEqual(await ids(one({ kind: 'text', column: 'user_display_name', op: 'contains', value: 'DVOŘ', caseSensitive: true })), []);
  assert.deepEqual(await ids(one({ kind: 'text', column: 'request_id', op: 'startsWith', value: 'req-0000029' })), range(290, 299));
  assert.deepEqual(await ids(one({ kind: 'text', column: 'request_id', op: 'endsWith', value: '0' })), range(1, 300, (i) => i % 10 === 0));
  assert.deepEqual(await ids(one({ kind: 'text', column: 'request_id', op: 'regex', value: '^req-0+1[0-2]$' })), [10, 11, 12]);
  // Numbers and other types are compared as text.
  assert.deepEqual(await ids(one({ kind: 'text', column: 'error_code', op: 'equals', value: '50074' })), range(1, 300, (i) => i % 15 === 0 && i % 10 !== 0));
});

test('text: LIKE wildcards in values are literal, quotes are data', async () => {
  assert.deepEqual(await ids(one({ kind: 'text', column: 'failure_reason', op: 'contains', value: '100% _odd_ \\' })), [8]);
  assert.deepEqual(await ids(one({ kind: 'text', column: 'failure_reason', op: 'contains', value: "it's" })), [8]);
  assert.deepEqual(await ids(one({ kind: 'text', column: 'failure_reason', op: 'contains', value: '%' })), [8]);
  assert.deepEqual(await ids(one({ kind: 'text', column: 'request_id', op: 'contains', value: '_' })), []);
});

test('NULL semantics: empty covers NULL and blank, negation keeps NULL rows', async () => {
  assert.deepEqual(await ids(one({ kind: 'text', column: 'city', op: 'empty' })), [5, 6, 7]);
  const notEmpty = await ids(one({ kind: 'text', column: 'city', op: 'notEmpty' }));
  assert.equal(notEmpty.length, 297);
  const notSeattle = await ids(one({ kind: 'text', column: 'city', op: 'equals', value: 'Seattle', negate: true }));
  assert.ok(notSeattle.includes(5) && notSeattle.includes(6), 'NULL city is "not Seattle"');
  assert.equal(notSeattle.length + (await ids(one({ kind: 'text', column: 'city', op: 'equals', value: 'Seattle' }))).length, 300);
  // A values list can ask for NULL explicitly, and its exclusion keeps NULL rows unless NULL is listed.
  assert.deepEqual(await ids(one({ kind: 'values', column: 'city', values: [null] })), [5, 6]);
  const exclTokyo = await ids(one({ kind: 'values', column: 'city', values: ['Tokyo'], exclude: true }));
  assert.ok(exclTokyo.includes(5));
  const exclTokyoNull = await ids(one({ kind: 'values', column: 'city', values: ['Tokyo', null], exclude: true }));
  assert.ok(!exclTokyoNull.includes(5) && !exclTokyoNull.includes(6));
  // Device id is NULL on every third row; a number range on NULL never matches, its negation does.
  const dev = await ids(one({ kind: 'text', column: 'device_id', op: 'empty' }));
  assert.deepEqual(dev, range(1, 300, (i) => i % 3 === 0));
});

test('numbers: ranges, open ends and negation', async () => {
  assert.deepEqual(await ids(one({ kind: 'number', column: 'latency_ms', min: 310 })), range(290, 299));
  assert.deepEqual(await ids(one({ kind: 'number', column: 'latency_ms', min: 20, max: 22 })), range(1, 300, (i) => 20 + (i % 300) <= 22));
  assert.deepEqual(await ids(one({ kind: 'number', column: 'error_code', min: 1 })), range(1, 300, (i) => i % 10 === 0 || i % 15 === 0));
  const neg = await ids(one({ kind: 'number', column: 'error_code', min: 1, negate: true }));
  assert.equal(neg.length, 300 - range(1, 300, (i) => i % 10 === 0 || i % 15 === 0).length);
});

test('times: absolute ranges are UTC instants, any offset accepted, end exclusive', async () => {
  // Row i is at 2026-10-01T00:00:00Z + 37 i seconds.
  assert.deepEqual(await ids(one({ kind: 'time', column: 'time_utc', from: '2026-10-01T00:00:37Z', to: '2026-10-01T00:01:51Z' })), [1, 2]);
  // The same instants written in +02:00.
  assert.deepEqual(await ids(one({ kind: 'time', column: 'time_utc', from: '2026-10-01T02:00:37+02:00', to: '2026-10-01T02:01:51+02:00' })), [1, 2]);
  assert.throws(() => whereSql(one({ kind: 'time', column: 'time_utc', from: 'yesterday' })), UserError);
  assert.throws(() => whereSql(one({ kind: 'time', column: 'city', from: '2026-10-01T00:00:00Z' })), UserError);
});

test('values list, tags and combined conditions', async () => {
  const f: FilterState = {
    conditions: [
      { kind: 'values', column: 'country', values: ['US', 'DE'] },
      { kind: 'values', column: 'status', values: ['failure'] },
    ],
  };
  assert.deepEqual(await ids(f), range(1, 300, (i) => (i % 5 === 0 || i % 5 === 1) && i % 10 === 0));
  await session.db.run(`INSERT INTO tags VALUES (1, 'x', '#ff0000', now()::TIMESTAMP)`);
  await session.db.run(`INSERT INTO row_tags SELECT row_id, 1, now()::TIMESTAMP FROM signins WHERE row_id IN (3, 4)`);
  assert.deepEqual(await ids(one({ kind: 'tag', tagIds: [1] })), [3, 4]);
  assert.equal((await ids(one({ kind: 'tag', tagIds: [1], exclude: true }))).length, 298);
  assert.deepEqual(await ids(one({ kind: 'rows', rowIds: [9, 1, 300] })), [1, 9, 300]);
});

test('injection: column names are allow-listed, values are always parameters', async () => {
  assert.throws(() => allowColumn('city; DROP TABLE signins'), UserError);
  assert.throws(() => whereSql(one({ kind: 'text', column: 'nope', op: 'equals', value: 'x' })), UserError);
  assert.throws(() => orderSql([{ column: 'row_id DESC; DROP TABLE signins', dir: 'asc' }]), UserError);
  // The zod schema refuses identifiers that are not plain names before they reach the compiler.
  assert.equal(filterState.safeParse(one({ kind: 'text', column: 'city"; --', op: 'equals', value: 'x' } as Condition)).success, false);
  const evil = "x' OR '1'='1";
  const w = whereSql(one({ kind: 'text', column: 'city', op: 'equals', value: evil }));
  assert.ok(!w.sql.includes(evil) && w.params.includes(evil));
  assert.deepEqual(await ids(one({ kind: 'text', column: 'city', op: 'equals', value: evil })), []);
  assert.deepEqual(await ids(one({ kind: 'values', column: 'city', values: [evil, "'); DROP TABLE signins; --"] })), []);
  assert.deepEqual(await ids({ conditions: [], search: "'); DROP TABLE signins; --" }), []);
  assert.throws(() => whereSql(one({ kind: 'text', column: 'city', op: 'regex', value: '(' })), UserError);
  assert.equal(Number(await session.db.scalar('SELECT count(*) FROM signins')), 300);
});

test('global search: words, phrases, column:term, aliases, exclusions; value-list and row-by-row forms agree', async () => {
  assert.deepEqual(parseSearch('ip:203.0.113.7 "Grace Ó" -failure foo:bar'), [
    { column: 'ip_address', term: '203.0.113.7' },
    { term: 'Grace Ó' },
    { term: 'failure', negate: true },
    { term: 'foo:bar' },
  ]);
  const cases: [string, (i: number) => boolean][] = [
    ['dvořák', (i) => i % 7 === 3],
    ['"grace ó briain" tokyo', (i) => i % 7 === 6 && i % 5 === 4],
    ['city:lagos', (i) => i % 5 === 2 && i !== 7],
    ['ip:203.0.113.7 -failure', (i) => i % 50 === 7 && i % 10 !== 0],
    ['error:50126', (i) => i % 10 === 0],
    ['nothing-matches-this', () => false],
    // Only in unlisted id columns: read row by row, or skipped where the term has letters no id has.
    ['req-0000029', (i) => i >= 290 && i <= 299],
    ['corr-000010', (i) => Math.floor(i / 3) === 10],
    ['UTI-0000001', (i) => i >= 10 && i <= 19],
    ['"it\'s 100%"', (i) => i === 8],
    ['-tokyo -lagos', (i) => i % 5 !== 4 && i % 5 !== 2],
    // Numbers people type alone: an error code, an ASN.
    ['50126', (i) => i % 10 === 0],
    ['64497', (i) => i % 5 === 1],
  ];
  for (const [search, pred] of cases) {
    const expected = range(1, 300, pred).filter((i) => !(search === 'city:lagos' && (i === 5 || i === 6 || i === 7)));
    assert.deepEqual(await ids({ conditions: [], search }), expected, search);
  }
});

test('value lists catch up after rows are appended, and a removed row is never found', async () => {
  const search = async (filter: FilterState) => {
    const plain = await select(whereSql(filter));
    assert.deepEqual(await select(await resolvedWhereSql(session.db, filter, { listAtMost: 20 })), plain, JSON.stringify(filter));
    return plain;
  };
  assert.deepEqual(await search({ conditions: [], search: 'zebulon' }), []);
  assert.deepEqual(await search({ conditions: [], search: 'zz:9' }), []);
  // Appended, not rebuilt: the new name joins its list, and the unlisted request id
  // column gains a character (':') its ids never had, so it is read again for such terms.
  await session.db.run(`INSERT INTO signins (row_id, user_display_name, request_id) VALUES (301, 'Zebulon Late', 'ZZ:99')`);
  assert.deepEqual(await search({ conditions: [], search: 'zebulon' }), [301]);
  assert.deepEqual(await search({ conditions: [], search: 'zz:9' }), [301]);
  assert.deepEqual(await search(one({ kind: 'text', column: 'user_display_name', op: 'startsWith', value: 'zeb' })), [301]);
  assert.equal(Number(await session.db.scalar(`SELECT count(*) FROM text_values WHERE v = 'Zebulon Late'`)), 1);
  await session.db.run(`DELETE FROM signins WHERE row_id = 301`);
  assert.deepEqual(await search({ conditions: [], search: 'zebulon' }), []);
});

test('with only the small columns listed, every filter above picks the same rows', async () => {
  // Ids and tokens are then read row by row, or skipped by their character class.
  assert.ok(seen.length > 30);
  for (const { filter, rows } of seen) {
    if (Number(await session.db.scalar('SELECT count(*) FROM signins')) !== 300) break;
    assert.deepEqual(await select(await resolvedWhereSql(session.db, filter, { listAtMost: 20 })), rows, JSON.stringify(filter));
  }
  const listed = await session.db.all<{ col: string }>(`SELECT col FROM text_value_columns WHERE NOT listed ORDER BY col`);
  assert.deepEqual(listed.map((r) => r.col), ['request_id', 'unique_token_identifier']);
});

test('filters read as text for manifests, and Show SQL inlines literals safely', () => {
  const f: FilterState = { conditions: [{ kind: 'text', column: 'city', op: 'equals', value: "O'Hare", negate: true }], search: 'x' };
  assert.equal(describeFilter(f), 'City NOT equals "O\'Hare" AND search "x"');
  const w = whereSql(f);
  assert.ok(inlineParams(w.sql, w.params).includes("'O''Hare'"));
  assert.equal(describeFilter({ conditions: [] }), 'all rows');
});

// ip: searches and address order, against Python's ipaddress module reading the same values.
const IP_VALUES: (string | null)[] = [
  '10.0.0.1', '10.0.0.10', '10.0.0.19', '110.0.0.1', '10.255.255.255', '11.0.0.0', '82.0.175.14', '82.0.175.149',
  '192.168.1.5', '9.255.255.255', '0.0.0.0', '255.255.255.255', '2001:db8::1', '2001:DB8:0:0:0:0:0:1', '2001:db8:ffff::',
  '2001:db9::', '::1', '::', '::ffff:10.0.0.1', 'fe80::a:b', '1:2:3:4:5:6:7::', '1:2:3:4:5:6:1.2.3.4', '01.2.3.4', 'not an ip',
  '', null, '10.0.0.1.5', '2001:db8::g', '1::2::3', '256.0.0.1', 'fe80::1:2:3:4:5:6:7', ':::1',
  // IPv4-mapped IPv6 spellings are the IPv4 address they carry.
  '::ffff:82.0.175.14', '::FFFF:a00:2', '0:0:0:0:0:ffff:10.0.0.3',
];
const IP_TERMS = [
  '10.0.0.1', '82.0.175.14', '10.0.0.0/8', '10.0.0.0/31', '10.0.0.1/8', '192.168.1.5/32', '0.0.0.0/0', '2001:db8::/32', '2001:db8::1',
  '2001:0db8:0000::0001', '::/0', '::ffff:0:0/96', '::ffff:10.0.0.0/104', '::ffff:82.0.175.14', '10.0.0.2', '10.0.0.3', 'fe80::/10', '::1/128', '10.0.0.1*', '2001:DB8*', '10.0.*', 'not an ip', '1:2:3:4:5:6:7:0',
];

function pythonIpReference(): { matches: Record<string, number[]>; order: number[]; address: boolean[] } {
  const r = spawnSync('python3', [resolve(__dirname, '../support/python/ip_reference.py')], { input: JSON.stringify({ values: IP_VALUES, terms: IP_TERMS }), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { matches: Record<string, number[]>; order: number[]; address: boolean[] };
}

describe('ip: exact, CIDR and prefix; numeric address order', () => {
  let ipCase: CaseSession;
  const reference = pythonIpReference();
  before(async () => {
    ipCase = await CaseSession.create(mkdtempSync(join(tmpdir(), 'signet-ip-')), 'test');
    for (const [i, v] of IP_VALUES.entries()) await ipCase.db.run(`INSERT INTO signins (row_id, ip_address, request_id) VALUES (?, ?, ?)`, [i + 1, v, `r${i}`]);
  });
  after(() => ipCase.close());

  const rowsOf = async (search: string, resolved: boolean) => {
    const f: FilterState = { conditions: [], search };
    const w = resolved ? await resolvedWhereSql(ipCase.db, f) : whereSql(f);
    const rows = await ipCase.db.all<{ row_id: string }>(`SELECT row_id FROM signins WHERE ${w.sql} ORDER BY row_id`, w.params as never);
    return rows.map((r) => Number(r.row_id) - 1);
  };

  test('each ip: term matches exactly the rows ipaddress says, row by row and on the value lists', async () => {
    for (const term of IP_TERMS) {
      const search = `ip:"${term}"`;
      assert.deepEqual(await rowsOf(search, false), reference.matches[term], search);
      assert.deepEqual(await rowsOf(search, true), reference.matches[term], `${search} (value lists)`);
    }
    // The bug this replaces: a sweep for 82.0.175.14 pulled in 82.0.175.149. Its IPv4-mapped
    // spelling is the same address (as the IOC sweep counts it too).
    assert.deepEqual(await rowsOf('ip:82.0.175.14', false), [IP_VALUES.indexOf('82.0.175.14'), IP_VALUES.indexOf('::ffff:82.0.175.14')]);
    assert.deepEqual(await rowsOf('ip:10.0.0.0/8', true), await rowsOf('ip:::ffff:10.0.0.0/104', true));
    assert.ok((await rowsOf('ip:10.0.0.0/8', false)).includes(IP_VALUES.indexOf('0:0:0:0:0:ffff:10.0.0.3')));
    assert.throws(() => whereSql({ conditions: [], search: 'ip:10.0.0.0/33' }), UserError);
    assert.throws(() => whereSql({ conditions: [], search: 'ip:nonsense/8' }), UserError);
    // A typed block is only ever a parameter.
    const w = whereSql({ conditions: [], search: 'ip:10.0.0.0/8' });
    assert.ok(!w.sql.includes('10.0.0.0') && w.params.includes('167772160'));
  });

  test('addresses sort as numbers, IPv4 before IPv6, other text after, NULL last, ascending and descending', async () => {
    const expected = reference.order.map((i) => IP_VALUES[i]!);
    const plain = await ipCase.db.all<{ ip_address: string | null }>(`SELECT ip_address FROM signins ORDER BY ${orderSql([{ column: 'ip_address', dir: 'asc' }])}`);
    assert.deepEqual(plain.map((r) => r.ip_address), expected);
    // The grid's pager ranks the column's values instead (value lists built).
    await ensureTextValues(ipCase.db);
    ipCase.changed();
    const plainDesc = await ipCase.db.all<{ ip_address: string | null }>(`SELECT ip_address FROM signins ORDER BY ${orderSql([{ column: 'ip_address', dir: 'desc' }])}`);
    const page = await ipCase.pager.page({ conditions: [] }, [{ column: 'ip_address', dir: 'asc' }], 0, 100, ['ip_address']);
    assert.deepEqual(page.rows.map((r) => r.ip_address), expected);
    const desc = await ipCase.pager.page({ conditions: [] }, [{ column: 'ip_address', dir: 'desc' }], 0, 100, ['ip_address']);
    // Descending: other text (which sorts above every address) in reverse, then the addresses in reverse; NULL still last.
    const isAddress = (v: string | null) => reference.address[IP_VALUES.indexOf(v)] === true;
    const addresses = expected.filter(isAddress);
    const others = expected.filter((v) => v !== null && !isAddress(v));
    const expectedDesc = [...others.reverse(), ...addresses.reverse(), null];
    assert.deepEqual(desc.rows.map((r) => r.ip_address), expectedDesc);
    assert.deepEqual(plainDesc.map((r) => r.ip_address), expectedDesc);
  });
});
