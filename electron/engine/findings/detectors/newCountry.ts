import type { Detector } from '../types';
import { str } from '../types';
import { lit } from '../thresholds';
import { findingId, ISO, USER, USER_ROW } from './sqlParts';

/** A user's first successful sign-in from a country, once the user has a baseline. */
export const newCountry: Detector = {
  kind: 'new_country',
  label: 'New country',
  async sql(t) {
    return `WITH u AS (
  SELECT row_id, time_utc, ${USER} AS who, upper(trim(country)) AS cc, city
  FROM signins
  WHERE ${USER_ROW} AND status = 'success' AND coalesce(trim(country), '') <> ''
),
r AS (
  -- Each (user, country)'s first row: the least (time, row id); city rides along.
  SELECT who, cc, min(struct_pack(t := time_utc, id := row_id, city := city)) AS f
  FROM u WHERE time_utc IS NOT NULL GROUP BY who, cc
),
usual AS (SELECT who, mode(cc) AS usual_cc, min(time_utc) AS first_t FROM u GROUP BY who),
tenant AS (SELECT cc, count(DISTINCT who) AS tenant_users FROM u GROUP BY cc)
SELECT ${findingId('new_country', `r.who || '|' || r.cc`)} AS finding_id,
  CASE WHEN tenant.tenant_users <= 1 THEN 'high' ELSE 'medium' END AS severity,
  [r.f.id] AS row_ids,
  r.who, r.cc, r.f.city AS city, usual.usual_cc, tenant.tenant_users, ${ISO('usual.first_t')} AS baseline_from,
  date_diff('day', usual.first_t, r.f.t) AS days_in
FROM r JOIN usual USING (who) JOIN tenant USING (cc)
WHERE r.f.t >= usual.first_t + INTERVAL (${lit(t, 'new_country.learning_days')}) DAY`;
  },
  bonus(m) {
    return Number(m.tenant_users) <= 1 ? 10 : 0;
  },
  describe(m, t) {
    const only = Number(m.tenant_users) <= 1;
    return {
      title: `${str(m.who)} signed in from a new country: ${str(m.cc)}${m.city ? ` (${str(m.city)})` : ''}`,
      explanation:
        `First successful sign-in of ${str(m.who)} from ${str(m.cc)}, ${str(m.days_in)} days after their first sign-in in the data (${str(m.baseline_from)}); ` +
        `they usually sign in from ${str(m.usual_cc)}. Countries seen in the first ${t['new_country.learning_days']} days form the baseline and are not reported. ` +
        (only ? 'No other user of the tenant signed in from this country.' : `${str(m.tenant_users)} users of the tenant signed in from this country.`),
    };
  },
};
