/**
 * Impossible travel, aware of how precisely each sign-in is located.
 *
 *   impossibleTravel(db, {
 *     speedKmh?: number,        // default 900 (airliner cruise speed)
 *     minDistanceKm?: number,   // default 300: segments shorter than this never alarm
 *     whereSql?: string,        // WHERE fragment from query/filterSql `whereSql(filter).sql`
 *     params?: SqlParam[],      // its parameters
 *     user?: string,            // one user only (matched against the user key below)
 *     all?: boolean,            // true: return every segment (for drawing arcs), not only impossible ones
 *     limit?: number,           // default 10 000 segments, fastest first
 *     dataVersion?: number,     // the session's, to skip re-checking place resolution
 *   }) → Promise<TravelSegment[]>
 *
 * Coordinates are those of the cached point (rounded to 4 decimals, about 10 m).
 * For each user (user_principal_name, else user_id, else service_principal_name), the
 * sign-ins that could be located are ordered by (time_utc, row_id) and each is paired
 * with the previous one (window `lag`). Distance is the haversine great-circle distance
 * between the two resolved points. Each point carries an uncertainty radius (coordinates
 * 25 km, city 50 km, enriched: the database's accuracy radius, country: the radius
 * covering the country's main landmass, see countries.ts), and a segment is impossible
 * only when even the most favourable reading of both points needs more than the speed:
 *
 *   distance ≥ minDistanceKm  and  (distance − radiusFrom − radiusTo) > speedKmh × hours
 *
 * so two country-level points in neighbouring countries an hour apart never alarm, while
 * Oslo → Sydney in 40 minutes does. The reported speed is that favourable (minimum)
 * speed; simultaneous sign-ins use a one-second floor for the division.
 *
 * Everything runs as one DuckDB statement over the per-row location cache (integer user
 * and point numbers, see rowLocations.ts); text columns are joined back only for the
 * segments returned, so all users of a million rows take a few hundred milliseconds.
 */
import type { Database, SqlParam } from '../db/database';
import type { Precision } from './places';
import { cachedRows, ensureRowLocations } from './rowLocations';

export interface TravelOptions {
  speedKmh?: number;
  minDistanceKm?: number;
  whereSql?: string;
  params?: SqlParam[];
  user?: string;
  all?: boolean;
  limit?: number;
  dataVersion?: number;
}

export interface TravelSegment {
  user: string;
  fromRowId: number;
  toRowId: number;
  fromRequestId: string | null;
  toRequestId: string | null;
  /** ISO-8601 UTC instants. */
  fromTime: string;
  toTime: string;
  fromPlace: string | null;
  toPlace: string | null;
  fromLat: number;
  fromLon: number;
  toLat: number;
  toLon: number;
  fromIp: string | null;
  toIp: string | null;
  /** Great-circle distance between the two points. */
  distanceKm: number;
  /** Sum of both points' uncertainty radii. */
  marginKm: number;
  hours: number;
  /** Minimum speed the segment needs: max(0, distance − margin) / hours. */
  speedKmh: number;
  impossible: boolean;
  precisions: [Precision, Precision];
}

export const DEFAULT_SPEED_KMH = 900;
export const DEFAULT_MIN_DISTANCE_KM = 300;
const EARTH_RADIUS_KM = 6371.0088;

/** Haversine distance in SQL between two (lat, lon) pairs given as SQL expressions, in km. */
export function haversineSql(lat1: string, lon1: string, lat2: string, lon2: string): string {
  return `(2 * ${EARTH_RADIUS_KM} * asin(least(1.0, sqrt(
    pow(sin(radians(${lat2} - ${lat1}) / 2), 2) +
    cos(radians(${lat1})) * cos(radians(${lat2})) * pow(sin(radians(${lon2} - ${lon1}) / 2), 2)))))`;
}

/** The same formula in JS, for tests and the UI. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The pure rule, shared by the SQL below and the tests. */
export function isImpossible(distanceKm: number, marginKm: number, hours: number, speedKmh = DEFAULT_SPEED_KMH, minDistanceKm = DEFAULT_MIN_DISTANCE_KM): boolean {
  return distanceKm >= minDistanceKm && distanceKm - marginKm > speedKmh * hours;
}


type SegmentRow = {
  user: string;
  from_row: string;
  to_row: string;
  from_req: string | null;
  to_req: string | null;
  from_time: string;
  to_time: string;
  from_place: string | null;
  to_place: string | null;
  from_lat: number;
  from_lon: number;
  to_lat: number;
  to_lon: number;
  from_ip: string | null;
  to_ip: string | null;
  distance_km: number;
  margin_km: number;
  hours: number;
  speed_kmh: number;
  impossible: boolean;
  from_precision: Precision;
  to_precision: Precision;
};

export async function impossibleTravel(db: Database, opts: TravelOptions = {}): Promise<TravelSegment[]> {
  const speed = opts.speedKmh ?? DEFAULT_SPEED_KMH;
  const minDistance = opts.minDistanceKm ?? DEFAULT_MIN_DISTANCE_KM;
  const limit = Math.max(1, Math.min(opts.limit ?? 10_000, 1_000_000));
  const cache = await ensureRowLocations(db, opts.dataVersion);
  const params: SqlParam[] = [...(opts.params ?? [])];
  let userClause = '';
  if (opts.user !== undefined) {
    userClause = 'AND r.user_ix = (SELECT user_ix FROM geo_users WHERE who = ?)';
    params.push(opts.user);
  }
  const dist = haversineSql('a.lat', 'a.lon', 'b.lat', 'b.lon');
  // The window sorts only integers (row, time, user number, point number); coordinates
  // and radii join in from the small points table afterwards, and the text columns only
  // for the segments returned, read from signins in one pass. A segment that stays on
  // one point has distance 0 and can never be impossible, so unless every segment is
  // wanted those are dropped before any trigonometry.
  const sql = `
    WITH pts AS (
      SELECT r.row_id, r.time_utc, r.user_ix, r.point_ix
      FROM ${cachedRows(opts.whereSql, cache.aligned)} r
      WHERE r.user_ix IS NOT NULL AND r.point_ix IS NOT NULL ${userClause}
    ),
    seg AS (
      SELECT row_id, time_utc, user_ix, point_ix,
        lag(row_id) OVER w AS p_row, lag(time_utc) OVER w AS p_time, lag(point_ix) OVER w AS p_point
      FROM pts
      WINDOW w AS (PARTITION BY user_ix ORDER BY time_utc, row_id)
    ),
    measured AS (
      SELECT s.*, ${dist} AS distance_km, coalesce(a.radius_km, 0) + coalesce(b.radius_km, 0) AS margin_km,
        epoch(s.time_utc - s.p_time) / 3600.0 AS hours
      FROM seg s JOIN geo_points a ON a.point_ix = s.p_point JOIN geo_points b ON b.point_ix = s.point_ix
      WHERE s.p_row IS NOT NULL ${opts.all ? '' : 'AND s.p_point <> s.point_ix'}
    ),
    judged AS (
      SELECT *, (distance_km >= ? AND distance_km - margin_km > ? * hours) AS impossible,
        greatest(distance_km - margin_km, 0) / greatest(hours, 1.0 / 3600) AS speed_kmh
      FROM measured
    ),
    picked AS MATERIALIZED (
      SELECT * FROM judged
      WHERE ${opts.all ? 'TRUE' : 'impossible'}
      ORDER BY ${opts.all ? 'time_utc, row_id' : 'speed_kmh DESC, user_ix, time_utc'}
      LIMIT ${limit}
    ),
    txt AS MATERIALIZED (
      SELECT row_id, request_id, ip_address FROM signins
      WHERE row_id IN (SELECT p_row FROM picked UNION ALL SELECT row_id FROM picked)
    )
    SELECT u.who AS "user", CAST(x.p_row AS VARCHAR) AS from_row, CAST(x.row_id AS VARCHAR) AS to_row,
      ta.request_id AS from_req, tb.request_id AS to_req,
      strftime(x.p_time, '%Y-%m-%dT%H:%M:%S.%fZ') AS from_time, strftime(x.time_utc, '%Y-%m-%dT%H:%M:%S.%fZ') AS to_time,
      a.place AS from_place, b.place AS to_place, a.lat AS from_lat, a.lon AS from_lon, b.lat AS to_lat, b.lon AS to_lon,
      ta.ip_address AS from_ip, tb.ip_address AS to_ip, x.distance_km, x.margin_km, x.hours, x.speed_kmh, x.impossible,
      a.precision AS from_precision, b.precision AS to_precision
    FROM picked x
    JOIN geo_users u ON u.user_ix = x.user_ix
    JOIN geo_points a ON a.point_ix = x.p_point
    JOIN geo_points b ON b.point_ix = x.point_ix
    LEFT JOIN txt ta ON ta.row_id = x.p_row
    LEFT JOIN txt tb ON tb.row_id = x.row_id
    ORDER BY ${opts.all ? 'x.time_utc, x.row_id' : 'x.speed_kmh DESC, u.who, x.time_utc'}`;
  const rows = await db.all<SegmentRow>(sql, [...params, minDistance, speed]);
  return rows.map((r) => ({
    user: r.user,
    fromRowId: Number(r.from_row),
    toRowId: Number(r.to_row),
    fromRequestId: r.from_req,
    toRequestId: r.to_req,
    fromTime: r.from_time,
    toTime: r.to_time,
    fromPlace: r.from_place,
    toPlace: r.to_place,
    fromLat: r.from_lat,
    fromLon: r.from_lon,
    toLat: r.to_lat,
    toLon: r.to_lon,
    fromIp: r.from_ip,
    toIp: r.to_ip,
    distanceKm: r.distance_km,
    marginKm: r.margin_km,
    hours: r.hours,
    speedKmh: r.speed_kmh,
    impossible: r.impossible,
    precisions: [r.from_precision, r.to_precision],
  }));
}
