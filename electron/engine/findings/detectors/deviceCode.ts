import type { Detector } from '../types';
import { num, plural, str } from '../types';
import { findingId, SIGN_INS } from './sqlParts';

export const AUTH_BROKER_APP_ID = '29d9ed98-a469-4536-ade2-f981bc1d605e';

/** The device-code flow (a phishing favourite); worse with the Authentication Broker or from several places. */
export const deviceCode: Detector = {
  kind: 'device_code',
  label: 'Device code flow',
  async sql() {
    return `WITH f AS (
  SELECT row_id, time_utc, ip_address, country, app_id, app_display_name, ${SIGN_INS} AS n,
         coalesce(lower(coalesce(nullif(user_principal_name, ''), nullif(user_id, ''))), nullif(service_principal_name, ''), app_id) AS who
  FROM signins
  WHERE lower(coalesce(authentication_protocol, '')) = 'devicecode' OR lower(coalesce(original_transfer_method, '')) = 'devicecodeflow'
)
SELECT ${findingId('device_code', `coalesce(who, '')`)} AS finding_id,
  CASE WHEN bool_or(app_id = '${AUTH_BROKER_APP_ID}') OR count(DISTINCT country) > 1 THEN 'high' ELSE 'medium' END AS severity,
  list(row_id ORDER BY time_utc, row_id) AS row_ids,
  who, sum(n) AS sign_ins, bool_or(app_id = '${AUTH_BROKER_APP_ID}') AS broker,
  count(DISTINCT ip_address) AS ips, count(DISTINCT country) AS countries,
  string_agg(DISTINCT app_display_name, ', ') AS apps
FROM f GROUP BY who`;
  },
  bonus(m) {
    return (m.broker === true ? 10 : 0) + (num(m.countries) > 1 ? 10 : 0);
  },
  describe(m) {
    const broker = m.broker === true;
    return {
      title: `Device code sign-in${broker ? ' via Microsoft Authentication Broker' : ''} for ${str(m.who)}`,
      explanation:
        `${plural(num(m.sign_ins), 'sign-in')} of ${str(m.who)} used the device code flow (authentication protocol deviceCode or tokens from a deviceCodeFlow transfer) ` +
        `to ${str(m.apps)}, from ${plural(num(m.ips), 'address', 'addresses')} in ${plural(num(m.countries), 'country', 'countries')}. ` +
        (broker ? 'The Microsoft Authentication Broker app is what device-code phishing kits use to get a primary refresh token. ' : '') +
        (num(m.countries) > 1 ? 'Tokens from this flow were used from more than one country: the code was probably entered by the victim for someone else.' : 'Check that the user expected a device code prompt.'),
    };
  },
};
