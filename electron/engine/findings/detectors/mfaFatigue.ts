import type { Detector } from '../types';
import { minutes, num, plural, str } from '../types';
import { lit } from '../thresholds';
import { bursts, findingId, ISO, SIGN_INS, USER, USER_ROW } from './sqlParts';

/** Repeated denied or unanswered MFA prompts (500121) for one user, and the approval that may follow. */
export const mfaFatigue: Detector = {
  kind: 'mfa_fatigue',
  label: 'MFA fatigue',
  async sql(t) {
    const win = lit(t, 'mfa_fatigue.window_minutes');
    return `WITH f AS (
  SELECT row_id, time_utc, ip_address, ${USER} AS who, ${SIGN_INS} AS n
  FROM signins
  WHERE ${USER_ROW} AND error_code = 500121
),
b AS ${bursts('f', 'who', win)},
g AS (
  SELECT who, burst_no, min(time_utc) AS first_t, max(time_utc) AS last_t, sum(n) AS denials,
         list(DISTINCT ip_address) AS ip_list, count(DISTINCT ip_address) AS ips,
         list(row_id ORDER BY time_utc, row_id) AS deny_rows
  FROM b GROUP BY who, burst_no
  HAVING sum(n) >= ${lit(t, 'mfa_fatigue.min_denials')}
),
ok AS (
  SELECT g.who, g.burst_no, list(x.row_id ORDER BY x.time_utc, x.row_id) AS ok_rows, min(x.time_utc) AS ok_t
  FROM g JOIN signins x ON lower(coalesce(nullif(x.user_principal_name, ''), nullif(x.user_id, ''))) = g.who
   AND x.time_utc BETWEEN g.first_t AND g.last_t + INTERVAL (${win}) MINUTE
  WHERE x.status = 'success' AND x.log_type = 'interactive' AND list_contains(g.ip_list, x.ip_address)
  GROUP BY g.who, g.burst_no
)
SELECT ${findingId('mfa_fatigue', `g.who || '|' || CAST(g.first_t AS VARCHAR)`)} AS finding_id,
  CASE WHEN ok.ok_rows IS NOT NULL THEN 'high' ELSE 'medium' END AS severity,
  list_concat(g.deny_rows, coalesce(ok.ok_rows, [])) AS row_ids,
  g.who, g.denials, g.ips, epoch(g.last_t - g.first_t) / 60.0 AS span_minutes, ${ISO('ok.ok_t')} AS success_utc
FROM g LEFT JOIN ok USING (who, burst_no)`;
  },
  describe(m, t) {
    const ok = Boolean(m.success_utc);
    return {
      title: `MFA fatigue against ${str(m.who)}: ${plural(num(m.denials), 'denied prompt')}${ok ? ', then approved' : ''}`,
      explanation:
        `${str(m.who)} got ${plural(num(m.denials), 'MFA prompt')} that were denied or not answered (error 500121) within ${minutes(num(m.span_minutes))} ` +
        `(at least ${t['mfa_fatigue.min_denials']} with no gap over ${t['mfa_fatigue.window_minutes']} minutes fires). ` +
        (ok ? `A prompt was then approved and the sign-in succeeded from the same address at ${str(m.success_utc)}: the user likely gave in to the prompts.` : 'No successful sign-in followed.'),
    };
  },
};
