import type { CaseSession } from '../../electron/engine/case/caseSession';

/** Hostile text planted in the fixture: must stay inert in the grid and be neutralised in CSV. */
export const HOSTILE_UA = '=HYPERLINK("http://x","y")';
export const HOSTILE_HTML = '<img src=x onerror=alert(1)>';

/**
 * Deterministic synthetic sign-ins generated inside DuckDB with range(), so a 100,000-row
 * case takes well under a second. Row i (1-based) has time 2026-10-01 00:00:00 UTC + i*37 s.
 * Rows 1 and 2 carry hostile user agents; every 10th row is a failure with code 50126,
 * every 15th an MFA interruption (50074); users cycle over 7 names, IPs over 50.
 */
export async function insertSyntheticRows(session: CaseSession, n: number): Promise<void> {
  await session.db.run(
    `INSERT INTO signins (row_id, time_utc, log_type, request_id, correlation_id, user_display_name, user_principal_name, user_id,
       user_type, app_display_name, app_id, resource_display_name, resource_id, ip_address, autonomous_system_number, city, state, country,
       latitude, longitude, status, error_code, failure_reason, client_app, user_agent, operating_system, browser, device_id, is_compliant,
       authentication_protocol, authentication_requirement, conditional_access_status, applied_ca_policies, authentication_details,
       session_id, unique_token_identifier, latency_ms, source_file, source_record, source_shape, raw)
     SELECT i,
       TIMESTAMP '2026-10-01 00:00:00' + to_seconds(i * 37),
       CASE WHEN i % 4 = 0 THEN 'noninteractive' ELSE 'interactive' END,
       printf('req-%08d', i),
       printf('corr-%06d', i // 3),
       ['Alice Adams','Bob Brown','Carol Chen','Dmitri Dvořák','Eve Evans','Frank Fu','Grace Ó Briain'][1 + i % 7],
       ['alice','bob','carol','dmitri','eve','frank','grace'][1 + i % 7] || '@contoso.example',
       printf('00000000-0000-0000-0000-%012d', i % 7),
       'Member',
       ['Microsoft Office','Azure Portal','Microsoft Teams','Outlook Mobile'][1 + i % 4],
       printf('app-%d', i % 4),
       ['Office 365 Exchange Online','Windows Azure Service Management API','Microsoft Graph'][1 + i % 3],
       printf('res-%d', i % 3),
       printf('203.0.113.%d', i % 50),
       64496 + i % 5,
       ['Seattle','Berlin','Lagos','São Paulo','Tokyo'][1 + i % 5],
       ['Washington','Berlin','Lagos','São Paulo','Tokyo'][1 + i % 5],
       ['US','DE','NG','BR','JP'][1 + i % 5],
       [47.6,52.5,6.45,-23.5,35.7][1 + i % 5],
       [-122.3,13.4,3.39,-46.6,139.7][1 + i % 5],
       CASE WHEN i % 10 = 0 THEN 'failure' WHEN i % 15 = 0 THEN 'interrupted' ELSE 'success' END,
       CASE WHEN i % 10 = 0 THEN 50126 WHEN i % 15 = 0 THEN 50074 ELSE 0 END,
       CASE WHEN i % 10 = 0 THEN 'Invalid username or password or Invalid on-premise username or password.'
            WHEN i % 15 = 0 THEN 'Strong Authentication is required.' ELSE NULL END,
       ['Browser','Mobile Apps and Desktop clients','Exchange ActiveSync'][1 + i % 3],
       CASE WHEN i = 1 THEN '${HOSTILE_UA.replace(/'/g, "''")}' WHEN i = 2 THEN '${HOSTILE_HTML}'
            ELSE printf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/%d.0', 120 + i % 9) END,
       ['Windows 10','MacOs','Ios'][1 + i % 3],
       ['Chrome 128','Edge 128','Safari 17'][1 + i % 3],
       CASE WHEN i % 3 = 0 THEN NULL ELSE printf('dev-%d', i % 11) END,
       i % 2 = 0,
       'none',
       CASE WHEN i % 6 = 0 THEN 'multiFactorAuthentication' ELSE 'singleFactorAuthentication' END,
       CASE WHEN i % 10 = 0 THEN 'notApplied' ELSE 'success' END,
       '[{"id":"pol-1","displayName":"Require MFA for admins","result":"success","enforcedGrantControls":["Mfa"]},{"id":"pol-2","displayName":"Block legacy auth","result":"notApplied","enforcedGrantControls":["Block"]}]',
       '[{"authenticationStepDateTime":"2026-10-01T00:00:00Z","authenticationMethod":"Password","succeeded":true,"authenticationStepResultDetail":"Correct password","authenticationStepRequirement":"Primary authentication"}]',
       printf('sess-%05d', i // 5),
       printf('uti-%08d', i),
       20 + i % 300,
       'fixture.csv', i + 1, 'portal-csv',
       json_object('id', printf('req-%08d', i), 'createdDateTime', strftime(TIMESTAMP '2026-10-01 00:00:00' + to_seconds(i * 37), '%Y-%m-%dT%H:%M:%SZ'))
     FROM range(1, ? + 1) t(i)`,
    [n],
  );
}
