import type { Detector } from '../types';
import { num, plural, str } from '../types';
import { findingId } from './sqlParts';

/** Cross-tenant passthrough and support/provider access (B2B collaboration only on request). */
export const passthrough: Detector = {
  kind: 'passthrough',
  label: 'Cross-tenant access',
  async sql(t) {
    const types = ["'passthrough'", "'microsoftsupport'", "'serviceprovider'", "'b2bdirectconnect'"];
    if ((t['passthrough.include_b2b'] ?? 0) >= 1) types.push("'b2bcollaboration'");
    return `WITH f AS (
  SELECT row_id, time_utc, ip_address, status, cross_tenant_access_type AS type,
         lower(coalesce(nullif(user_principal_name, ''), nullif(user_id, ''), nullif(service_principal_name, ''))) AS who
  FROM signins
  WHERE lower(coalesce(cross_tenant_access_type, '')) IN (${types.join(', ')})
)
SELECT ${findingId('passthrough', `type || '|' || coalesce(ip_address, '')`)} AS finding_id,
  CASE WHEN lower(type) = 'passthrough' OR lower(type) = 'microsoftsupport' THEN 'medium' ELSE 'low' END AS severity,
  list(row_id ORDER BY time_utc, row_id) AS row_ids,
  type, ip_address AS ip, count(*) AS sign_ins, count(DISTINCT who) AS users,
  count(*) FILTER (WHERE status = 'success') AS successes
FROM f GROUP BY type, ip_address`;
  },
  describe(m) {
    const pass = str(m.type).toLowerCase() === 'passthrough';
    return {
      title: `Cross-tenant ${str(m.type)} sign-ins from ${str(m.ip) || 'an unknown address'}`,
      explanation:
        `${plural(num(m.sign_ins), 'sign-in')} of ${plural(num(m.users), 'identity', 'identities')} crossed a tenant boundary as "${str(m.type)}", ${num(m.successes)} succeeded. ` +
        (pass
          ? 'Passthrough sign-ins come from identities outside the tenant (often consumer Microsoft accounts) and usually fail by design; they are reported here and never counted as password spray.'
          : 'Access by another organisation or by Microsoft support should match an agreement you know of.'),
    };
  },
};
