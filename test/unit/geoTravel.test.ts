import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { impossibleTravel, isImpossible, haversineKm } from '../../electron/engine/geo/travel';
import { geoCase } from './geoRows';
import type { CaseSession } from '../../electron/engine/case/caseSession';

const sessions: CaseSession[] = [];
after(() => sessions.forEach((s) => s.close()));

test('haversine: Oslo → Sydney is about 15,950 km; Oslo → Stockholm about 415 km', () => {
  const osloSydney = haversineKm(59.9127, 10.7461, -33.8688, 151.2093);
  assert.ok(Math.abs(osloSydney - 15_950) < 100, `Oslo→Sydney ${osloSydney}`);
  const osloStockholm = haversineKm(59.9127, 10.7461, 59.3293, 18.0686);
  assert.ok(Math.abs(osloStockholm - 416) < 10, `Oslo→Stockholm ${osloStockholm}`);
});

test('the rule allows for uncertainty and ignores nearby points', () => {
  assert.equal(isImpossible(15_950, 100, 40 / 60), true);
  assert.equal(isImpossible(416, 100, 2), false);
  // 250 km in a minute: fast, but under the minimum distance
  assert.equal(isImpossible(250, 0, 1 / 60), false);
  // 1000 km in one hour with 2 × 300 km of uncertainty: only 400 km certain → fine
  assert.equal(isImpossible(1000, 600, 1), false);
  assert.equal(isImpossible(1000, 0, 1), true);
});

test('Oslo → Sydney in 40 minutes is impossible; Oslo → Stockholm in 2 hours is not', async () => {
  const s = await geoCase(
    [
      { user: 'alice@contoso.com', time: '2026-03-01T08:00:00Z', city: 'Oslo', state: 'Oslo', country: 'NO' },
      { user: 'alice@contoso.com', time: '2026-03-01T10:00:00Z', city: 'Stockholm', state: 'Stockholm', country: 'SE' },
      { user: 'bob@contoso.com', time: '2026-03-01T08:00:00Z', city: 'Oslo', state: 'Oslo', country: 'NO' },
      { user: 'bob@contoso.com', time: '2026-03-01T08:40:00Z', city: 'Sydney', state: 'New South Wales', country: 'AU' },
    ],
    'travel',
  );
  sessions.push(s);
  const segs = await impossibleTravel(s.db);
  assert.equal(segs.length, 1);
  const seg = segs[0]!;
  assert.equal(seg.user, 'bob@contoso.com');
  assert.equal(seg.fromRowId, 3);
  assert.equal(seg.toRowId, 4);
  assert.equal(seg.fromRequestId, 'req-3');
  assert.equal(seg.toRequestId, 'req-4');
  assert.deepEqual(seg.precisions, ['city', 'city']);
  assert.equal(seg.fromPlace, 'Oslo, NO');
  assert.match(seg.toPlace ?? '', /^Sydney/);
  assert.ok(seg.distanceKm > 15_800 && seg.distanceKm < 16_100, `distance ${seg.distanceKm}`);
  assert.ok(Math.abs(seg.hours - 40 / 60) < 1e-9);
  assert.ok(seg.speedKmh > 20_000, `speed ${seg.speedKmh}`);
  assert.equal(seg.fromTime, '2026-03-01T08:00:00.000000Z');

  const all = await impossibleTravel(s.db, { all: true });
  assert.equal(all.length, 2);
  const alice = all.find((x) => x.user === 'alice@contoso.com')!;
  assert.equal(alice.impossible, false);
  assert.ok(alice.speedKmh < 900);

  const onlyAlice = await impossibleTravel(s.db, { all: true, user: 'alice@contoso.com' });
  assert.deepEqual(onlyAlice.map((x) => x.user), ['alice@contoso.com']);
  // A slower threshold makes Oslo → Stockholm in 2 h alarm too.
  const strict = await impossibleTravel(s.db, { speedKmh: 100 });
  assert.equal(strict.length, 2);
});

test('country-level points in neighbouring countries an hour apart do not alarm', async () => {
  const s = await geoCase(
    [
      { user: 'carol@contoso.com', time: '2026-03-01T08:00:00Z', country: 'NO' },
      { user: 'carol@contoso.com', time: '2026-03-01T09:00:00Z', country: 'SE' },
      { user: 'carol@contoso.com', time: '2026-03-01T10:00:00Z', country: 'FI' },
      { user: 'carol@contoso.com', time: '2026-03-01T15:00:00Z', country: 'DE' },
      { user: 'carol@contoso.com', time: '2026-03-01T16:00:00Z', country: 'FR' },
      // A city-level point 10 minutes after a country-level point of the neighbouring country.
      { user: 'carol@contoso.com', time: '2026-03-01T16:10:00Z', city: 'Munich', state: 'Bavaria', country: 'DE' },
    ],
    'travel-country',
  );
  sessions.push(s);
  const all = await impossibleTravel(s.db, { all: true });
  assert.equal(all.length, 5);
  assert.ok(all.slice(0, 4).every((x) => x.precisions[0] === 'country' && x.precisions[1] === 'country'));
  assert.ok(all.every((x) => !x.impossible));
  assert.deepEqual(await impossibleTravel(s.db), []);
});

test('exact coordinates win over the city; the filter restricts the rows considered', async () => {
  const s = await geoCase(
    [
      // The record's coordinates say Bergen although the city field says Oslo.
      { user: 'dave@contoso.com', time: '2026-03-01T08:00:00Z', city: 'Oslo', country: 'NO', lat: 60.39, lon: 5.32 },
      { user: 'dave@contoso.com', time: '2026-03-01T08:30:00Z', city: 'Tokyo', country: 'JP', status: 'failure' },
      { user: 'dave@contoso.com', time: '2026-03-01T09:00:00Z', city: 'Bergen', country: 'NO' },
    ],
    'travel-coords',
  );
  sessions.push(s);
  const segs = await impossibleTravel(s.db);
  assert.equal(segs.length, 2);
  assert.deepEqual(segs.map((x) => x.precisions[0]).sort(), ['city', 'coordinates']);
  const viaFilter = await impossibleTravel(s.db, { whereSql: 'status = ?', params: ['success'], all: true });
  assert.equal(viaFilter.length, 1);
  assert.equal(viaFilter[0]!.impossible, false);
  assert.ok(viaFilter[0]!.distanceKm < 5, 'Bergen coordinates → Bergen city');
});
