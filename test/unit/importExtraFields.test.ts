import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateDataset } from '../../electron/engine/demo/generate';
import { csvLine, csvText } from '../support/fixtures/csvText';
import { freshCase, importInto, workDir, writeEvidence } from '../support/fixtures/importHarness';

// No source field is lost: every field of every record, as an independent reader (Python's
// json and csv modules) sees it, is either the source of a canonical column or sits in the
// row's `extra` JSON under its own name with the same value, for every shape and without
// keep-raw. Which field feeds which column is this test's own table, taken from the export
// documentation, not from the importer.

/** Prints, per record, {file, id, fields}: every top-level field (Event Hub: envelope fields and `properties.x`). */
const PY_FIELDS = String.raw`
import csv, json, sys
out = []
for path in sys.argv[1:]:
    name = path.split('/')[-1]
    if path.endswith('.csv'):
        with open(path, newline='', encoding='utf-8-sig') as f:
            rows = list(csv.reader(f))
        head, seen, keys = rows[0], {}, []
        for h in head:
            seen[h] = seen.get(h, 0) + 1
            keys.append(h if seen[h] == 1 else '%s (%d)' % (h, seen[h]))
        norm = [' '.join(h.split()).lower() for h in head]
        idcol = norm.index('request id') if 'request id' in norm else head.index('Id')
        for r in rows[1:]:
            out.append({'file': name, 'id': r[idcol], 'fields': dict(zip(keys, r))})
        continue
    text = open(path, encoding='utf-8').read()
    try:
        doc = json.loads(text)
        recs = doc['value'] if isinstance(doc, dict) and 'value' in doc else doc if isinstance(doc, list) else [doc]
    except json.JSONDecodeError:
        recs = [json.loads(l) for l in text.splitlines() if l.strip()]
    for rec in recs:
        if 'properties' in rec and 'category' in rec:
            fields = {k: v for k, v in rec.items() if k != 'properties'}
            fields.update({'properties.' + k: v for k, v in rec['properties'].items()})
            out.append({'file': name, 'id': rec['properties']['id'], 'fields': fields})
        else:
            out.append({'file': name, 'id': rec['id'], 'fields': rec})
print(json.dumps(out))
`;

interface PyRecord {
  file: string;
  id: string;
  fields: Record<string, unknown>;
}

function pythonFields(files: string[]): PyRecord[] {
  const r = spawnSync('python3', ['-c', PY_FIELDS, ...files], { encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as PyRecord[];
}

/** Graph signIn property → the canonical column documented as holding it (docs/schema.md). */
const GRAPH_COLUMNS: Record<string, string> = {
  id: 'request_id', createdDateTime: 'time_utc', correlationId: 'correlation_id', userDisplayName: 'user_display_name',
  userPrincipalName: 'user_principal_name', userId: 'user_id', userType: 'user_type', signInIdentifier: 'sign_in_identifier',
  homeTenantId: 'home_tenant_id', homeTenantName: 'home_tenant_name', appDisplayName: 'app_display_name', appId: 'app_id',
  appOwnerTenantId: 'app_owner_tenant_id', resourceDisplayName: 'resource_display_name', resourceId: 'resource_id',
  resourceTenantId: 'resource_tenant_id', resourceOwnerTenantId: 'resource_owner_tenant_id', ipAddress: 'ip_address',
  ipAddressFromResourceProvider: 'ip_address_from_resource', autonomousSystemNumber: 'autonomous_system_number',
  location: 'country', isThroughGlobalSecureAccess: 'through_global_secure_access', globalSecureAccessIpAddress: 'global_secure_access_ip',
  status: 'error_code', clientAppUsed: 'client_app', userAgent: 'user_agent', deviceDetail: 'operating_system',
  authenticationProtocol: 'authentication_protocol', authenticationRequirement: 'authentication_requirement', mfaDetail: 'mfa_method',
  conditionalAccessStatus: 'conditional_access_status', appliedConditionalAccessPolicies: 'applied_ca_policies',
  authenticationDetails: 'authentication_details', crossTenantAccessType: 'cross_tenant_access_type', incomingTokenType: 'incoming_token_type',
  originalTransferMethod: 'original_transfer_method', clientCredentialType: 'client_credential_type', tokenIssuerType: 'token_issuer_type',
  tokenIssuerName: 'token_issuer_name', signInTokenProtectionStatus: 'token_protection_status', sessionId: 'session_id',
  uniqueTokenIdentifier: 'unique_token_identifier', isInteractive: 'is_interactive', flaggedForReview: 'flagged_for_review',
  riskLevelAggregated: 'risk_level_aggregated', riskLevelDuringSignIn: 'risk_level_during_sign_in', riskState: 'risk_state',
  riskDetail: 'risk_detail', riskEventTypes_v2: 'risk_event_types', servicePrincipalId: 'service_principal_id',
  servicePrincipalName: 'service_principal_name', servicePrincipalCredentialKeyId: 'credential_key_id',
  servicePrincipalCredentialThumbprint: 'credential_thumbprint', managedServiceIdentity: 'managed_identity_type',
  processingTimeInMilliseconds: 'latency_ms',
  // The fields that used to be dropped.
  originalRequestId: 'original_request_id', isTenantRestricted: 'is_tenant_restricted', resourceServicePrincipalId: 'resource_service_principal_id',
  alternateSignInName: 'alternate_sign_in_name', userAdministrativeUnits: 'user_administrative_units', agent: 'agent',
  networkLocationDetails: 'network_location_details', authenticationProcessingDetails: 'authentication_processing_details',
  authenticationRequirementPolicies: 'authentication_requirement_policies', sessionLifetimePolicies: 'session_lifetime_policies',
  conditionalAccessAudiences: 'conditional_access_audiences', tokenProtectionStatusDetails: 'token_protection_status_details',
};

/** Columns whose value is the source value itself (compared exactly, not only for presence). */
const EXACT = new Set([
  'original_request_id', 'is_tenant_restricted', 'resource_service_principal_id', 'alternate_sign_in_name', 'user_administrative_units', 'agent',
  'network_location_details', 'authentication_processing_details', 'authentication_requirement_policies', 'session_lifetime_policies',
  'conditional_access_audiences', 'token_protection_status_details', 'autonomous_system_number', 'latency_ms', 'request_id', 'user_agent',
]);

/** Log Analytics SigninLogs column → Graph property it carries. */
const LA_NAMES: Record<string, string> = {
  Id: 'id', CreatedDateTime: 'createdDateTime', IPAddress: 'ipAddress', ResourceIdentity: 'resourceId', LocationDetails: 'location',
  DeviceDetail: 'deviceDetail', Status: 'status', MfaDetail: 'mfaDetail', ConditionalAccessPolicies: 'appliedConditionalAccessPolicies',
  RiskEventTypes_V2: 'riskEventTypes_v2',
};
const laName = (graph: string): string => Object.entries(LA_NAMES).find(([, g]) => g === graph)?.[0] ?? graph[0]!.toUpperCase() + graph.slice(1);

/** Portal download column (normalised) → canonical column. */
const PORTAL_COLUMNS: Record<string, string> = {
  'date (utc)': 'time_utc', 'request id': 'request_id', 'user agent': 'user_agent', 'correlation id': 'correlation_id', 'user id': 'user_id',
  user: 'user_display_name', username: 'user_principal_name', 'user type': 'user_type', 'cross tenant access type': 'cross_tenant_access_type',
  'incoming token type': 'incoming_token_type', 'authentication protocol': 'authentication_protocol', 'unique token identifier': 'unique_token_identifier',
  'original transfer method': 'original_transfer_method', 'client credential type': 'client_credential_type',
  'token protection - sign in session': 'token_protection_status', application: 'app_display_name', 'application id': 'app_id',
  'app owner tenant id': 'app_owner_tenant_id', resource: 'resource_display_name', 'resource id': 'resource_id', 'resource tenant id': 'resource_tenant_id',
  'resource owner tenant id': 'resource_owner_tenant_id', 'home tenant id': 'home_tenant_id', 'home tenant name': 'home_tenant_name',
  'ip address': 'ip_address', location: 'country', status: 'status', 'sign-in error code': 'error_code', 'failure reason': 'failure_reason',
  'client app': 'client_app', 'device id': 'device_id', browser: 'browser', 'operating system': 'operating_system', compliant: 'is_compliant',
  managed: 'is_managed', 'join type': 'trust_type', 'multifactor authentication result': 'mfa_result',
  'multifactor authentication auth method': 'mfa_method', 'multifactor authentication auth detail': 'mfa_detail',
  'authentication requirement': 'authentication_requirement', 'sign-in identifier': 'sign_in_identifier', 'session id': 'session_id',
  'ip address (seen by resource)': 'ip_address_from_resource', 'through global secure access': 'through_global_secure_access',
  'global secure access ip address': 'global_secure_access_ip', 'autonomous system number': 'autonomous_system_number',
  'flagged for review': 'flagged_for_review', 'token issuer type': 'token_issuer_type', 'token issuer name': 'token_issuer_name',
  latency: 'latency_ms', 'conditional access': 'conditional_access_status', 'managed identity type': 'managed_identity_type',
  'associated resource id': 'associated_resource_id', 'federated token id': 'federated_token_id', 'federated token issuer': 'federated_token_issuer',
  'service principal id': 'service_principal_id', 'service principal name': 'service_principal_name', 'credential key id': 'credential_key_id',
  'credential thumbprint': 'credential_thumbprint',
};

const BIG_ASN = 4_200_000_001;
const BIG_LATENCY = 3_000_000_007;

/** The fields real records carry that the generator does not write, plus one no schema knows. */
function enrich(rec: Record<string, unknown>, i: number): Record<string, unknown> {
  return {
    ...rec,
    autonomousSystemNumber: i === 0 ? BIG_ASN : rec.autonomousSystemNumber,
    processingTimeInMilliseconds: i === 0 ? BIG_LATENCY : rec.processingTimeInMilliseconds,
    originalRequestId: `orig-${i}`,
    isTenantRestricted: i % 2 === 0,
    resourceServicePrincipalId: `9f2c0b1e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    alternateSignInName: `+1 555 01${String(i).padStart(2, '0')}`,
    userAdministrativeUnits: i % 3 ? [] : [{ id: 'au-1', displayName: 'EMEA' }],
    agent: { agentType: 'notAgentic', parentAppId: null },
    networkLocationDetails: [{ networkType: 'namedNetwork', networkNames: ['HQ'] }],
    authenticationProcessingDetails: [{ key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value: 'False' }],
    authenticationRequirementPolicies: [{ requirementProvider: 'multiConditionalAccess', detail: 'Conditional Access' }],
    sessionLifetimePolicies: [{ expirationRequirement: 'rememberMultifactorAuthenticationOnTrustedDevices', detail: 'Remember MFA' }],
    conditionalAccessAudiences: [{ applicationId: '00000003-0000-0000-c000-000000000000', audienceReasons: 'none' }],
    tokenProtectionStatusDetails: { signInSessionStatus: 'unbound', signInSessionStatusCode: 1003 },
    rngcStatus: i,
    authenticationStrengths: [{ displayName: 'Multifactor authentication' }],
    someFutureField: { nested: [1, 'two', null] },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

/** Values as a JSON reader gives them, for comparing extra with the source. */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const emptyCell = (v: unknown): boolean => v === null || v === undefined || v === '' || v === '[]' || v === '{}';

interface Row extends Record<string, unknown> {
  request_id: string;
  extra: string | null;
}

async function importAndRead(dir: string, name: string, file: string): Promise<{ rows: Map<string, Row>; unmapped: string[] }> {
  const session = await freshCase(join(dir, name));
  try {
    // The Log Analytics fixture writes US times (10/2/2026) that alone could be either order.
    const [s] = await importInto(session, [file], { dateOrder: 'mdy' });
    assert.equal(s!.rejected, 0, `${name}: ${s!.errors.join('; ')}`);
    const cols = ['request_id', 'extra', ...new Set([...Object.values(GRAPH_COLUMNS), ...Object.values(PORTAL_COLUMNS)])];
    const rows = await session.db.all<Row>(
      `SELECT ${cols.map((c) => (['time_utc'].includes(c) ? `CAST(${c} AS VARCHAR) AS ${c}` : c === 'extra' || c.endsWith('details') || c.endsWith('policies') || c.endsWith('units') || c === 'agent' || c.endsWith('audiences') ? `CAST(${c} AS VARCHAR) AS ${c}` : c)).join(', ')} FROM signins`,
    );
    return { rows: new Map(rows.map((r) => [r.request_id, r])), unmapped: s!.unmapped_fields };
  } finally {
    session.close();
  }
}

function exactValue(column: string, source: unknown, row: Row): void {
  const got = row[column];
  if (column === 'is_tenant_restricted') return assert.equal(got, source, column);
  if (typeof source === 'object' && source !== null) return assert.deepEqual(JSON.parse(String(got)), source, column);
  return assert.equal(String(got), String(source), `${row.request_id} ${column}`);
}

test('no field is lost: Graph JSON, Event Hub JSON, Log Analytics CSV and portal CSV keep every field in a column or in extra', async () => {
  const dir = workDir('extra-fields');
  await generateDataset({ outDir: join(dir, 'gen'), rows: 60, seed: 'extra', shapes: ['graph-json', 'portal-csv'] });
  const gen = filesUnder(join(dir, 'gen'));
  const graphFile = gen.find((f) => f.endsWith('.json') && f.includes('graph'))!;
  const portalFile = gen.find((f) => /InteractiveSignIns/.test(f) && !/NonInteractive/.test(f))!;
  const page = JSON.parse(readFileSync(graphFile, 'utf8')) as { value: Array<Record<string, unknown>> };
  const recs = page.value.map(enrich);

  const graph = writeEvidence(dir, 'signins-graph.json', JSON.stringify(recs, null, 1));
  const eventhub = writeEvidence(
    dir,
    'signins-eventhub.ndjson',
    recs
      .map((r, i) =>
        JSON.stringify({
          time: `2026-10-0${(i % 9) + 1}T10:00:0${i % 10}.1234567Z`, resourceId: '/tenants/t/providers/Microsoft.aadiam', operationName: 'Sign-in activity',
          operationVersion: '1.0', category: 'SignInLogs', tenantId: 'tenant-envelope', resultType: String((r.status as { errorCode: number }).errorCode),
          resultSignature: 'None', resultDescription: (r.status as { failureReason: string }).failureReason, durationMs: 17 + i,
          callerIpAddress: r.ipAddress, correlationId: r.correlationId, identity: r.userDisplayName, Level: 4, location: 'US', properties: r,
        }),
      )
      .join('\n') + '\n',
  );
  const laHeader = ['TenantId', 'SourceSystem', 'TimeGenerated [UTC]', 'ResourceId', 'OperationName', 'Category', 'ResultType', 'ResultSignature',
    'ResultDescription', 'DurationMs', 'Identity', 'Level', 'Location', 'Type', ...Object.keys(recs[0]!).map(laName).map((n) => (n === 'CreatedDateTime' ? 'CreatedDateTime [UTC]' : n))];
  const laRows = recs.map((r, i) => {
    const row: Record<string, string> = {
      TenantId: 'workspace-tenant', SourceSystem: 'Azure AD', 'TimeGenerated [UTC]': `10/2/2026, 3:0${i % 10}:00.000 PM`, ResourceId: '/tenants/t/providers/Microsoft.aadiam',
      OperationName: 'Sign-in activity', Category: 'SignInLogs', ResultType: String((r.status as { errorCode: number }).errorCode), ResultSignature: 'None',
      ResultDescription: 'desc', DurationMs: String(i), Identity: String(r.userDisplayName ?? ''), Level: '4', Location: 'US', Type: 'SigninLogs',
    };
    for (const [k, v] of Object.entries(r)) {
      const n = laName(k);
      row[n === 'CreatedDateTime' ? 'CreatedDateTime [UTC]' : n] = v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    return row;
  });
  const la = writeEvidence(dir, 'query_data.csv', csvText(laHeader, laRows, '\r\n', false));

  // The generator leaves the token protection status code empty; real downloads fill it.
  const portalRecs = pythonFields([portalFile]);
  const portalKeys = Object.keys(portalRecs[0]!.fields);
  const portal = writeEvidence(
    dir,
    'InteractiveSignIns_2026-10-01_2026-10-31.csv',
    [
      portalKeys.map((k) => `"${k.replace(/ \(2\)$/, '')}"`).join(','),
      ...portalRecs.map((r, i) => csvLine(portalKeys.map((k) => (k === 'Token Protection - Sign In Session StatusCode' && i % 2 === 0 ? '1003' : String(r.fields[k]))))),
    ].join('\n') + '\n',
  );
  const shapes: Array<{ name: string; file: string }> = [
    { name: 'graph', file: graph },
    { name: 'eventhub', file: eventhub },
    { name: 'la', file: la },
    { name: 'portal', file: portal },
  ];
  const records = pythonFields(shapes.map((s) => s.file));
  for (const shape of shapes) {
    const { rows, unmapped } = await importAndRead(dir, shape.name, shape.file);
    const mine = records.filter((r) => shape.file.endsWith(r.file));
    assert.ok(mine.length > 0 && mine.length === rows.size, `${shape.name}: ${mine.length} records, ${rows.size} rows`);
    const inExtra = new Set<string>();
    for (const rec of mine) {
      const row = rows.get(rec.id);
      assert.ok(row, `${shape.name}: no row for ${rec.id}`);
      const extra = row.extra ? (JSON.parse(row.extra) as Record<string, unknown>) : {};
      for (const [field, value] of Object.entries(rec.fields)) {
        let column: string | undefined;
        if (shape.name === 'graph') column = GRAPH_COLUMNS[field];
        if (shape.name === 'eventhub') column = field.startsWith('properties.') ? GRAPH_COLUMNS[field.slice(11)] : field === 'category' ? 'log_type' : undefined;
        if (shape.name === 'la') {
          // SignInEventTypes decides the log type and keeps its own value in extra (as Graph's signInEventTypes does).
          const base = field.replace(/ \[UTC\]$/, '');
          const g = LA_NAMES[base] ?? base[0]!.toLowerCase() + base.slice(1);
          column = base === 'TimeGenerated' || base === 'Location' || base === 'Type' || base === 'ManagedServiceIdentity' || base === 'ResourceId' ? undefined : base === 'SignInEventTypes' ? undefined : base === 'Category' ? 'log_type' : base === 'ResultType' ? 'error_code' : GRAPH_COLUMNS[g];
        }
        if (shape.name === 'portal') column = field.includes(' (2)') ? undefined : PORTAL_COLUMNS[field.trim().replace(/\s+/g, ' ').toLowerCase()];
        const path = shape.name === 'eventhub' && field.startsWith('properties.') ? ['properties', field.slice(11)] : [field];
        const inExtraValue = path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), extra);
        const inExtraHas = path.length === 2 ? Object.prototype.hasOwnProperty.call((extra.properties ?? {}) as object, path[1]!) : Object.prototype.hasOwnProperty.call(extra, field);
        if (column && column !== 'log_type') {
          assert.ok(!inExtraHas, `${shape.name} ${rec.id}: ${field} has column ${column} and is also in extra`);
          const csv = shape.name === 'la' || shape.name === 'portal';
          const sourceValue = csv && EXACT.has(column) && typeof value === 'string' && /^[[{]/.test(value) ? JSON.parse(value) : value;
          if (csv && column === 'is_tenant_restricted') {
            assert.equal(row[column], value === 'True' || value === 'true', `${shape.name} ${rec.id}: ${field}`);
          } else if (EXACT.has(column) && !emptyCell(sourceValue)) exactValue(column, sourceValue, row);
          // The all-zero GUID is Graph's placeholder for "none": the column is NULL and the raw record keeps it.
          else if (!emptyCell(value) && typeof value !== 'object' && !/^[[{]/.test(String(value)) && !/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(String(value))) assert.notEqual(row[column], null, `${shape.name} ${rec.id}: ${field}=${JSON.stringify(value)} but ${column} is NULL`);
        } else if (column !== 'log_type') {
          if ((shape.name === 'la' || shape.name === 'portal') && emptyCell(value)) continue;
          assert.ok(inExtraHas, `${shape.name} ${rec.id}: field ${field} is in neither a column nor extra`);
          assert.ok(same(inExtraValue, value), `${shape.name} ${rec.id}: extra.${field} is ${JSON.stringify(inExtraValue)}, the source has ${JSON.stringify(value)}`);
          inExtra.add(path.join('.'));
        }
      }
    }
    // The summary names every field that went to extra, so nothing is dropped silently.
    for (const f of inExtra) assert.ok(unmapped.includes(f), `${shape.name}: unmapped_fields lacks ${f} (${unmapped.join(', ')})`);
    if (shape.name !== 'portal') {
      const first = rows.get(mine.find((r) => (r.fields.originalRequestId ?? r.fields['properties.originalRequestId'] ?? r.fields.OriginalRequestId) === 'orig-0')!.id)!;
      assert.equal(String(first.autonomous_system_number), String(BIG_ASN), `${shape.name}: ASN above 2^31`);
      assert.equal(String(first.latency_ms), String(BIG_LATENCY), `${shape.name}: processing time above 2^31`);
    }
  }
});
