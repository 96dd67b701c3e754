import type { Detector } from '../types';
import { minutes, num, plural, str } from '../types';
import { lit } from '../thresholds';
import { bursts, findingId, NOT_PASSTHROUGH, PASSWORD_FAILURES, SIGN_INS, USER, USER_ROW } from './sqlParts';

/** One address failing for many accounts in a burst; successes from it in the burst are the catch. */
export const passwordSpray: Detector = {
  kind: 'password_spray',
  label: 'Password spray',
  async sql(t) {
    const win = lit(t, 'password_spray.window_minutes');
    return `WITH f AS (
  SELECT row_id, time_utc, ip_address AS ip, ${USER} AS who, ${SIGN_INS} AS n
  FROM signins
  WHERE ${USER_ROW} AND coalesce(ip_address, '') <> '' AND ${PASSWORD_FAILURES} AND ${NOT_PASSTHROUGH}
),
b AS ${bursts('f', 'ip', win)},
g AS (
  SELECT ip, burst_no, min(time_utc) AS first_t, max(time_utc) AS last_t, sum(n) AS failures,
         count(DISTINCT who) AS users, list(row_id ORDER BY time_utc, row_id) AS fail_rows
  FROM b GROUP BY ip, burst_no
  HAVING count(DISTINCT who) >= ${lit(t, 'password_spray.min_users')}
),
ok AS (
  SELECT g.ip, g.burst_no, list(x.row_id ORDER BY x.time_utc, x.row_id) AS ok_rows,
         count(DISTINCT lower(coalesce(nullif(x.user_principal_name, ''), nullif(x.user_id, '')))) AS ok_users
  FROM g JOIN signins x ON x.ip_address = g.ip
   AND x.time_utc BETWEEN g.first_t AND g.last_t + INTERVAL (${win}) MINUTE
  WHERE x.status = 'success' AND x.log_type IN ('interactive', 'noninteractive')
  GROUP BY g.ip, g.burst_no
)
SELECT ${findingId('password_spray', `g.ip || '|' || CAST(g.first_t AS VARCHAR)`)} AS finding_id,
  CASE WHEN coalesce(ok.ok_users, 0) > 0 THEN 'high' ELSE 'medium' END AS severity,
  list_concat(g.fail_rows, coalesce(ok.ok_rows, [])) AS row_ids,
  g.ip, g.failures, g.users, coalesce(ok.ok_users, 0) AS ok_users,
  epoch(g.last_t - g.first_t) / 60.0 AS span_minutes
FROM g LEFT JOIN ok USING (ip, burst_no)
WHERE coalesce(ok.ok_users, 0) <= g.users * ${lit(t, 'password_spray.max_success_ratio')}`;
  },
  describe(m, t) {
    const users = num(m.users);
    const ok = num(m.ok_users);
    return {
      title: `Password spray from ${str(m.ip)}: ${plural(users, 'account')}${ok ? `, ${ok} signed in` : ''}`,
      explanation:
        `${str(m.ip)} failed to sign in ${plural(num(m.failures), 'time')} against ${plural(users, 'different account')} within ${minutes(num(m.span_minutes))} ` +
        `(wrong password, locked or unknown account; at least ${t['password_spray.min_users']} accounts with no gap over ${t['password_spray.window_minutes']} minutes fires). ` +
        (ok ? `${plural(ok, 'account')} then signed in successfully from the same address — treat those as compromised. ` : 'No account signed in successfully from it. ') +
        'Passthrough sign-ins, which fail by design, are not counted.',
    };
  },
};
