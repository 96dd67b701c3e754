import type { Detector } from '../types';
import { minutes, num, plural, str } from '../types';
import { lit } from '../thresholds';
import { bursts, findingId, ISO, NOT_PASSTHROUGH, PASSWORD_FAILURES, SIGN_INS, USER, USER_ROW } from './sqlParts';

/** Many wrong passwords for one account; a success from one of the same addresses makes it high. */
export const bruteForce: Detector = {
  kind: 'brute_force',
  label: 'Brute force',
  async sql(t) {
    const win = lit(t, 'brute_force.window_minutes');
    return `WITH f AS (
  SELECT row_id, time_utc, ip_address, ${USER} AS who, ${SIGN_INS} AS n
  FROM signins
  WHERE ${USER_ROW} AND ${PASSWORD_FAILURES} AND ${NOT_PASSTHROUGH}
),
b AS ${bursts('f', 'who', win)},
g AS (
  SELECT who, burst_no, min(time_utc) AS first_t, max(time_utc) AS last_t, sum(n) AS failures,
         count(DISTINCT ip_address) AS ips, list(DISTINCT ip_address) AS ip_list,
         list(row_id ORDER BY time_utc, row_id) AS fail_rows
  FROM b GROUP BY who, burst_no
  HAVING sum(n) >= ${lit(t, 'brute_force.min_failures')}
),
ok AS (
  SELECT g.who, g.burst_no, list(x.row_id ORDER BY x.time_utc, x.row_id) AS ok_rows, min(x.time_utc) AS ok_t
  FROM g JOIN signins x ON lower(coalesce(nullif(x.user_principal_name, ''), nullif(x.user_id, ''))) = g.who
   AND x.time_utc BETWEEN g.first_t AND g.last_t + INTERVAL (${win}) MINUTE
  WHERE x.status = 'success' AND list_contains(g.ip_list, x.ip_address)
  GROUP BY g.who, g.burst_no
)
SELECT ${findingId('brute_force', `g.who || '|' || CAST(g.first_t AS VARCHAR)`)} AS finding_id,
  CASE WHEN ok.ok_rows IS NOT NULL THEN 'high' ELSE 'medium' END AS severity,
  list_concat(g.fail_rows, coalesce(ok.ok_rows, [])) AS row_ids,
  g.who, g.failures, g.ips, epoch(g.last_t - g.first_t) / 60.0 AS span_minutes,
  ${ISO('ok.ok_t')} AS success_utc
FROM g LEFT JOIN ok USING (who, burst_no)`;
  },
  describe(m, t) {
    const ok = Boolean(m.success_utc);
    return {
      title: `Brute force against ${str(m.who)}: ${plural(num(m.failures), 'failed password')}${ok ? ', then success' : ''}`,
      explanation:
        `${str(m.who)} had ${plural(num(m.failures), 'failed sign-in')} with a wrong password or lock-out from ${plural(num(m.ips), 'address', 'addresses')} within ${minutes(num(m.span_minutes))} ` +
        `(at least ${t['brute_force.min_failures']} failures with no gap over ${t['brute_force.window_minutes']} minutes fires). ` +
        (ok ? `A successful sign-in from one of those addresses followed at ${str(m.success_utc)}: the password was probably guessed.` : 'No success from those addresses followed.'),
    };
  },
};
