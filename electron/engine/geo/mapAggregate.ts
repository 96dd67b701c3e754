import type { Database, SqlParam } from '../db/database';
import type { Precision } from './places';
import { countryName } from './countries';
import { cachedRows, ensureRowLocations } from './rowLocations';

/**
 * What the map shows for a filter: one cluster per resolved location (the UI merges
 * nearby ones at low zoom), one row per country, and counts per precision. Reads the
 * per-row location cache (rowLocations.ts): the filter selects row ids from `signins`,
 * a first aggregation groups by (point, country, user) on integers, and the clusters
 * and countries roll that up, so distinct users stay exact and cheap.
 */
export interface MapCluster {
  /** Identifies the cluster for `clusterRowIds`: precision + rounded coordinates. */
  key: string;
  lat: number;
  lon: number;
  place: string | null;
  cc: string | null;
  precision: Precision;
  radiusKm: number;
  count: number;
  users: number;
  failures: number;
  firstUtc: string | null;
  lastUtc: string | null;
}

export interface CountryRow {
  cc: string | null;
  name: string;
  /** The log's own spellings of this country (for a values filter on `country`). */
  values: (string | null)[];
  count: number;
  users: number;
  failures: number;
  firstUtc: string | null;
  lastUtc: string | null;
}

export interface MapSummary {
  clusters: MapCluster[];
  countries: CountryRow[];
  total: number;
  byPrecision: { precision: Precision; count: number }[];
  /** Clusters beyond the limit (the smallest) are left out and counted here. */
  omittedClusters: number;
}

export interface MapOptions {
  whereSql?: string;
  params?: SqlParam[];
  dataVersion?: number;
  maxClusters?: number;
  /** Skip the unfiltered-map memo (benchmarks measure the computation itself). */
  noMemo?: boolean;
}

const ISO = `'%Y-%m-%dT%H:%M:%S.%fZ'`;


type Part = {
  part: 'c' | 'k' | 'p';
  point_ix: number | null;
  cc: string | null;
  precision: Precision | null;
  users: string;
  n: string;
  f: string;
  first_utc: string | null;
  last_utc: string | null;
  lat: number | null;
  lon: number | null;
  place: string | null;
  key: string | null;
  radius_km: number | null;
  point_cc: string | null;
};

export async function mapSummary(db: Database, opts: MapOptions = {}): Promise<MapSummary> {
  const cache = await ensureRowLocations(db, opts.dataVersion);
  const whole = cachedRows(opts.whereSql, cache.aligned) === 'geo_row_loc';
  // The unfiltered map is what every visit opens with: kept until the rows change.
  const memo = wholeCase.get(db);
  if (whole && !opts.noMemo && memo?.signature === cache.signature && memo.maxClusters === (opts.maxClusters ?? 4000)) return memo.summary;
  const summary = await summarise(db, cache, opts);
  if (whole) wholeCase.set(db, { signature: cache.signature, maxClusters: opts.maxClusters ?? 4000, summary });
  return summary;
}

const wholeCase = new WeakMap<Database, { signature: string; maxClusters: number; summary: MapSummary }>();

/** The log's spellings of each country; places change only when the location cache is rebuilt. */
const spellingsFor = new WeakMap<Database, { signature: string; rows: Promise<{ cc: string | null; country: string | null }[]> }>();

function countrySpellings(db: Database, signature: string): Promise<{ cc: string | null; country: string | null }[]> {
  const hit = spellingsFor.get(db);
  if (hit?.signature === signature) return hit.rows;
  const rows = db.all<{ cc: string | null; country: string | null }>(`SELECT DISTINCT cc, country FROM geo_places ORDER BY country NULLS LAST LIMIT 5000`);
  spellingsFor.set(db, { signature, rows });
  rows.catch(() => spellingsFor.delete(db));
  return rows;
}

/** One row per (bucket, user) of the whole case, kept in the case beside the location cache it is grouped from. */
const WHOLE_GROUPS_TABLE = 'geo_map_groups';
const WHOLE_GROUPS_STAMP = 'geo_map_groups_stamp';

function groupsSql(rows: string): string {
  return `SELECT bucket_ix, user_ix, count(*) AS n, count(*) FILTER (WHERE failed) AS f, min(time_utc) AS mi, max(time_utc) AS ma
      FROM ${rows} r0
      GROUP BY bucket_ix, user_ix`;
}

const wholeGroupsBuilding = new WeakMap<Database, Promise<void>>();

/**
 * The unfiltered map's (bucket, user) groups, built once per location cache (stamped with
 * its signature) and kept in the case: the map of the whole case then reads a few thousand
 * groups instead of every row (10M rows: seconds), in this session and after a reopen.
 * Sign-ins only change by import, which changes the signature; tags and notes do not enter.
 */
async function ensureWholeGroups(db: Database, signature: string): Promise<void> {
  const prior = wholeGroupsBuilding.get(db) ?? Promise.resolve();
  const next = prior.catch(() => undefined).then(async () => {
    await db.run(`CREATE TABLE IF NOT EXISTS ${WHOLE_GROUPS_STAMP} (signature VARCHAR)`);
    if ((await db.scalar(`SELECT signature FROM ${WHOLE_GROUPS_STAMP} LIMIT 1`)) === signature) return;
    await db.run(`CREATE OR REPLACE TABLE ${WHOLE_GROUPS_TABLE} AS ${groupsSql('geo_row_loc')}`);
    await db.run(`DELETE FROM ${WHOLE_GROUPS_STAMP}`);
    await db.run(`INSERT INTO ${WHOLE_GROUPS_STAMP} VALUES (?)`, [signature]);
  });
  wholeGroupsBuilding.set(db, next);
  return next;
}

async function summarise(db: Database, cache: { aligned: boolean; signature: string }, opts: MapOptions): Promise<MapSummary> {
  const maxClusters = opts.maxClusters ?? 4000;
  const source = cachedRows(opts.whereSql, cache.aligned);
  if (source === 'geo_row_loc') await ensureWholeGroups(db, cache.signature);
  // One pass over the rows groups by (bucket, user) on small integers: a few hundred
  // groups carrying counts, failures and first/last times. Clusters, countries and
  // precisions, with their exact distinct users, roll up from those groups.
  const sql = `
    WITH g AS (${source === 'geo_row_loc' ? `SELECT * FROM ${WHOLE_GROUPS_TABLE}` : groupsSql(source)}),
    a AS (SELECT b.point_ix, b.cc, b.precision, g.user_ix, g.n, g.f, g.mi, g.ma FROM g JOIN geo_buckets b USING (bucket_ix)),
    parts AS (
      SELECT 'c' AS part, point_ix, NULL AS cc, NULL AS precision, count(DISTINCT user_ix) AS users, sum(n) AS n, sum(f) AS f, min(mi) AS mi, max(ma) AS ma
      FROM a WHERE point_ix IS NOT NULL GROUP BY point_ix
      UNION ALL
      SELECT 'k', NULL, cc, NULL, count(DISTINCT user_ix), sum(n), sum(f), min(mi), max(ma) FROM a GROUP BY cc
      UNION ALL
      SELECT 'p', NULL, NULL, precision, 0, sum(n), 0, min(mi), max(ma) FROM a GROUP BY precision
    )
    SELECT x.part, x.point_ix, x.cc, x.precision, CAST(x.users AS VARCHAR) AS users, CAST(x.n AS VARCHAR) AS n,
      CAST(x.f AS VARCHAR) AS f, strftime(x.mi, ${ISO}) AS first_utc, strftime(x.ma, ${ISO}) AS last_utc,
      p.lat, p.lon, p.place, p.key, p.radius_km, p.cc AS point_cc, p.precision AS point_precision
    FROM parts x LEFT JOIN geo_points p ON p.point_ix = x.point_ix`;
  const rows = await db.all<Part & { point_precision: Precision | null }>(sql, opts.params ?? []);
  const clusters: MapCluster[] = [];
  const countries: CountryRow[] = [];
  const byPrecision: { precision: Precision; count: number }[] = [];
  for (const r of rows) {
    if (r.part === 'c' && r.key !== null && r.lat !== null && r.lon !== null) {
      clusters.push({
        key: r.key,
        lat: r.lat,
        lon: r.lon,
        place: r.place,
        cc: r.point_cc,
        precision: r.point_precision ?? 'unknown',
        radiusKm: r.radius_km ?? 0,
        count: Number(r.n),
        users: Number(r.users),
        failures: Number(r.f),
        firstUtc: r.first_utc,
        lastUtc: r.last_utc,
      });
    } else if (r.part === 'k') {
      countries.push({
        cc: r.cc,
        name: r.cc ? countryName(r.cc) : 'Unknown',
        values: [],
        count: Number(r.n),
        users: Number(r.users),
        failures: Number(r.f),
        firstUtc: r.first_utc,
        lastUtc: r.last_utc,
      });
    } else if (r.part === 'p') {
      byPrecision.push({ precision: r.precision ?? 'unknown', count: Number(r.n) });
    }
  }
  clusters.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const spellings = await countrySpellings(db, cache.signature);
  for (const c of countries) c.values = spellings.filter((s) => s.cc === c.cc).map((s) => s.country).slice(0, 100);
  // Ties are broken by name so equal counts keep one order from run to run.
  countries.sort((a, b) => b.count - a.count || (a.cc ?? '~').localeCompare(b.cc ?? '~'));
  byPrecision.sort((a, b) => b.count - a.count || a.precision.localeCompare(b.precision));
  return {
    clusters: clusters.slice(0, maxClusters),
    countries,
    total: countries.reduce((s, c) => s + c.count, 0),
    byPrecision,
    omittedClusters: Math.max(0, clusters.length - maxClusters),
  };
}

/** Row ids of one cluster (by `key`) under the filter, at most `limit`, plus the cluster's total. */
export async function clusterRowIds(
  db: Database,
  key: string,
  opts: MapOptions & { limit: number },
): Promise<{ rowIds: number[]; total: number }> {
  const cache = await ensureRowLocations(db, opts.dataVersion);
  const rows = await db.all<{ row_id: string; total: string }>(
    `SELECT CAST(r.row_id AS VARCHAR) AS row_id, CAST(count(*) OVER () AS VARCHAR) AS total
     FROM ${cachedRows(opts.whereSql, cache.aligned)} r JOIN geo_points p ON p.point_ix = r.point_ix
     WHERE p.key = ? ORDER BY r.row_id LIMIT ?`,
    [...(opts.params ?? []), key, opts.limit],
  );
  return { rowIds: rows.map((r) => Number(r.row_id)), total: rows.length ? Number(rows[0]!.total) : 0 };
}
