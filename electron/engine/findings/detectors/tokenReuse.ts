import type { Detector } from '../types';
import { minutes, num, plural, str } from '../types';
import { lit } from '../thresholds';
import { findingId, SIGN_INS } from './sqlParts';

/**
 * One session used from several countries within a short time, or one unique token
 * identifier (which names a single token issuance) seen from several addresses.
 */
export const tokenReuse: Detector = {
  kind: 'token_reuse',
  label: 'Token or session reuse',
  async sql(t) {
    const win = lit(t, 'token_reuse.window_minutes');
    const minCountries = lit(t, 'token_reuse.min_countries');
    const sessionRow = `coalesce(session_id, '') NOT IN ('', '00000000-0000-0000-0000-000000000000') AND coalesce(trim(country), '') <> ''`;
    // Only a session seen in two countries can switch, and only a token identifier seen from
    // two addresses can be replayed: each is found by one pass grouping on the 64-bit
    // hash of the key (a collision only adds a candidate, which the exact steps drop), so
    // the window sort and the grouping on text touch just those rows.
    return `WITH multi AS (
  SELECT hash(session_id) AS h FROM signins WHERE ${sessionRow}
  GROUP BY h HAVING min(upper(trim(country))) <> max(upper(trim(country)))
),
x AS (
  SELECT row_id, time_utc, session_id AS k, upper(trim(country)) AS cc, ip_address, ${SIGN_INS} AS n,
         lower(coalesce(nullif(user_principal_name, ''), nullif(user_id, ''), nullif(service_principal_name, ''))) AS who
  FROM signins
  WHERE ${sessionRow} AND hash(session_id) IN (SELECT h FROM multi)
),
l AS (
  SELECT *, lag(cc) OVER w AS prev_cc, lag(time_utc) OVER w AS prev_t
  FROM x WINDOW w AS (PARTITION BY k ORDER BY time_utc, row_id)
),
hit AS (
  SELECT k, count(*) AS switches, min(epoch(time_utc - prev_t)) / 60.0 AS fastest_minutes
  FROM l WHERE prev_cc IS NOT NULL AND prev_cc <> cc AND time_utc - prev_t <= INTERVAL (${win}) MINUTE
  GROUP BY k
),
sessions AS (
  SELECT ${findingId('token_reuse', `'session|' || x.k`)} AS finding_id,
    'high' AS severity,
    list(x.row_id ORDER BY x.time_utc, x.row_id) AS row_ids,
    'session' AS what, x.k AS token, any_value(x.who) AS who, sum(x.n) AS sign_ins,
    count(DISTINCT x.cc) AS countries, string_agg(DISTINCT x.cc, ', ') AS country_list,
    count(DISTINCT x.ip_address) AS ips, any_value(hit.switches) AS switches, any_value(hit.fastest_minutes) AS fastest_minutes
  FROM x JOIN hit USING (k)
  GROUP BY x.k
  HAVING count(DISTINCT x.cc) >= ${minCountries}
),
u AS (
  SELECT unique_token_identifier AS k, row_id, time_utc, ip_address, upper(trim(country)) AS cc,
         lower(coalesce(nullif(user_principal_name, ''), nullif(user_id, ''), nullif(service_principal_name, ''))) AS who
  FROM signins
  WHERE unique_token_identifier IN (
    -- Two different addresses: min <> max ignores NULLs as count(DISTINCT) >= 2 does.
    SELECT unique_token_identifier FROM signins
    WHERE coalesce(unique_token_identifier, '') <> '' AND hash(unique_token_identifier) IN (
      SELECT h FROM (
        SELECT DISTINCT hash(unique_token_identifier) AS h, ip_address FROM signins
        WHERE coalesce(unique_token_identifier, '') <> '' AND ip_address IS NOT NULL)
      GROUP BY h HAVING count(*) > 1)
    GROUP BY unique_token_identifier HAVING min(ip_address) <> max(ip_address))
),
tokens AS (
  SELECT ${findingId('token_reuse', `'uti|' || k`)} AS finding_id,
    'high' AS severity,
    list(row_id ORDER BY time_utc, row_id) AS row_ids,
    'token' AS what, k AS token, any_value(who) AS who, count(*) AS sign_ins,
    count(DISTINCT cc) AS countries, string_agg(DISTINCT cc, ', ') AS country_list,
    count(DISTINCT ip_address) AS ips, NULL::BIGINT AS switches,
    epoch(max(time_utc) - min(time_utc)) / 60.0 AS fastest_minutes
  FROM u GROUP BY k
)
SELECT * FROM sessions UNION ALL SELECT * FROM tokens`;
  },
  describe(m, t) {
    const session = m.what === 'session';
    return {
      title: session
        ? `Session of ${str(m.who)} used from ${plural(num(m.countries), 'country', 'countries')} (${str(m.country_list)})`
        : `Token identifier of ${str(m.who)} replayed from ${plural(num(m.ips), 'address', 'addresses')}`,
      explanation: session
        ? `Session ${str(m.token)} carried ${plural(num(m.sign_ins), 'sign-in')} from ${plural(num(m.ips), 'address', 'addresses')} in ${str(m.country_list)}; ` +
          `it switched country ${plural(num(m.switches), 'time')}, the quickest after ${minutes(num(m.fastest_minutes))} ` +
          `(a switch within ${t['token_reuse.window_minutes']} minutes between at least ${t['token_reuse.min_countries']} countries fires). ` +
          'A session cookie or refresh token copied to another machine (adversary-in-the-middle phishing, infostealer) looks exactly like this.'
        : `Unique token identifier ${str(m.token)} names one token issuance, yet it appears on ${plural(num(m.sign_ins), 'row')} from ${plural(num(m.ips), 'address', 'addresses')} ` +
          `(${str(m.country_list) || 'unknown countries'}) within ${minutes(num(m.fastest_minutes))}: the token was replayed.`,
    };
  },
};
