import type { SignInEvent } from '../event';
import { EventFileWriter } from './eventFileWriter';
import { csvField } from './format';
import { graphSignIn } from './graphJson';

/**
 * A Log Analytics / Sentinel "Export to CSV" of a union of the four sign-in tables: the
 * portal's export format (BOM, CRLF, `[UTC]` headers, US times with AM/PM, JSON columns as
 * JSON text), with Category and Type naming each row's table.
 */
const TABLE: Record<SignInEvent['logType'], { category: string; type: string }> = {
  interactive: { category: 'SignInLogs', type: 'SigninLogs' },
  noninteractive: { category: 'NonInteractiveUserSignInLogs', type: 'AADNonInteractiveUserSignInLogs' },
  serviceprincipal: { category: 'ServicePrincipalSignInLogs', type: 'AADServicePrincipalSignInLogs' },
  managedidentity: { category: 'ManagedIdentitySignInLogs', type: 'AADManagedIdentitySignInLogs' },
};

/** Graph properties exported as columns of the same name, PascalCased. */
const PLAIN = [
  'appDisplayName', 'appId', 'appOwnerTenantId', 'authenticationProtocol', 'authenticationRequirement', 'autonomousSystemNumber',
  'clientAppUsed', 'clientCredentialType', 'conditionalAccessStatus', 'correlationId', 'crossTenantAccessType', 'flaggedForReview',
  'homeTenantId', 'homeTenantName', 'incomingTokenType', 'ipAddress', 'isInteractive', 'originalTransferMethod',
  'processingTimeInMilliseconds', 'resourceDisplayName', 'resourceTenantId', 'resourceOwnerTenantId', 'riskDetail',
  'riskLevelAggregated', 'riskLevelDuringSignIn', 'riskState', 'servicePrincipalId', 'servicePrincipalName',
  'servicePrincipalCredentialKeyId', 'servicePrincipalCredentialThumbprint', 'sessionId', 'signInIdentifier',
  'signInTokenProtectionStatus', 'tokenIssuerName', 'tokenIssuerType', 'uniqueTokenIdentifier', 'userAgent',
  'userDisplayName', 'userId', 'userPrincipalName', 'userType',
] as const;

const pascal = (k: string): string => (k === 'ipAddress' ? 'IPAddress' : k[0]!.toUpperCase() + k.slice(1));

export const LA_SIGNIN_HEADER: readonly string[] = [
  'TenantId', 'SourceSystem', 'TimeGenerated [UTC]', 'ResourceId', 'OperationName', 'Category', 'ResultType', 'ResultSignature',
  'ResultDescription', 'Location', 'CreatedDateTime [UTC]', 'Id', 'AuthenticationDetails', 'ConditionalAccessPolicies',
  'DeviceDetail', 'LocationDetails', 'MfaDetail', 'Status', 'ResourceIdentity', 'RiskEventTypes', 'RiskEventTypes_V2',
  'SignInEventTypes', 'IsThroughGlobalSecureAccess', ...PLAIN.map(pascal), 'Type',
];

/** `10/3/2026, 1:00:00.000 PM`: how the Log Analytics portal writes times in an en-US export. */
export function laUsTime(t: number): string {
  const d = new Date(t);
  const h = d.getUTCHours();
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} ${h < 12 ? 'AM' : 'PM'}`;
}

const text = (x: unknown): string => (x === null || x === undefined ? '' : typeof x === 'object' ? JSON.stringify(x) : String(x));

export class LaCsvWriter extends EventFileWriter {
  private started = false;

  private header(): string {
    return '\uFEFF' + LA_SIGNIN_HEADER.map(csvField).join(',') + '\r\n';
  }

  write(e: SignInEvent): Promise<void> | void {
    const g = graphSignIn(e);
    const table = TABLE[e.logType];
    const cells: Record<string, unknown> = {
      TenantId: e.resourceTenantId,
      SourceSystem: 'Azure AD',
      'TimeGenerated [UTC]': laUsTime(e.t + 30_000),
      ResourceId: `/tenants/${e.resourceTenantId}/providers/Microsoft.aadiam`,
      OperationName: 'Sign-in activity',
      Category: table.category,
      ResultType: String(e.errorCode),
      ResultSignature: e.errorCode === 0 ? 'SUCCESS' : 'None',
      ResultDescription: e.errorCode === 0 ? '' : e.failureReason,
      Location: e.loc?.country ?? '',
      'CreatedDateTime [UTC]': laUsTime(e.t),
      Id: e.id,
      AuthenticationDetails: g.authenticationDetails,
      ConditionalAccessPolicies: g.appliedConditionalAccessPolicies,
      DeviceDetail: g.deviceDetail,
      LocationDetails: g.location,
      MfaDetail: g.mfaDetail ?? {},
      Status: g.status,
      ResourceIdentity: e.resourceId,
      RiskEventTypes: g.riskEventTypes,
      RiskEventTypes_V2: g.riskEventTypes_v2,
      SignInEventTypes: g.signInEventTypes,
      IsThroughGlobalSecureAccess: 'false',
      Type: table.type,
    };
    for (const k of PLAIN) cells[pascal(k)] = g[k];
    let line = this.started ? '' : this.header();
    this.started = true;
    line += LA_SIGNIN_HEADER.map((h) => csvField(text(cells[h]))).join(',') + '\r\n';
    return this.record(line);
  }

  override async close(): Promise<void> {
    if (!this.started) await this.file.write(this.header());
    await super.close();
  }
}
