import type { Detector } from '../types';
import { num, plural, str } from '../types';
import { lit } from '../thresholds';
import { findingId } from './sqlParts';
import { ensurePlaces, locatedSql } from '../../geo/places';
import { haversineSql } from '../../geo/travel';

/** The same user key as the map's travel arcs. */
const USER_KEY_SQL = `coalesce(nullif(user_principal_name, ''), nullif(user_id, ''), nullif(service_principal_name, ''))`;

/**
 * Consecutive successful sign-ins of one user whose implied speed is impossible, with
 * the map's precision-aware rule (geo/travel): each point has an uncertainty radius
 * (coordinates 25 km, city 50 km, country: the radius of the country), both are
 * subtracted before the speed is computed. Addresses many users succeed from (office
 * NAT, VPN egress) are left out: they place people where the gateway is.
 */
export const impossibleTravel: Detector = {
  kind: 'impossible_travel',
  label: 'Impossible travel',
  async sql(t, db, dataVersion) {
    await ensurePlaces(db, dataVersion);
    // Distinct (address, user) pairs first, then a count per address: the same number as
    // count(DISTINCT user) per address, without a set of users kept for each address.
    const shared = `SELECT ip_address FROM (
          SELECT DISTINCT ip_address, ${USER_KEY_SQL} AS who FROM signins WHERE status = 'success' AND coalesce(ip_address, '') <> '')
        WHERE who IS NOT NULL GROUP BY ip_address HAVING count(*) >= ${lit(t, 'impossible_travel.shared_ip_min_users')}`;
    const where = `status = 'success' AND log_type IN ('interactive', 'noninteractive') AND coalesce(ip_address, '') NOT IN (${shared})`;
    const located = await locatedSql(db, ['row_id', 'request_id', 'time_utc', 'user_principal_name', 'user_id', 'service_principal_name', 'status', 'log_type'], where);
    const speed = lit(t, 'impossible_travel.speed_kmh');
    const minKm = lit(t, 'impossible_travel.min_distance_km');
    return `WITH pts AS (
  SELECT ${USER_KEY_SQL} AS who, row_id, time_utc, loc_lat, loc_lon, loc_radius_km, loc_place
  FROM ${located} l
  WHERE loc_lat IS NOT NULL AND ${USER_KEY_SQL} IS NOT NULL
),
-- A user seen at one point only has no segment that can alarm (distance 0): the window
-- sorts just the others.
moving AS (SELECT who FROM pts GROUP BY who HAVING min(loc_lat) <> max(loc_lat) OR min(loc_lon) <> max(loc_lon)),
seg AS (
  SELECT *, lag(row_id) OVER w AS p_row, lag(time_utc) OVER w AS p_time, lag(loc_lat) OVER w AS p_lat,
         lag(loc_lon) OVER w AS p_lon, lag(loc_radius_km) OVER w AS p_radius, lag(loc_place) OVER w AS p_place
  FROM pts SEMI JOIN moving USING (who) WINDOW w AS (PARTITION BY who ORDER BY time_utc, row_id)
),
measured AS (
  SELECT *, ${haversineSql('p_lat', 'p_lon', 'loc_lat', 'loc_lon')} AS km,
         coalesce(p_radius, 0) + coalesce(loc_radius_km, 0) AS margin_km,
         epoch(time_utc - p_time) / 3600.0 AS hours
  FROM seg WHERE p_row IS NOT NULL
),
bad AS (
  SELECT *, greatest(km - margin_km, 0) / greatest(hours, 1.0 / 3600) AS kmh
  FROM measured WHERE km >= ${minKm} AND km - margin_km > ${speed} * hours
)
SELECT ${findingId('impossible_travel', 'who')} AS finding_id,
  CASE WHEN max(kmh) >= 3 * ${speed} THEN 'high' ELSE 'medium' END AS severity,
  list_distinct(flatten(list([p_row, row_id] ORDER BY time_utc))) AS row_ids,
  who, count(*) AS hops, max(kmh) AS max_kmh,
  arg_max(p_place, kmh) AS from_place, arg_max(loc_place, kmh) AS to_place,
  arg_max(km, kmh) AS km, arg_max(hours, kmh) * 60 AS minutes, arg_max(margin_km, kmh) AS margin_km
FROM bad GROUP BY who`;
  },
  describe(m, t) {
    return {
      title: `Impossible travel for ${str(m.who)}: ${str(m.from_place)} → ${str(m.to_place)}`,
      explanation:
        `${str(m.who)} signed in successfully from ${str(m.from_place)} and then from ${str(m.to_place)}, ${Math.round(num(m.km)).toLocaleString('en-US')} km apart, ` +
        `${Math.round(num(m.minutes)).toLocaleString('en-US')} minutes later. Even allowing ${Math.round(num(m.margin_km))} km for how precisely the two places are known, that needs ` +
        `${Math.round(num(m.max_kmh)).toLocaleString('en-US')} km/h (limit ${t['impossible_travel.speed_kmh']} km/h)` +
        `${num(m.hops) > 1 ? `; ${plural(num(m.hops), 'impossible hop')} in all` : ''}. Addresses shared by ${t['impossible_travel.shared_ip_min_users']}+ users (office, VPN) are left out.`,
    };
  },
};
