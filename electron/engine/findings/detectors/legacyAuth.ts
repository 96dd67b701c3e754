import type { Detector } from '../types';
import { num, plural, str } from '../types';
import { findingId, SIGN_INS } from './sqlParts';
import { passwordSpray } from './passwordSpray';
import { bruteForce } from './bruteForce';

/** Client apps that speak legacy protocols (no MFA possible), and ROPC-style password grants. */
export const LEGACY_CLIENTS = [
  'imap4', 'imap', 'pop3', 'pop', 'authenticated smtp', 'smtp', 'exchange activesync', 'exchange web services',
  'mapi over http', 'autodiscover', 'offline address book', 'outlook anywhere (rpc over http)', 'other clients',
  'exchange online powershell', 'reporting web services',
];

export const legacyAuth: Detector = {
  kind: 'legacy_auth',
  label: 'Legacy authentication',
  async sql(t, db, dataVersion) {
    const list = LEGACY_CLIENTS.map((c) => `'${c}'`).join(', ');
    // Attempts that belong to a spray or a brute force are part of that incident, not one
    // legacy-auth finding per targeted account: those detectors run here as sub-queries.
    const spray = await passwordSpray.sql(t, db, dataVersion);
    const brute = await bruteForce.sql(t, db, dataVersion);
    return `WITH claimed AS (
  SELECT unnest(row_ids) AS row_id FROM (
${spray}
  )
  UNION
  SELECT unnest(row_ids) AS row_id FROM (
${brute}
  )
),
f AS (
  SELECT row_id, time_utc, ip_address, status, ${SIGN_INS} AS n,
         coalesce(lower(coalesce(nullif(user_principal_name, ''), nullif(user_id, ''))), nullif(service_principal_name, ''), app_id) AS who,
         CASE WHEN lower(coalesce(authentication_protocol, '')) = 'ropc' THEN 'ROPC (' || coalesce(app_display_name, 'unknown app') || ')' ELSE client_app END AS how
  FROM signins
  WHERE (lower(coalesce(client_app, '')) IN (${list}) OR lower(coalesce(authentication_protocol, '')) = 'ropc')
    AND row_id NOT IN (SELECT row_id FROM claimed)
)
SELECT ${findingId('legacy_auth', `coalesce(who, '') || '|' || how`)} AS finding_id,
  CASE WHEN sum(n) FILTER (WHERE status = 'success') > 0 THEN 'high' ELSE 'medium' END AS severity,
  list(row_id ORDER BY time_utc, row_id) AS row_ids,
  who, how, sum(n) AS attempts, coalesce(sum(n) FILTER (WHERE status = 'success'), 0) AS successes, count(DISTINCT ip_address) AS ips
FROM f GROUP BY who, how`;
  },
  describe(m) {
    const ok = num(m.successes);
    return {
      title: `Legacy authentication: ${str(m.how)} for ${str(m.who) || 'an unknown account'}`,
      explanation:
        `${plural(num(m.attempts), 'sign-in')} used ${str(m.how)} from ${plural(num(m.ips), 'address', 'addresses')}; ` +
        `${ok ? `${ok} succeeded` : 'none succeeded'}. Legacy protocols and ROPC password grants cannot do MFA, so a stolen password is enough; ` +
        'they are a favourite of password-spray tooling (SigmaHQ azure_legacy_authentication_protocols). ' +
        'Attempts that are part of a password spray or brute force are counted in that finding instead.',
    };
  },
};
