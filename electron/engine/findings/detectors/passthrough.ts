import type { Detector } from '../types';
import { num, plural, str } from '../types';
import { findingId, SIGN_INS } from './sqlParts';

/** Cross-tenant passthrough and support/provider access (B2B collaboration only on request): one finding per access type and home tenant. */
export const passthrough: Detector = {
  kind: 'passthrough',
  label: 'Cross-tenant access',
  async sql(t) {
    const types = ["'passthrough'", "'microsoftsupport'", "'serviceprovider'", "'b2bdirectconnect'"];
    if ((t['passthrough.include_b2b'] ?? 0) >= 1) types.push("'b2bcollaboration'");
    return `WITH f AS (
  SELECT row_id, time_utc, ip_address, status, cross_tenant_access_type AS type, ${SIGN_INS} AS n,
         coalesce(nullif(home_tenant_id, ''), nullif(resource_tenant_id, ''), 'unknown tenant') AS tenant, home_tenant_name,
         lower(coalesce(nullif(user_principal_name, ''), nullif(user_id, ''), nullif(service_principal_name, ''))) AS who
  FROM signins
  WHERE lower(coalesce(cross_tenant_access_type, '')) IN (${types.join(', ')})
)
SELECT ${findingId('passthrough', `type || '|' || tenant`)} AS finding_id,
  CASE WHEN lower(type) = 'passthrough' OR lower(type) = 'microsoftsupport' THEN 'medium' ELSE 'low' END AS severity,
  list(row_id ORDER BY time_utc, row_id) AS row_ids,
  type, tenant, any_value(home_tenant_name) AS tenant_name, sum(n) AS sign_ins, count(DISTINCT who) AS users,
  count(DISTINCT ip_address) AS ips, coalesce(sum(n) FILTER (WHERE status = 'success'), 0) AS successes
FROM f GROUP BY type, tenant`;
  },
  describe(m) {
    const pass = str(m.type).toLowerCase() === 'passthrough';
    return {
      title: `Cross-tenant ${str(m.type)} sign-ins from tenant ${str(m.tenant_name) || str(m.tenant)}`,
      explanation:
        `${plural(num(m.sign_ins), 'sign-in')} of ${plural(num(m.users), 'identity', 'identities')} from tenant ${str(m.tenant)}${m.tenant_name ? ` (${str(m.tenant_name)})` : ''} ` +
        `crossed a tenant boundary as "${str(m.type)}" from ${plural(num(m.ips), 'address', 'addresses')}; ${num(m.successes)} succeeded. ` +
        (pass
          ? 'Passthrough sign-ins come from identities outside the tenant (often consumer Microsoft accounts) and usually fail by design; they are reported here and never counted as password spray.'
          : 'Access by another organisation or by Microsoft support should match an agreement you know of.'),
    };
  },
};
