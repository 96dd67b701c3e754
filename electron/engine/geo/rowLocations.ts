import type { Database } from '../db/database';
import { ensurePlaces, locatedSql } from './places';

/**
 * A per-row location cache, so the map can aggregate a million rows within its budget:
 * `geo_row_loc(row_id, time_utc, failed, user_ix, point_ix, cc)` with integer user and
 * point numbers (`geo_users`, `geo_points`). Grouping on small integers instead of
 * user-principal-name strings is what makes distinct-user counts cheap.
 *
 * Sign-ins are append-only in a case, so the cache is stamped with the row count, the
 * highest row_id and the enrichment count, and rebuilt only when one of them changes.
 */
export const USER_KEY_SQL = `coalesce(nullif(user_principal_name, ''), nullif(user_id, ''), nullif(service_principal_name, ''))`;

/** Stable cluster key: precision + coordinates rounded to 4 decimals (~10 m). */
export const POINT_KEY_SQL = (prec: string, lat: string, lon: string): string =>
  `${prec} || '|' || CAST(${lat} AS VARCHAR) || '|' || CAST(${lon} AS VARCHAR)`;

const building = new WeakMap<Database, Promise<void>>();

async function signature(db: Database): Promise<string> {
  const row = await db.one<{ n: string; m: string | null; e: string }>(
    `SELECT CAST(count(*) AS VARCHAR) AS n, CAST(max(row_id) AS VARCHAR) AS m,
       (SELECT CAST(count(*) AS VARCHAR) FROM geo_ip_enrichment) AS e FROM signins`,
  );
  return `${row?.n}|${row?.m}|${row?.e}|v1`;
}

export async function ensureRowLocations(db: Database, dataVersion?: number): Promise<void> {
  await ensurePlaces(db, dataVersion);
  const prior = building.get(db) ?? Promise.resolve();
  const next = prior.then(() => rebuildIfStale(db));
  building.set(db, next.catch(() => undefined));
  await next;
}

async function rebuildIfStale(db: Database): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS geo_cache_meta (signature VARCHAR)`);
  const sig = await signature(db);
  const stored = await db.scalar(`SELECT signature FROM geo_cache_meta LIMIT 1`);
  if (stored === sig) return;
  // Resolution may have gained places since the last build (new import).
  await ensurePlaces(db);
  const located = await locatedSql(db, ['row_id', 'time_utc', 'status', 'user_principal_name', 'user_id', 'service_principal_name']);
  await db.run(`CREATE OR REPLACE TABLE geo_users AS
    SELECT CAST(row_number() OVER (ORDER BY who) AS INTEGER) AS user_ix, who
    FROM (SELECT DISTINCT ${USER_KEY_SQL} AS who FROM signins WHERE ${USER_KEY_SQL} IS NOT NULL)`);
  await db.run(`CREATE OR REPLACE TABLE geo_points AS
    SELECT CAST(row_number() OVER (ORDER BY precision, lat, lon) AS INTEGER) AS point_ix, *,
      ${POINT_KEY_SQL('precision', 'lat', 'lon')} AS key
    FROM (SELECT round(loc_lat, 4) AS lat, round(loc_lon, 4) AS lon, loc_precision AS precision,
            max(loc_radius_km) AS radius_km, mode(loc_place) AS place, mode(loc_cc) AS cc
          FROM ${located} x WHERE loc_lat IS NOT NULL GROUP BY 1, 2, 3)`);
  await db.run(`CREATE OR REPLACE TABLE geo_row_loc AS
    SELECT x.row_id, x.time_utc, coalesce(x.status = 'failure', false) AS failed, u.user_ix, p.point_ix, x.loc_cc AS cc,
      x.loc_precision AS precision
    FROM ${located} x
    LEFT JOIN geo_users u ON u.who = ${USER_KEY_SQL.replace(/\b(user_principal_name|user_id|service_principal_name)\b/g, 'x.$1')}
    LEFT JOIN geo_points p ON p.lat = round(x.loc_lat, 4) AND p.lon = round(x.loc_lon, 4) AND p.precision = x.loc_precision
    ORDER BY x.row_id`);
  await db.run(`DELETE FROM geo_cache_meta`);
  await db.run(`INSERT INTO geo_cache_meta VALUES (?)`, [sig]);
}

/**
 * The cached rows restricted to a filterSql WHERE fragment over `signins` (its params are
 * the caller's). A join, not IN: DuckDB makes it one hash join on the filtered row ids.
 */
export function cachedRows(where: string | undefined): string {
  const w = where?.trim();
  if (!w || w === 'TRUE') return 'geo_row_loc';
  return `(SELECT g.* FROM geo_row_loc g JOIN (SELECT row_id FROM signins WHERE ${w}) f USING (row_id))`;
}
