import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupCity } from '../../electron/engine/geo/gazetteer';
import { resolvePlace } from '../../electron/engine/geo/places';
import { countryInfo, toAlpha2 } from '../../electron/engine/geo/countries';
import { foldPlaceName } from '../../electron/engine/geo/placeName';
import { haversineKm } from '../../electron/engine/geo/travel';

test('place names fold accents, case and punctuation', () => {
  assert.equal(foldPlaceName('São Paulo'), 'sao paulo');
  assert.equal(foldPlaceName('SAINT-ÉTIENNE'), 'saint etienne');
  assert.equal(foldPlaceName('  Zürich '), 'zurich');
  assert.equal(foldPlaceName('Gießen'), 'giessen');
});

test('the state disambiguates cities that share a name', () => {
  const au = lookupCity('Melbourne', 'Victoria', 'AU')!;
  assert.equal(au.country, 'AU');
  assert.ok(haversineKm(au.lat, au.lon, -37.814, 144.963) < 20, 'Melbourne AU');
  const fl = lookupCity('Melbourne', 'Florida', 'US')!;
  assert.ok(haversineKm(fl.lat, fl.lon, 28.08, -80.61) < 20, 'Melbourne FL, not another Melbourne');
  const il = lookupCity('Springfield', 'Illinois', 'US')!;
  const mo = lookupCity('Springfield', 'Missouri', 'US')!;
  assert.equal(il.adminCode, 'IL');
  assert.equal(mo.adminCode, 'MO');
  const portlandMe = lookupCity('Portland', 'Maine', 'US')!;
  assert.ok(portlandMe.lon > -71 && portlandMe.lon < -69, 'Portland, Maine is on the east coast');
  // Without a state, the most populous match wins.
  const portland = lookupCity('Portland', null, 'US')!;
  assert.ok(portland.lon < -120, 'Portland, Oregon');
});

test('the country decides between cities of other countries', () => {
  const oslo = lookupCity('Oslo', 'Oslo', 'NO')!;
  assert.ok(haversineKm(oslo.lat, oslo.lon, 59.913, 10.746) < 10);
  const melbUs = lookupCity('Melbourne', null, 'US')!;
  assert.equal(melbUs.country, 'US');
  assert.equal(lookupCity('Oslo', null, 'SE'), undefined, 'no Oslo in Sweden');
});

test('accents and spelling variants match', () => {
  for (const spelling of ['São Paulo', 'Sao Paulo', 'SAO PAULO', 'são paulo']) {
    const hit = lookupCity(spelling, 'São Paulo', 'BR')!;
    assert.ok(hit, spelling);
    assert.ok(haversineKm(hit.lat, hit.lon, -23.55, -46.63) < 15, spelling);
  }
  assert.ok(haversineKm(...latLon(lookupCity('Zurich', 'Zurich', 'CH')), 47.37, 8.55) < 10);
  assert.ok(haversineKm(...latLon(lookupCity('New York', 'New York', 'US')), 40.71, -74.0) < 15, 'New York → New York City');
  assert.ok(haversineKm(...latLon(lookupCity('Kiev', null, 'UA')), 50.45, 30.52) < 15, 'Kiev → Kyiv');
});

function latLon(c: { lat: number; lon: number } | undefined): [number, number] {
  assert.ok(c);
  return [c.lat, c.lon];
}

test('precision levels: city, then country centroid, then unknown', () => {
  const city = resolvePlace({ city: 'Bergen', state: 'Vestland', country: 'NO' });
  assert.equal(city.precision, 'city');
  assert.equal(city.radiusKm, 50);
  assert.equal(city.place, 'Bergen, Vestland, NO');

  const noCity = resolvePlace({ city: 'Nowhereville', state: null, country: 'NO' });
  assert.equal(noCity.precision, 'country');
  assert.equal(noCity.cc, 'NO');
  assert.equal(noCity.place, 'Norway');

  const byName = resolvePlace({ city: null, state: null, country: 'Germany' });
  assert.equal(byName.precision, 'country');
  assert.equal(byName.cc, 'DE');

  const unknown = resolvePlace({ city: 'Atlantis', state: null, country: null });
  assert.equal(unknown.precision, 'unknown');
  assert.equal(unknown.lat, null);
  assert.equal(unknown.place, 'Atlantis');

  assert.equal(resolvePlace({ city: null, state: null, country: 'ZZ' }).precision, 'unknown');
});

test('country centroids lie on the main landmass, with radii that fit the country', () => {
  const cases: [string, number, number, number][] = [
    // cc, expected lat, lon, tolerance km
    ['NO', 64.5, 12.5, 250],
    ['FR', 46.6, 2.4, 150], // metropolitan France, not pulled towards French Guiana
    ['US', 39.5, -98.5, 300], // the contiguous states, not pulled towards Alaska
    ['AU', -25.5, 134.5, 250],
    ['BR', -10.5, -53, 350],
  ];
  for (const [cc, lat, lon, tol] of cases) {
    const info = countryInfo(cc)!;
    assert.ok(info, cc);
    const off = haversineKm(info.lat, info.lon, lat, lon);
    assert.ok(off < tol, `${cc} centroid ${info.lat},${info.lon} is ${Math.round(off)} km off`);
  }
  assert.ok(countryInfo('LU')!.radiusKm <= 60, 'small countries get a small radius');
  assert.ok(countryInfo('US')!.radiusKm > 2000, 'large countries a large one');
  assert.ok(countryInfo('NO')!.radiusKm > countryInfo('DK')!.radiusKm);
});

test('countries are read as alpha-2 codes, alpha-3 codes or names', () => {
  assert.equal(toAlpha2('NO'), 'NO');
  assert.equal(toAlpha2('no'), 'NO');
  assert.equal(toAlpha2('NOR'), 'NO');
  assert.equal(toAlpha2('Norway'), 'NO');
  assert.equal(toAlpha2('United States'), 'US');
  assert.equal(toAlpha2('USA'), 'US');
  assert.equal(toAlpha2(''), null);
  assert.equal(toAlpha2('QQ'), null);
});
