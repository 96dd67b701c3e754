import type { Database } from '../db/database';
import { ensurePlaces, locatedSql } from './places';
import { GEO_TABLES } from './schema';

/**
 * A per-row location cache, so the map can aggregate a million rows within its budget:
 * `geo_row_loc(row_id, time_utc, failed, user_ix, point_ix, bucket_ix)` with integer user,
 * point and bucket numbers (`geo_users`, `geo_points`, `geo_buckets` = point × country ×
 * precision). Grouping on small integers instead of
 * user-principal-name strings is what makes distinct-user counts cheap.
 *
 * Sign-ins are append-only in a case, so the cache is stamped with the row count, the
 * highest row_id and the enrichment count, and rebuilt only when one of them changes.
 */
export const USER_KEY_SQL = `coalesce(nullif(user_principal_name, ''), nullif(user_id, ''), nullif(service_principal_name, ''))`;

/** Stable cluster key: precision + coordinates rounded to 4 decimals (~10 m). */
export const POINT_KEY_SQL = (prec: string, lat: string, lon: string): string =>
  `${prec} || '|' || CAST(${lat} AS VARCHAR) || '|' || CAST(${lon} AS VARCHAR)`;

const building = new WeakMap<Database, Promise<unknown>>();

async function signature(db: Database): Promise<string> {
  const row = await db.one<{ n: string; m: string | null; e: string }>(
    `SELECT CAST(count(*) AS VARCHAR) AS n, CAST(max(row_id) AS VARCHAR) AS m,
       (SELECT CAST(count(*) AS VARCHAR) FROM geo_ip_enrichment) AS e FROM signins`,
  );
  return `${row?.n}|${row?.m}|${row?.e}|v3`;
}

/**
 * Whether `geo_row_loc` lists the rows in the physical order of `signins` (it is built
 * that way), so the two can be read side by side with a POSITIONAL JOIN instead of a
 * hash join on row_id. Checked once per build; a mismatch falls back to the join.
 */
const aligned = new WeakMap<Database, boolean>();

const checkedAt = new WeakMap<Database, { version: number; signature: string; aligned: boolean }>();

export async function ensureRowLocations(db: Database, dataVersion?: number): Promise<{ aligned: boolean; signature: string }> {
  // Within one data version of a session nothing can have changed: skip even the stamp query.
  const seen = checkedAt.get(db);
  if (dataVersion !== undefined && seen?.version === dataVersion) return { aligned: seen.aligned, signature: seen.signature };
  // Places are resolved as part of a rebuild; while the stamp matches, the rows (and so
  // their places) are those the cache was built from.
  const prior = building.get(db) ?? Promise.resolve();
  const next = prior.then(() => rebuildIfStale(db));
  building.set(db, next.catch(() => undefined));
  const signature = await next;
  let ok = aligned.get(db);
  if (ok === undefined) {
    const mismatches = Number(
      await db.scalar(
        `SELECT count(*) FROM (SELECT row_id AS a FROM signins) POSITIONAL JOIN (SELECT row_id AS b FROM geo_row_loc) WHERE a IS DISTINCT FROM b`,
      ),
    );
    ok = mismatches === 0;
    aligned.set(db, ok);
  }
  if (dataVersion !== undefined) checkedAt.set(db, { version: dataVersion, signature, aligned: ok });
  return { aligned: ok, signature };
}

async function rebuildIfStale(db: Database): Promise<string> {
  for (const ddl of GEO_TABLES) await db.run(ddl);
  await db.run(`CREATE TABLE IF NOT EXISTS geo_cache_meta (signature VARCHAR)`);
  const sig = await signature(db);
  const stored = await db.scalar(`SELECT signature FROM geo_cache_meta LIMIT 1`);
  if (stored === sig) return sig;
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
    LEFT JOIN geo_points p ON p.lat = round(x.loc_lat, 4) AND p.lon = round(x.loc_lon, 4) AND p.precision = x.loc_precision`);
  // One small integer per (point, country, precision): the map groups by it alone.
  await db.run(`CREATE OR REPLACE TABLE geo_buckets AS
    SELECT CAST(row_number() OVER (ORDER BY point_ix NULLS LAST, cc NULLS LAST, precision) AS INTEGER) AS bucket_ix, *
    FROM (SELECT DISTINCT point_ix, cc, precision FROM geo_row_loc)`);
  await db.run(`CREATE OR REPLACE TABLE geo_row_loc AS
    SELECT g.row_id, g.time_utc, g.failed, g.user_ix, g.point_ix, b.bucket_ix
    FROM geo_row_loc g JOIN geo_buckets b
      ON b.point_ix IS NOT DISTINCT FROM g.point_ix AND b.cc IS NOT DISTINCT FROM g.cc AND b.precision = g.precision
    JOIN (SELECT row_id, rowid AS pos FROM signins) s ON s.row_id = g.row_id
    ORDER BY s.pos`);
  await db.run(`DELETE FROM geo_cache_meta`);
  await db.run(`INSERT INTO geo_cache_meta VALUES (?)`, [sig]);
  aligned.delete(db);
  return sig;
}

/**
 * The cached rows restricted to a filterSql WHERE fragment over `signins` (its params are
 * the caller's). A join, not IN: DuckDB makes it one hash join on the filtered row ids.
 */
export function cachedRows(where: string | undefined, isAligned = false): string {
  const w = where?.trim();
  if (!w || w === 'TRUE') return 'geo_row_loc';
  if (isAligned) {
    // Read side by side: the filter sees only `signins` columns (the cache's are renamed).
    return `(SELECT geo_row_id AS row_id, geo_time AS time_utc, geo_failed AS failed, geo_user_ix AS user_ix,
        geo_point_ix AS point_ix, geo_bucket_ix AS bucket_ix
      FROM signins POSITIONAL JOIN (SELECT row_id AS geo_row_id, time_utc AS geo_time, failed AS geo_failed,
        user_ix AS geo_user_ix, point_ix AS geo_point_ix, bucket_ix AS geo_bucket_ix FROM geo_row_loc)
      WHERE ${w})`;
  }
  return `(SELECT g.* FROM geo_row_loc g JOIN (SELECT row_id FROM signins WHERE ${w}) f USING (row_id))`;
}
