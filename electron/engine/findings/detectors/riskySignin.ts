import type { Detector } from '../types';
import { num, plural, str } from '../types';
import { lit } from '../thresholds';
import { findingId, SIGN_INS } from './sqlParts';

const LEVEL = (col: string) => `CASE lower(coalesce(${col}, '')) WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;

/** The record's own Identity Protection verdict: risk level and risk event types. */
export const riskySignin: Detector = {
  kind: 'risky_signin',
  label: 'Risky sign-in',
  async sql(t) {
    return `WITH f AS (
  SELECT row_id, time_utc, status, ip_address, risk_event_types, ${SIGN_INS} AS n,
         coalesce(lower(coalesce(nullif(user_principal_name, ''), nullif(user_id, ''))), nullif(service_principal_name, ''), app_id) AS who,
         greatest(${LEVEL('risk_level_during_sign_in')}, ${LEVEL('risk_level_aggregated')}) AS level
  FROM signins
  WHERE greatest(${LEVEL('risk_level_during_sign_in')}, ${LEVEL('risk_level_aggregated')}) >= ${lit(t, 'risky_signin.min_level')}
     OR coalesce(trim(risk_event_types), '') NOT IN ('', '[]', 'none')
)
SELECT ${findingId('risky_signin', `coalesce(who, '')`)} AS finding_id,
  CASE max(level) WHEN 3 THEN 'high' WHEN 2 THEN 'medium' ELSE 'low' END AS severity,
  list(row_id ORDER BY time_utc, row_id) AS row_ids,
  who, sum(n) AS sign_ins, max(level) AS max_level, coalesce(sum(n) FILTER (WHERE status = 'success'), 0) AS successes,
  string_agg(DISTINCT nullif(trim(risk_event_types), ''), '; ') AS events
FROM f GROUP BY who`;
  },
  describe(m) {
    const level = ['none', 'low', 'medium', 'high'][num(m.max_level)] ?? 'unknown';
    return {
      title: `Risky sign-in (${level}) for ${str(m.who)}`,
      explanation:
        `Identity Protection rated ${plural(num(m.sign_ins), 'sign-in')} of ${str(m.who)} as risky (highest level: ${level})` +
        `${m.events ? `, with risk detections ${str(m.events)}` : ''}; ${num(m.successes)} of them succeeded. ` +
        'These are the log’s own risk fields, present in Graph and Event Hub exports (the portal CSV has no risk columns).',
    };
  },
};
