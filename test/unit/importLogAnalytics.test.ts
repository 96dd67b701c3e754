import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvText } from '../support/fixtures/csvText';
import { importInto, rawOf, TIME_SQL, withCase, writeEvidence } from '../support/fixtures/importHarness';

const LA_HEADER = [
  'TenantId', 'SourceSystem', 'TimeGenerated [UTC]', 'ResourceId', 'OperationName', 'Category', 'ResultType', 'ResultDescription',
  'CorrelationId', 'Location', 'AppDisplayName', 'AppId', 'AuthenticationDetails', 'ConditionalAccessPolicies_dynamic',
  'ConditionalAccessPolicies_string', 'ConditionalAccessStatus', 'CreatedDateTime [UTC]', 'DeviceDetail_dynamic', 'DeviceDetail_string',
  'IsInteractive', 'Id', 'IPAddress', 'LocationDetails_dynamic', 'LocationDetails_string', 'MfaDetail_dynamic', 'MfaDetail_string',
  'ResourceDisplayName', 'ResourceIdentity', 'Status_dynamic', 'Status_string', 'UserAgent', 'UserDisplayName', 'UserId',
  'UserPrincipalName', 'UniqueTokenIdentifier', 'Type', 'AdditionalDetails', 'InitiatedBy',
];

const pretty = (v: unknown): string => JSON.stringify(v, null, 2).replace(/\n/g, '\r\n');

function laRow(i: number, over: Record<string, string> = {}): Record<string, string> {
  return {
    TenantId: 'workspace-1',
    SourceSystem: 'Azure AD',
    'TimeGenerated [UTC]': '4/28/2021, 2:08:47.000 PM',
    ResourceId: '/tenants/t1/providers/Microsoft.aadiam',
    OperationName: 'Sign-in activity',
    Category: 'SignInLogs',
    ResultType: '0',
    CorrelationId: `corr-${i}`,
    Location: 'IL',
    AppDisplayName: 'Azure Portal',
    AppId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
    AuthenticationDetails: pretty([{ authenticationStepDateTime: '2021-04-28T14:08:45.2213421+00:00', authenticationMethod: 'Password', succeeded: true }]),
    ConditionalAccessPolicies_dynamic: JSON.stringify([{ id: 'p', displayName: 'Block legacy', result: 'notEnabled' }]),
    ConditionalAccessStatus: 'notApplied',
    'CreatedDateTime [UTC]': `4/28/2021, ${i % 2 ? '2' : '12'}:08:45.221 ${i % 3 ? 'PM' : 'AM'}`,
    DeviceDetail_dynamic: JSON.stringify({ operatingSystem: 'Windows 10', browser: 'Edge 90' }),
    IsInteractive: 'TRUE',
    Id: `la-${i}`,
    IPAddress: '175.45.176.99',
    LocationDetails_dynamic: i === 2 ? '' : JSON.stringify({ countryOrRegion: 'IL', state: 'Tel Aviv', city: 'Azor', geoCoordinates: { latitude: 32.02956008911133, longitude: 34.79964828491211 } }),
    LocationDetails_string: i === 2 ? JSON.stringify({ countryOrRegion: 'GB', city: 'London', geoCoordinates: { latitude: 51.5, longitude: -0.12 } }) : '',
    MfaDetail_dynamic: '{}',
    ResourceDisplayName: 'Windows Azure Service Management API',
    ResourceIdentity: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    Status_dynamic: JSON.stringify({ errorCode: 0 }),
    UserAgent: 'Mozilla/5.0',
    UserDisplayName: 'Adele Vance',
    UserId: 'u1',
    UserPrincipalName: 'adelev@contoso.example',
    UniqueTokenIdentifier: `uti-${i}`,
    Type: 'SigninLogs',
    ...over,
  };
}

test('Log Analytics CSV: BOM, CRLF, US times, pretty JSON in cells, _dynamic/_string twins, ResourceIdentity, foreign columns', async () => {
  await withCase('la-csv', async (dir, session) => {
    const rows = [laRow(1), laRow(2), laRow(3), laRow(4, { Category: 'AuditLogs', Type: 'AuditLogs', AdditionalDetails: '[]', InitiatedBy: '{}' }), laRow(5, { 'CreatedDateTime [UTC]': '13/45/2021, 2:08:45.221 PM' })];
    const file = writeEvidence(dir, 'query_data.csv', '\uFEFF' + csvText(LA_HEADER, rows, '\r\n', false));
    const [s] = await importInto(session, [file]);
    assert.equal(s!.shape, 'la-csv');
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [5, 3, 2]);
    const r = await session.db.all(
      `SELECT request_id, ${TIME_SQL} AS t, resource_id, city, country, latitude, status, error_code, browser, json_array_length(authentication_details) AS steps, json_array_length(applied_ca_policies) AS ca, source_record
       FROM signins ORDER BY source_record`,
    );
    assert.deepEqual(r[0], { request_id: 'la-1', t: '2021-04-28T14:08:45.221000Z', resource_id: '797f4846-ba00-4fd7-ba43-dac1f8f63013', city: 'Azor', country: 'IL', latitude: 32.02956008911133, status: 'success', error_code: 0, browser: 'Edge 90', steps: '1', ca: '1', source_record: '2' });
    assert.equal(r[1]!.city, 'London', 'LocationDetails_string used when _dynamic is empty');
    assert.equal(r[1]!.country, 'GB');
    assert.equal(r[2]!.t, '2021-04-28T02:08:45.221000Z', '12-hour clock: 2 AM');
    assert.equal(r[1]!.t, '2021-04-28T12:08:45.221000Z', '12 PM is noon');
    // Each record spans several physical lines (pretty-printed AuthenticationDetails).
    const span = laRow(1).AuthenticationDetails!.split('\r\n').length;
    assert.equal(span, 7);
    assert.deepEqual(r.map((x) => x.source_record), ['2', String(2 + span), String(2 + 2 * span)]);
    const rej = await session.db.all<{ source_record: string; reason: string }>(`SELECT source_record, reason FROM rejected_rows ORDER BY source_record`);
    assert.deepEqual(rej.map((x) => x.source_record), ['23', '30']);
    assert.match(rej[0]!.reason, /not a sign-in row \(Category\/Type AuditLogs\)/);
    assert.match(rej[1]!.reason, /unparseable time.*13\/45\/2021/);
    const { raw } = await rawOf(session, `request_id = 'la-1'`);
    assert.equal(raw.InitiatedBy, null, 'foreign columns stay in raw');
    assert.ok('InitiatedBy' in raw);
  });
});

test('Log Analytics CSV without any time column keeps rows with an empty time and says so', async () => {
  await withCase('la-notime', async (dir, session) => {
    const header = LA_HEADER.filter((h) => !h.includes('[UTC]') && h !== 'TenantId');
    const file = writeEvidence(dir, 'disabled.csv', '\uFEFF' + csvText(header, [laRow(1), laRow(2)], '\r\n', false));
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [2, 2, 0]);
    assert.ok(s!.errors.some((e) => /no time column/.test(e)));
    assert.equal(await session.db.scalar(`SELECT count(*) FROM signins WHERE time_utc IS NULL`), '2');
  });
});

test('Log Analytics service-principal table (TimeGenerated only) and JSON export', async () => {
  await withCase('la-sp', async (dir, session) => {
    const spHeader = ['TimeGenerated [UTC]', 'Category', 'Id', 'AppId', 'ServicePrincipalId', 'ServicePrincipalName', 'ResultType', 'IPAddress', 'LocationDetails', 'Type'];
    const sp = writeEvidence(
      dir,
      'sp.csv',
      csvText(spHeader, [{ 'TimeGenerated [UTC]': '10/3/2026, 9:15:00.500 AM', Category: 'ServicePrincipalSignInLogs', Id: 'sp-1', AppId: 'a', ServicePrincipalId: 's', ServicePrincipalName: 'Sync', ResultType: '7000215', IPAddress: '198.51.100.1', LocationDetails: '{"countryOrRegion":"DE"}', Type: 'AADServicePrincipalSignInLogs' }], '\r\n', false),
    );
    const laJson = writeEvidence(
      dir,
      'export.json',
      JSON.stringify([
        { TimeGenerated: '2026-10-03T10:00:00.123456Z', CreatedDateTime: '2026-10-03T09:59:59.654321Z', Category: 'NonInteractiveUserSignInLogs', Type: 'AADNonInteractiveUserSignInLogs', Id: 'ni-1', UserPrincipalName: 'n@contoso.example', AppId: 'x', ResultType: '50140', LocationDetails: '{"city":"Paris","countryOrRegion":"FR","geoCoordinates":{"latitude":48.85,"longitude":2.35}}', ProcessingTimeInMs: '31' },
        { TimeGenerated: '2026-10-03T10:00:01Z', Category: 'ManagedIdentitySignInLogs', Id: 'mi-1', ServicePrincipalId: 'm', AppId: 'y', ResultType: '0', LocationDetails: { countryOrRegion: 'US' } },
      ]),
    );
    // One row, 10/3/2026: month/day or day/month cannot be told from the file, so the order is chosen.
    const out = await importInto(session, [sp, laJson], { dateOrder: 'mdy' });
    assert.equal(out[1]!.shape, 'la-json');
    const r = await session.db.all(`SELECT request_id, log_type, ${TIME_SQL} AS t, country, city, status, latency_ms FROM signins ORDER BY request_id`);
    assert.deepEqual(r, [
      { request_id: 'mi-1', log_type: 'managedidentity', t: '2026-10-03T10:00:01.000000Z', country: 'US', city: null, status: 'success', latency_ms: null },
      { request_id: 'ni-1', log_type: 'noninteractive', t: '2026-10-03T09:59:59.654321Z', country: 'FR', city: 'Paris', status: 'interrupted', latency_ms: '31' },
      { request_id: 'sp-1', log_type: 'serviceprincipal', t: '2026-10-03T09:15:00.500000Z', country: 'DE', city: null, status: 'failure', latency_ms: null },
    ]);
  });
});

test('MicrosoftGraphActivityLogs Log Analytics CSV goes to graph_activity', async () => {
  await withCase('la-gal', async (dir, session) => {
    const header = ['TimeGenerated [UTC]', 'RequestId', 'SignInActivityId', 'RequestMethod', 'RequestUri', 'ResponseStatusCode', 'UserId', 'IPAddress', 'Type'];
    const file = writeEvidence(
      dir,
      'gal.csv',
      csvText(header, [{ 'TimeGenerated [UTC]': '10/3/2026, 1:00:00.250 PM', RequestId: 'r1', SignInActivityId: 'Vb25Vsw2gEG5lycPpuYaAA', RequestMethod: 'GET', RequestUri: 'https://graph.microsoft.com/v1.0/me', ResponseStatusCode: '200', UserId: 'u', IPAddress: '192.0.2.1', Type: 'MicrosoftGraphActivityLogs' }], '\r\n', false),
    );
    const [s] = await importInto(session, [file]);
    assert.equal(s!.shape, 'la-graph-activity-csv');
    assert.deepEqual([s!.read, s!.imported], [1, 1]);
    const g = await session.db.one(`SELECT sign_in_activity_id, response_status_code, strftime(time_utc, '%Y-%m-%dT%H:%M:%S.%f') AS t FROM graph_activity`);
    assert.deepEqual(g, { sign_in_activity_id: 'Vb25Vsw2gEG5lycPpuYaAA', response_status_code: 200, t: '2026-10-03T13:00:00.250000' });
    assert.equal(await session.db.scalar(`SELECT count(*) FROM signins`), '0');
  });
});
