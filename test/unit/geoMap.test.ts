import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { geoCase } from './geoRows';
import type { CaseSession } from '../../electron/engine/case/caseSession';
import { mapSummary, clusterRowIds } from '../../electron/engine/geo/mapAggregate';
import { enrichAddresses, openMmdb, mmdbLocator, type IpLocator } from '../../electron/engine/geo/enrichment';
import { impossibleTravel, haversineKm } from '../../electron/engine/geo/travel';
import { whereSql } from '../../electron/engine/query/filterSql';
import { importFiles } from '../../electron/engine/import/importFiles';
import { CaseSession as Session } from '../../electron/engine/case/caseSession';

const sessions: CaseSession[] = [];
after(() => sessions.forEach((s) => s.close()));

const ROWS = [
  { user: 'a@x.com', time: '2026-03-01T08:00:00Z', city: 'Oslo', state: 'Oslo', country: 'NO' },
  { user: 'a@x.com', time: '2026-03-01T09:00:00Z', city: 'Oslo', state: 'Oslo', country: 'NO', status: 'failure' as const },
  { user: 'b@x.com', time: '2026-03-02T08:00:00Z', city: 'Oslo', state: 'Oslo', country: 'NO' },
  { user: 'b@x.com', time: '2026-03-02T10:00:00Z', city: 'Bergen', state: 'Vestland', country: 'NO' },
  { user: 'c@x.com', time: '2026-03-03T08:00:00Z', country: 'SE' },
  { user: 'c@x.com', time: '2026-03-03T09:00:00Z', lat: 40.7128, lon: -74.006, city: 'New York', state: 'New York', country: 'US', status: 'failure' as const },
  { user: 'd@x.com', time: '2026-03-04T08:00:00Z', ip: '81.2.69.160' },
  { user: 'd@x.com', time: '2026-03-04T09:00:00Z', ip: '10.0.0.1' },
];

test('map aggregation: clusters per resolved place, countries, precision counts, under the filter', async () => {
  const s = await geoCase(ROWS, 'map');
  sessions.push(s);
  const all = await mapSummary(s.db, { dataVersion: s.dataVersion });
  assert.equal(all.total, 8);
  const oslo = all.clusters.find((c) => c.place === 'Oslo, NO')!;
  assert.ok(oslo);
  assert.equal(oslo.count, 3);
  assert.equal(oslo.users, 2);
  assert.equal(oslo.failures, 1);
  assert.equal(oslo.precision, 'city');
  assert.equal(oslo.firstUtc, '2026-03-01T08:00:00.000000Z');
  assert.equal(oslo.lastUtc, '2026-03-02T08:00:00.000000Z');
  const se = all.clusters.find((c) => c.cc === 'SE')!;
  assert.equal(se.precision, 'country');
  assert.ok(se.radiusKm > 300);
  const ny = all.clusters.find((c) => c.cc === 'US')!;
  assert.equal(ny.precision, 'coordinates');
  assert.ok(Math.abs(ny.lat - 40.7128) < 1e-3);
  assert.equal(all.clusters.length, 4);

  const no = all.countries.find((c) => c.cc === 'NO')!;
  assert.deepEqual({ count: no.count, users: no.users, failures: no.failures, name: no.name, values: no.values }, { count: 4, users: 2, failures: 1, name: 'Norway', values: ['NO'] });
  const unknown = all.countries.find((c) => c.cc === null)!;
  assert.equal(unknown.count, 2);
  assert.deepEqual(
    Object.fromEntries(all.byPrecision.map((p) => [p.precision, p.count])),
    { city: 4, country: 1, coordinates: 1, unknown: 2 },
  );

  const w = whereSql({ conditions: [{ kind: 'values', column: 'status', values: ['failure'] }] });
  const failed = await mapSummary(s.db, { whereSql: w.sql, params: w.params, dataVersion: s.dataVersion });
  assert.equal(failed.total, 2);
  assert.deepEqual(failed.clusters.map((c) => c.place).sort(), ['Oslo, NO', 'New York City, New York, US'].sort());

  const rows = await clusterRowIds(s.db, oslo.key, { limit: 100, dataVersion: s.dataVersion });
  assert.deepEqual(rows, { rowIds: [1, 2, 3], total: 3 });
  const limited = await clusterRowIds(s.db, oslo.key, { limit: 2, dataVersion: s.dataVersion });
  assert.deepEqual(limited, { rowIds: [1, 2], total: 3 });
  const filtered = await clusterRowIds(s.db, oslo.key, { whereSql: w.sql, params: w.params, limit: 100 });
  assert.deepEqual(filtered, { rowIds: [2], total: 1 });
});

test('the location cache follows new rows', async () => {
  const s = await geoCase(ROWS.slice(0, 2), 'map-grow');
  sessions.push(s);
  assert.equal((await mapSummary(s.db, { dataVersion: s.dataVersion })).total, 2);
  const { insertGeoRows } = await import('./geoRows');
  await insertGeoRows(s, [{ user: 'z@x.com', time: '2026-03-09T08:00:00Z', city: 'Tromsø', country: 'NO' }]);
  const after2 = await mapSummary(s.db, { dataVersion: s.dataVersion });
  assert.equal(after2.total, 3);
  const tromso = after2.clusters.find((c) => c.place?.startsWith('Tromsø'))!;
  assert.ok(tromso && tromso.lat > 69 && tromso.lat < 70.5, 'Tromsø placed in northern Norway');
});

// --- A tiny MaxMind DB, written byte by byte (format: maxmind.github.io/MaxMind-DB) ---

function ctrl(type: number, size: number): Buffer {
  if (type <= 7) return Buffer.from([(type << 5) | size]);
  return Buffer.from([size, type - 7]);
}
function encode(v: unknown): Buffer {
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([ctrl(2, b.length), b]);
  }
  if (typeof v === 'number' && !Number.isInteger(v)) {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    return Buffer.concat([ctrl(3, 8), b]);
  }
  if (typeof v === 'number') {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v);
    return Buffer.concat([ctrl(6, 4), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([ctrl(11, v.length), ...v.map(encode)]);
  const entries = Object.entries(v as Record<string, unknown>);
  return Buffer.concat([ctrl(7, entries.length), ...entries.flatMap(([k, x]) => [encode(k), encode(x)])]);
}
function uint16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return Buffer.concat([ctrl(5, 2), b]);
}

/** An IPv4 database holding one /24 network with one City-style record. */
function tinyMmdb(network: string, record: unknown): Buffer {
  const bits = network
    .split('.')
    .slice(0, 3)
    .flatMap((o) => Number(o).toString(2).padStart(8, '0').split('').map(Number));
  const nodeCount = bits.length;
  const tree = Buffer.alloc(nodeCount * 6);
  const put = (node: number, side: number, value: number) => tree.writeUIntBE(value, node * 6 + side * 3, 3);
  bits.forEach((bit, i) => {
    const next = i === bits.length - 1 ? nodeCount + 16 /* data offset 0 */ : i + 1;
    put(i, bit, next);
    put(i, 1 - bit, nodeCount); // no data
  });
  const data = encode(record);
  const meta = Buffer.concat([
    ctrl(7, 9),
    encode('node_count'),
    encode(nodeCount),
    encode('record_size'),
    uint16(24),
    encode('ip_version'),
    uint16(4),
    encode('database_type'),
    encode('Test-City'),
    encode('languages'),
    encode(['en']),
    encode('binary_format_major_version'),
    uint16(2),
    encode('binary_format_minor_version'),
    uint16(0),
    encode('build_epoch'),
    encode(1_700_000_000),
    encode('description'),
    encode({ en: 'Signet test database' }),
  ]);
  return Buffer.concat([tree, Buffer.alloc(16), data, Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com'), meta]);
}

test('a MaxMind-format database locates addresses the log did not place, marked as enriched, never overriding the log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-mmdb-'));
  const file = join(dir, 'tiny-city.mmdb');
  writeFileSync(
    file,
    tinyMmdb('81.2.69.0', {
      city: { names: { en: 'London' } },
      country: { iso_code: 'GB' },
      location: { latitude: 51.5142, longitude: -0.0931, accuracy_radius: 20 },
    }),
  );
  const db = await openMmdb(file);
  assert.equal(db.databaseType, 'Test-City');
  assert.equal(db.locator.locate('81.2.69.160')?.city, 'London');
  assert.equal(db.locator.locate('8.8.8.8'), null);

  // Every row has the London address; only the one without a location may use it.
  const s = await geoCase(
    [
      { user: 'e@x.com', time: '2026-03-05T08:00:00Z', ip: '81.2.69.160' },
      { user: 'e@x.com', time: '2026-03-05T08:30:00Z', ip: '81.2.69.160', city: 'Oslo', state: 'Oslo', country: 'NO' },
      { user: 'e@x.com', time: '2026-03-05T09:00:00Z', ip: '81.2.69.161', lat: 48.8566, lon: 2.3522 },
      { user: 'e@x.com', time: '2026-03-05T09:30:00Z', ip: 'not-an-ip' },
    ],
    'mmdb',
  );
  sessions.push(s);
  const result = await enrichAddresses(s.db, db.locator, 'tiny-city.mmdb (Test-City)');
  assert.deepEqual(result, { candidates: 2, located: 1, invalid: 1, database: 'tiny-city.mmdb (Test-City)' });
  const m = await mapSummary(s.db, {});
  const london = m.clusters.find((c) => c.precision === 'enriched')!;
  assert.ok(london, 'an enriched cluster');
  assert.equal(london.count, 1);
  assert.equal(london.radiusKm, 20);
  assert.match(london.place ?? '', /London, GB \(enriched\)/);
  assert.ok(m.clusters.some((c) => c.place === 'Oslo, NO' && c.precision === 'city'), 'the log’s Oslo stays Oslo');
  assert.ok(m.clusters.some((c) => c.precision === 'coordinates' && Math.abs(c.lat - 48.8566) < 1e-3), 'the log’s coordinates stay');
  assert.deepEqual(
    Object.fromEntries(m.byPrecision.map((p) => [p.precision, p.count])),
    { enriched: 1, city: 1, coordinates: 1, unknown: 1 },
  );
  // Travel uses enriched points too, with their precision.
  const segs = await impossibleTravel(s.db, { all: true });
  assert.deepEqual(segs[0]!.precisions, ['enriched', 'city']);
});

test('the adapter reads GeoLite2-style records and tolerates missing fields', () => {
  const locator: IpLocator = mmdbLocator({
    get: (ip: string) =>
      ip === '1.1.1.1'
        ? ({ location: { latitude: -33.49, longitude: 143.21 }, country: { iso_code: 'AU' } } as never)
        : ip === '2.2.2.2'
          ? ({ country: { iso_code: 'FR' } } as never)
          : null,
  });
  assert.deepEqual(locator.locate('1.1.1.1'), { lat: -33.49, lon: 143.21, radiusKm: 100, city: null, cc: 'AU' });
  assert.equal(locator.locate('2.2.2.2'), null, 'a record without coordinates does not place anything');
  assert.equal(locator.locate('3.3.3.3'), null);
});

test('a portal CSV with only “City, State, CC” locations is placed on the right cities', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-geo-csv-'));
  const csv = join(dir, 'InteractiveSignIns_2026-03-01_2026-03-02.csv');
  const header = '"Date (UTC)","Request ID","User","Username","IP address","Location","Status","Sign-in error code","Application"';
  const lines = [
    ['2026-03-01T08:00:00Z', 'r1', 'Ann', 'ann@x.com', '81.2.69.1', 'Melbourne, Victoria, AU', 'Success', '0', 'Office'],
    ['2026-03-01T09:00:00Z', 'r2', 'Ann', 'ann@x.com', '81.2.69.2', 'Melbourne, Florida, US', 'Failure', '50126', 'Office'],
    ['2026-03-01T10:00:00Z', 'r3', 'Bob', 'bob@x.com', '81.2.69.3', 'Oslo, Oslo, NO', 'Success', '0', 'Office'],
    ['2026-03-01T10:40:00Z', 'r4', 'Bob', 'bob@x.com', '81.2.69.4', 'Sydney, New South Wales, AU', 'Success', '0', 'Office'],
    ['2026-03-01T11:00:00Z', 'r5', 'Cid', 'cid@x.com', '81.2.69.5', 'São Paulo, Sao Paulo, BR', 'Success', '0', 'Office'],
    ['2026-03-01T12:00:00Z', 'r6', 'Cid', 'cid@x.com', '81.2.69.6', 'Springfield, Illinois, US', 'Success', '0', 'Office'],
  ];
  writeFileSync(csv, [header, ...lines.map((l) => l.map((v) => `"${v}"`).join(','))].join('\r\n') + '\r\n');
  const s = await Session.create(join(dir, 'case'), 'test');
  sessions.push(s);
  await importFiles(s, [csv], { signal: new AbortController().signal, progress: () => undefined });
  s.changed();
  const m = await mapSummary(s.db, { dataVersion: s.dataVersion });
  assert.equal(m.total, 6);
  const at = (lat: number, lon: number) => m.clusters.find((c) => haversineKm(c.lat, c.lon, lat, lon) < 25);
  assert.equal(at(-37.81, 144.96)?.cc, 'AU', 'Melbourne, Victoria, AU');
  assert.equal(at(28.08, -80.61)?.cc, 'US', 'Melbourne, Florida, US');
  assert.equal(at(59.91, 10.75)?.cc, 'NO', 'Oslo');
  assert.equal(at(-33.87, 151.21)?.cc, 'AU', 'Sydney');
  assert.equal(at(-23.55, -46.63)?.cc, 'BR', 'São Paulo');
  assert.equal(at(39.8, -89.64)?.cc, 'US', 'Springfield, Illinois');
  assert.ok(m.clusters.every((c) => c.precision === 'city'));
  const segs = await impossibleTravel(s.db, { dataVersion: s.dataVersion });
  assert.ok(segs.some((x) => x.fromRequestId === 'r3' && x.toRequestId === 'r4'), 'Oslo → Sydney in 40 minutes');
});
