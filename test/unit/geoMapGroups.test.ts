import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { geoCase, insertGeoRows } from './geoRows';
import type { CaseSession } from '../../electron/engine/case/caseSession';
import { CaseSession as Session } from '../../electron/engine/case/caseSession';
import { mapSummary } from '../../electron/engine/geo/mapAggregate';

/**
 * The whole-case map is read from (bucket, user) groups kept in the case: it must equal the
 * same map computed live from every row (a filter that keeps every row takes that path),
 * with rows lacking a user or a place, after a second import, after tags, and after reopen.
 */
const sessions: CaseSession[] = [];
after(() => sessions.forEach((s) => s.close()));

const ROWS = [
  { user: 'a@x.com', time: '2026-03-01T08:00:00Z', city: 'Oslo', state: 'Oslo', country: 'NO' },
  { user: 'a@x.com', time: '2026-03-01T09:00:00Z', city: 'Oslo', state: 'Oslo', country: 'NO', status: 'failure' as const },
  { user: '', time: '2026-03-02T08:00:00Z', city: 'Oslo', state: 'Oslo', country: 'NO' },
  { user: 'b@x.com', time: '2026-03-02T10:00:00Z', city: 'Bergen', state: 'Vestland', country: 'NO' },
  { user: 'c@x.com', time: '2026-03-03T08:00:00Z', country: 'SE' },
  { user: 'c@x.com', time: '2026-03-03T09:00:00Z', lat: 40.7128, lon: -74.006, city: 'New York', state: 'New York', country: 'US', status: 'failure' as const },
  { user: 'd@x.com', time: '2026-03-04T08:00:00Z', ip: '10.0.0.1' },
  { user: 'd@x.com', time: '2026-03-04T09:00:00Z', country: null },
];

async function live(s: CaseSession) {
  return mapSummary(s.db, { dataVersion: s.dataVersion, whereSql: 'row_id IS NOT NULL OR row_id IS NULL', noMemo: true });
}
async function kept(s: CaseSession) {
  return mapSummary(s.db, { dataVersion: s.dataVersion, noMemo: true });
}
const stamps = async (s: CaseSession) => String(await s.db.scalar(`SELECT signature FROM geo_map_groups_stamp`));

test('the whole-case map from kept groups equals the live map, after a second import, tags and a reopen', async () => {
  const s = await geoCase(ROWS, 'map-groups');
  sessions.push(s);
  const first = await kept(s);
  assert.equal(first.total, ROWS.length);
  assert.ok(first.countries.some((c) => c.cc === null), 'rows without a place are counted');
  assert.deepEqual(first, await live(s));

  // A second import: the groups follow the new rows.
  await insertGeoRows(s, [
    { user: 'a@x.com', time: '2026-03-09T08:00:00Z', city: 'Oslo', state: 'Oslo', country: 'NO', status: 'failure' },
    { user: 'z@x.com', time: '2026-03-09T09:00:00Z', city: 'Tromsø', country: 'NO' },
    { user: '', time: '2026-03-09T10:00:00Z' },
  ]);
  s.changed();
  const second = await kept(s);
  assert.equal(second.total, ROWS.length + 3);
  assert.equal(second.clusters.find((c) => c.place === 'Oslo, NO')!.count, first.clusters.find((c) => c.place === 'Oslo, NO')!.count + 1);
  assert.deepEqual(second, await live(s));

  // Tags do not enter the map: the groups are not rebuilt for them.
  const stamp = await stamps(s);
  const oidBefore = String(await s.db.scalar(`SELECT table_oid FROM duckdb_tables() WHERE table_name = 'geo_map_groups'`));
  await s.db.run(`INSERT INTO tags (tag_id, name, color, created_at) VALUES (7, 'seen', 'blue', now()::TIMESTAMP)`);
  await s.db.run(`INSERT INTO row_tags (row_id, tag_id, tagged_at) SELECT row_id, 7, now()::TIMESTAMP FROM signins`);
  s.changed();
  assert.deepEqual(await kept(s), second);
  assert.equal(await stamps(s), stamp);
  assert.equal(String(await s.db.scalar(`SELECT table_oid FROM duckdb_tables() WHERE table_name = 'geo_map_groups'`)), oidBefore);

  // After a reopen the kept groups are read, not built again.
  const dir = s.dir;
  s.close();
  await s.db.closed;
  const again = await Session.open(dir);
  sessions.push(again);
  // A rebuild (CREATE OR REPLACE) would give the table a new oid.
  const oid = async () => String(await again.db.scalar(`SELECT table_oid FROM duckdb_tables() WHERE table_name = 'geo_map_groups'`));
  const built = await oid();
  assert.deepEqual(await kept(again), second);
  assert.equal(await oid(), built);
  assert.equal(await stamps(again), stamp);
});
