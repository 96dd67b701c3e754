import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { isIP } from 'node:net';
import { Reader, type CityResponse } from 'maxmind';
import type { Database } from '../db/database';
import { GEO_TABLES } from './schema';
import { ENRICHED_DEFAULT_RADIUS_KM } from './places';
import { toAlpha2 } from './countries';

/**
 * Optional location of addresses the log did not place, from an analyst-supplied
 * MaxMind-format database (GeoLite2-City, DB-IP City Lite, ...). The file is only read.
 * Results go to `geo_ip_enrichment` and are used only for rows that have neither valid
 * coordinates nor a resolvable city/country in the log; they are marked 'enriched'
 * everywhere and never replace what the log says.
 */
export interface IpLocation {
  lat: number;
  lon: number;
  radiusKm: number;
  city: string | null;
  cc: string | null;
}

/** What enrichment needs from a database: one lookup. Tests inject their own. */
export interface IpLocator {
  locate(ip: string): IpLocation | null;
}

/** A locator over a MaxMind-format file (read once into memory, never written). */
export async function openMmdb(path: string): Promise<{ locator: IpLocator; databaseType: string; name: string }> {
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) throw new Error(`Not a file: ${path}`);
  let reader: Reader<CityResponse>;
  try {
    reader = new Reader<CityResponse>(await readFile(path));
  } catch (err) {
    throw new Error(`${basename(path)} is not a MaxMind-format (.mmdb) database: ${err instanceof Error ? err.message : String(err)}`);
  }
  const databaseType = reader.metadata.databaseType;
  return { locator: mmdbLocator(reader), databaseType, name: basename(path) };
}

export function mmdbLocator(reader: { get(ip: string): CityResponse | null }): IpLocator {
  return {
    locate(ip) {
      const rec = reader.get(ip);
      const lat = rec?.location?.latitude;
      const lon = rec?.location?.longitude;
      if (rec == null || typeof lat !== 'number' || typeof lon !== 'number') return null;
      return {
        lat,
        lon,
        radiusKm: rec.location?.accuracy_radius ?? ENRICHED_DEFAULT_RADIUS_KM,
        city: rec.city?.names?.en ?? null,
        cc: rec.country?.iso_code ? toAlpha2(rec.country.iso_code) : null,
      };
    },
  };
}

export interface EnrichmentResult {
  /** Distinct addresses without a location in the log. */
  candidates: number;
  located: number;
  invalid: number;
  database: string;
}

/** Look up every address whose rows the log did not place; replaces earlier enrichment. */
export async function enrichAddresses(db: Database, locator: IpLocator, database: string): Promise<EnrichmentResult> {
  for (const ddl of GEO_TABLES) await db.run(ddl);
  const rows = await db.all<{ ip: string }>(
    `SELECT DISTINCT s.ip_address AS ip FROM signins s
     LEFT JOIN geo_places p
       ON p.city IS NOT DISTINCT FROM s.city AND p.state IS NOT DISTINCT FROM s.state AND p.country IS NOT DISTINCT FROM s.country
     WHERE s.ip_address IS NOT NULL AND s.ip_address <> ''
       AND NOT coalesce(s.latitude BETWEEN -90 AND 90 AND s.longitude BETWEEN -180 AND 180 AND NOT (s.latitude = 0 AND s.longitude = 0), false)
       AND p.lat IS NULL`,
  );
  await db.run('DELETE FROM geo_ip_enrichment');
  let located = 0;
  let invalid = 0;
  const appender = await db.connection.createAppender('geo_ip_enrichment');
  for (const { ip } of rows) {
    const addr = ip.trim();
    if (!isIP(addr)) {
      invalid++;
      continue;
    }
    const hit = locator.locate(addr);
    if (!hit) continue;
    located++;
    appender.appendVarchar(ip);
    if (hit.cc) appender.appendVarchar(hit.cc);
    else appender.appendNull();
    appender.appendVarchar(`${[hit.city, hit.cc].filter(Boolean).join(', ') || addr} (enriched)`);
    appender.appendDouble(hit.lat);
    appender.appendDouble(hit.lon);
    appender.appendDouble(hit.radiusKm);
    appender.appendVarchar(database);
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
  return { candidates: rows.length, located, invalid, database };
}

export async function enrichmentInfo(db: Database): Promise<{ database: string | null; addresses: number }> {
  for (const ddl of GEO_TABLES) await db.run(ddl);
  const row = await db.one<{ n: string; d: string | null }>(`SELECT CAST(count(*) AS VARCHAR) AS n, any_value(database) AS d FROM geo_ip_enrichment`);
  return { database: row?.d ?? null, addresses: Number(row?.n ?? 0) };
}

export async function clearEnrichment(db: Database): Promise<void> {
  for (const ddl of GEO_TABLES) await db.run(ddl);
  await db.run('DELETE FROM geo_ip_enrichment');
}
