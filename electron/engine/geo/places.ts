import type { Database } from '../db/database';
import { GEO_TABLES } from './schema';
import { lookupCity } from './gazetteer';
import { countryInfo, countryName, toAlpha2 } from './countries';

/**
 * Where each sign-in is. Resolution works on the few distinct (city, state, country)
 * spellings of a case, not on its million rows: they are resolved in the engine against
 * the gazetteer once, stored in `geo_places`, and every query joins to that table.
 *
 * Precedence for a row: its own valid latitude/longitude ('coordinates'); otherwise its
 * city in the gazetteer ('city'); otherwise its country's centroid ('country');
 * otherwise an analyst-supplied .mmdb lookup of its IP address ('enriched'), which never
 * overrides anything the log says; otherwise 'unknown'.
 */
export type Precision = 'coordinates' | 'city' | 'country' | 'enriched' | 'unknown';
export const PRECISIONS: readonly Precision[] = ['coordinates', 'city', 'country', 'enriched', 'unknown'];

/** Uncertainty radius (km) of each precision; country radii come from the country's shape. */
export const COORDINATES_RADIUS_KM = 25;
export const CITY_RADIUS_KM = 50;
export const ENRICHED_DEFAULT_RADIUS_KM = 100;

interface PlaceKey {
  city: string | null;
  state: string | null;
  country: string | null;
}

interface ResolvedPlace extends PlaceKey {
  cc: string | null;
  place: string | null;
  lat: number | null;
  lon: number | null;
  precision: Precision;
  radiusKm: number | null;
}

export function resolvePlace(key: PlaceKey): ResolvedPlace {
  const cc = toAlpha2(key.country);
  const city = key.city?.trim() || null;
  const state = key.state?.trim() || null;
  if (cc && city) {
    const hit = lookupCity(city, state, cc);
    if (hit) {
      const place = [hit.name, state && state !== hit.name ? state : null, cc].filter(Boolean).join(', ');
      return { ...key, cc, place, lat: hit.lat, lon: hit.lon, precision: 'city', radiusKm: CITY_RADIUS_KM };
    }
  }
  if (cc) {
    const info = countryInfo(cc);
    if (info) return { ...key, cc, place: countryName(cc), lat: info.lat, lon: info.lon, precision: 'country', radiusKm: info.radiusKm };
  }
  const label = [city, state, key.country?.trim() || null].filter(Boolean).join(', ') || null;
  return { ...key, cc, place: label, lat: null, lon: null, precision: 'unknown', radiusKm: null };
}

const resolving = new WeakMap<Database, Promise<void>>();
const resolvedAt = new WeakMap<Database, number>();

/**
 * Make sure every (city, state, country) of `signins` has a row in `geo_places`.
 * `dataVersion` (the session's) skips the check when nothing changed since last time;
 * without it the check runs (one DISTINCT scan, tens of milliseconds on a million rows).
 */
export async function ensurePlaces(db: Database, dataVersion?: number): Promise<void> {
  if (dataVersion !== undefined && resolvedAt.get(db) === dataVersion) return;
  // Serialise per database: the map and the travel view may ask at the same moment.
  const prior = resolving.get(db) ?? Promise.resolve();
  const next = prior.then(() => resolveMissing(db, dataVersion));
  resolving.set(db, next.catch(() => undefined));
  await next;
}

async function resolveMissing(db: Database, dataVersion?: number): Promise<void> {
  if (dataVersion !== undefined && resolvedAt.get(db) === dataVersion) return;
  for (const ddl of GEO_TABLES) await db.run(ddl);
  const missing = await db.all<{ city: string | null; state: string | null; country: string | null }>(
    `SELECT DISTINCT s.city, s.state, s.country FROM signins s
     WHERE NOT EXISTS (SELECT 1 FROM geo_places p
       WHERE p.city IS NOT DISTINCT FROM s.city AND p.state IS NOT DISTINCT FROM s.state AND p.country IS NOT DISTINCT FROM s.country)`,
  );
  if (missing.length) {
    const appender = await db.connection.createAppender('geo_places');
    const text = (v: string | null): void => (v === null ? appender.appendNull() : appender.appendVarchar(v));
    const num = (v: number | null): void => (v === null ? appender.appendNull() : appender.appendDouble(v));
    for (const key of missing) {
      const r = resolvePlace(key);
      text(r.city);
      text(r.state);
      text(r.country);
      text(r.cc);
      text(r.place);
      num(r.lat);
      num(r.lon);
      appender.appendVarchar(r.precision);
      num(r.radiusKm);
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
  }
  if (dataVersion !== undefined) resolvedAt.set(db, dataVersion);
}

/** Whether the case holds any .mmdb enrichment (the join is skipped otherwise). */
async function hasEnrichment(db: Database): Promise<boolean> {
  return Number(await db.scalar('SELECT count(*) FROM geo_ip_enrichment')) > 0;
}

const VALID_COORDS = `(s.latitude BETWEEN -90 AND 90 AND s.longitude BETWEEN -180 AND 180 AND NOT (s.latitude = 0 AND s.longitude = 0))`;

/**
 * SQL of a relation holding the filtered sign-ins with their resolved location:
 * the requested canonical columns plus loc_lat, loc_lon, loc_precision, loc_radius_km,
 * loc_place, loc_cc. `where` is a filterSql WHERE fragment over `signins` (applied
 * before the join, so its unqualified column names stay unambiguous); its parameters
 * are the caller's. Call `ensurePlaces` first.
 */
export async function locatedSql(db: Database, columns: readonly string[], where = 'TRUE'): Promise<string> {
  const enrich = await hasEnrichment(db);
  const wanted = new Set([...columns, 'city', 'state', 'country', 'latitude', 'longitude', 'ip_address']);
  const cols = [...wanted].map((c) => `"${c.replace(/"/g, '')}"`).join(', ');
  const e = (expr: string, fallback: string): string => (enrich ? `WHEN e.ip IS NOT NULL THEN ${expr}` : '') + ` ELSE ${fallback}`;
  return `(SELECT s.*,
      CASE WHEN ${VALID_COORDS} THEN s.latitude WHEN p.lat IS NOT NULL THEN p.lat ${e('e.lat', 'NULL')} END AS loc_lat,
      CASE WHEN ${VALID_COORDS} THEN s.longitude WHEN p.lon IS NOT NULL THEN p.lon ${e('e.lon', 'NULL')} END AS loc_lon,
      CASE WHEN ${VALID_COORDS} THEN 'coordinates' WHEN p.lat IS NOT NULL THEN p.precision ${e(`'enriched'`, `'unknown'`)} END AS loc_precision,
      CASE WHEN ${VALID_COORDS} THEN ${COORDINATES_RADIUS_KM}.0 WHEN p.lat IS NOT NULL THEN p.radius_km ${e('e.radius_km', 'NULL')} END AS loc_radius_km,
      CASE WHEN ${VALID_COORDS} THEN coalesce(p.place, printf('%.3f, %.3f', s.latitude, s.longitude))
           WHEN p.lat IS NOT NULL THEN p.place ${e('e.place', 'p.place')} END AS loc_place,
      CASE WHEN p.cc IS NOT NULL THEN p.cc ${e('e.cc', 'NULL')} END AS loc_cc
    FROM (SELECT ${cols} FROM signins WHERE ${where}) s
    LEFT JOIN geo_places p
      ON p.city IS NOT DISTINCT FROM s.city AND p.state IS NOT DISTINCT FROM s.state AND p.country IS NOT DISTINCT FROM s.country
    ${enrich ? `LEFT JOIN geo_ip_enrichment e ON e.ip = s.ip_address AND NOT coalesce(${VALID_COORDS}, false) AND p.lat IS NULL` : ''})`;
}
