import type { Detector } from '../types';
import { minutes, num, plural, str } from '../types';
import { lit } from '../thresholds';
import { bursts, findingId, SIGN_INS } from './sqlParts';

/** Bursts of Conditional Access blocks for one user, or for one app when there is no user. */
export const caFailureBurst: Detector = {
  kind: 'ca_failure_burst',
  label: 'Conditional Access failure burst',
  async sql(t) {
    const win = lit(t, 'ca_failure_burst.window_minutes');
    return `WITH f AS (
  SELECT row_id, time_utc, ip_address, app_display_name, ${SIGN_INS} AS n,
         coalesce(lower(coalesce(nullif(user_principal_name, ''), nullif(user_id, ''))), nullif(service_principal_name, ''), app_id) AS who
  FROM signins
  WHERE error_code IN (53000, 53001, 53002, 53003, 53004, 530032)
),
b AS ${bursts('f', 'who', win)}
SELECT ${findingId('ca_failure_burst', `who || '|' || CAST(min(time_utc) AS VARCHAR)`)} AS finding_id,
  CASE WHEN sum(n) >= 3 * ${lit(t, 'ca_failure_burst.min_failures')} THEN 'high' ELSE 'medium' END AS severity,
  list(row_id ORDER BY time_utc, row_id) AS row_ids,
  who, sum(n) AS blocks, count(DISTINCT app_display_name) AS apps, any_value(app_display_name) AS app,
  count(DISTINCT ip_address) AS ips, epoch(max(time_utc) - min(time_utc)) / 60.0 AS span_minutes
FROM b WHERE who IS NOT NULL
GROUP BY who, burst_no
HAVING sum(n) >= ${lit(t, 'ca_failure_burst.min_failures')}`;
  },
  describe(m, t) {
    return {
      title: `Conditional Access blocked ${str(m.who)} ${plural(num(m.blocks), 'time')}`,
      explanation:
        `${str(m.who)} was blocked by Conditional Access ${plural(num(m.blocks), 'time')} within ${minutes(num(m.span_minutes))}` +
        `${num(m.apps) === 1 ? ` on ${str(m.app)}` : ` across ${plural(num(m.apps), 'application')}`} from ${plural(num(m.ips), 'address', 'addresses')} ` +
        `(at least ${t['ca_failure_burst.min_failures']} blocks with no gap over ${t['ca_failure_burst.window_minutes']} minutes fires). ` +
        'Repeated attempts against a block suggest someone probing for a way around the policy, or a misconfigured client.',
    };
  },
};
