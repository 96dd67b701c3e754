import type { SignInEvent } from '../event';
import { EventFileWriter } from './eventFileWriter';
import { csvField, isoSeconds, MICROSOFT_APP_TENANT } from './format';
import { VOCABULARY } from '../../import/vocabulary';

/** The portal writes display strings in its enum columns ("Device Code", "Primary Refresh Token"). */
function display(column: string, value: string): string {
  return VOCABULARY[column]?.find((x) => x.value === value)?.portal?.[0] ?? value;
}

/**
 * The Entra admin center's "Download CSV" for user sign-ins (interactive and
 * non-interactive share the header). Generations differ by columns added over time; the
 * current one has 57 columns with the portal's own quirks kept: `Incoming token type`
 * twice, trailing spaces in `Application ID ` and `Resource ID `, and a double space in
 * `Autonomous system  number`. Every header name is double-quoted, as the portal writes it.
 */
export type PortalGeneration = 57 | 55 | 54 | 49;

export const PORTAL_USER_HEADER_57: readonly string[] = [
  'Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type',
  'Cross tenant access type', 'Incoming token type', 'Authentication Protocol', 'Unique token identifier',
  'Original transfer method', 'Client credential type', 'Token Protection - Sign In Session',
  'Token Protection - Sign In Session StatusCode', 'Application', 'Application ID ', 'App owner tenant ID',
  'Resource', 'Resource ID ', 'Resource tenant ID', 'Resource owner tenant ID', 'Home tenant ID',
  'Home tenant name', 'IP address', 'Location', 'Status', 'Sign-in error code', 'Failure reason', 'Client app',
  'Device ID', 'Browser', 'Operating System', 'Compliant', 'Managed', 'Join Type',
  'Multifactor authentication result', 'Multifactor authentication auth method',
  'Multifactor authentication auth detail', 'Authentication requirement', 'Sign-in identifier', 'Session ID',
  'IP address (seen by resource)', 'Through Global Secure Access', 'Global Secure Access IP address',
  'Autonomous system  number', 'Flagged for review', 'Token issuer type', 'Incoming token type',
  'Token issuer name', 'Latency', 'Conditional Access', 'Managed Identity type', 'Associated Resource Id',
  'Federated Token Id', 'Federated Token Issuer',
];

const ADDED_55 = new Set(['App owner tenant ID', 'Resource owner tenant ID']);
const ADDED_54 = new Set(['Session ID']);
const ADDED_49 = new Set(['Token Protection - Sign In Session StatusCode', 'Through Global Secure Access', 'Global Secure Access IP address', 'Federated Token Id', 'Federated Token Issuer']);

export function portalUserHeader(gen: PortalGeneration): string[] {
  return PORTAL_USER_HEADER_57.filter((name) => {
    if (gen <= 55 && ADDED_55.has(name)) return false;
    if (gen <= 54 && ADDED_54.has(name)) return false;
    if (gen <= 49 && ADDED_49.has(name)) return false;
    return true;
  });
}

export const PORTAL_SP_HEADER: readonly string[] = [
  'Date (UTC)', 'Request ID', 'Correlation ID', 'Service principal ID', 'Service principal name', 'Credential key ID',
  'Credential thumbprint', 'Application', 'Application ID ', 'App owner tenant ID', 'Resource', 'Resource ID ',
  'Resource tenant ID', 'Resource owner tenant ID', 'Home tenant ID', 'Home tenant name', 'IP address', 'Location',
  'Status', 'Sign-in error code', 'Failure reason', 'Conditional Access',
];

const STATUS: Record<SignInEvent['status'], string> = { success: 'Success', failure: 'Failure', interrupted: 'Interrupted' };
const CA: Record<SignInEvent['caStatus'], string> = { success: 'Success', failure: 'Failure', notApplied: 'Not Applied' };

export function portalLocation(e: SignInEvent): string {
  if (!e.loc) return '';
  return `${e.loc.city}, ${e.loc.state}, ${e.loc.country}`;
}

function appOwner(e: SignInEvent): string {
  return e.sp ? e.resourceTenantId : MICROSOFT_APP_TENANT;
}

type Getter = (e: SignInEvent) => string;

const USER_GETTERS: Record<string, Getter> = {
  'Date (UTC)': (e) => isoSeconds(e.t),
  'Request ID': (e) => e.id,
  'User agent': (e) => e.userAgent,
  'Correlation ID': (e) => e.correlationId,
  'User ID': (e) => e.user?.id ?? '',
  'User': (e) => e.user?.displayName ?? '',
  'Username': (e) => e.user?.upn ?? '',
  'User type': (e) => e.user?.userType ?? '',
  'Cross tenant access type': (e) => display('cross_tenant_access_type', e.crossTenant),
  'Incoming token type': (e) => display('incoming_token_type', e.incomingTokenType),
  'Authentication Protocol': (e) => display('authentication_protocol', e.authProtocol),
  'Unique token identifier': (e) => e.uti,
  'Original transfer method': (e) => display('original_transfer_method', e.originalTransferMethod),
  'Client credential type': (e) => display('client_credential_type', e.clientCredentialType),
  'Token Protection - Sign In Session': (e) => display('token_protection_status', e.logType === 'interactive' ? 'unbound' : 'none'),
  'Token Protection - Sign In Session StatusCode': (e) => '',
  'Application': (e) => e.appName,
  'Application ID ': (e) => e.appId,
  'App owner tenant ID': (e) => appOwner(e),
  'Resource': (e) => e.resourceName,
  'Resource ID ': (e) => e.resourceId,
  'Resource tenant ID': (e) => e.resourceTenantId,
  'Resource owner tenant ID': (e) => MICROSOFT_APP_TENANT,
  'Home tenant ID': (e) => e.user?.homeTenantId ?? e.resourceTenantId,
  'Home tenant name': (e) => e.user?.homeTenantName ?? '',
  'IP address': (e) => e.ip,
  'Location': (e) => portalLocation(e),
  'Status': (e) => STATUS[e.status],
  // The portal leaves a success's error code empty.
  'Sign-in error code': (e) => e.errorCode === 0 ? '' : String(e.errorCode),
  'Failure reason': (e) => e.status === 'success' ? '' : e.failureReason,
  'Client app': (e) => e.clientApp,
  'Device ID': (e) => e.deviceId,
  'Browser': (e) => e.browser,
  'Operating System': (e) => e.os,
  'Compliant': (e) => e.compliant ? 'true' : 'false',
  'Managed': (e) => e.managed ? 'true' : 'false',
  'Join Type': (e) => e.trustType,
  'Multifactor authentication result': (e) => e.mfaResult,
  'Multifactor authentication auth method': (e) => e.mfaMethod,
  'Multifactor authentication auth detail': (e) => e.mfaDetail,
  'Authentication requirement': (e) => e.authRequirement === 'multiFactorAuthentication' ? 'Multifactor authentication' : 'Single-factor authentication',
  'Sign-in identifier': (e) => e.signInIdentifier,
  'Session ID': (e) => e.sessionId,
  'IP address (seen by resource)': (e) => '',
  'Through Global Secure Access': (e) => 'No',
  'Global Secure Access IP address': (e) => '',
  'Autonomous system  number': (e) => e.asn === null ? '' : String(e.asn),
  'Flagged for review': (e) => e.flagged ? 'true' : 'false',
  'Token issuer type': (e) => e.tokenIssuerType,
  'Token issuer name': (e) => '',
  'Latency': (e) => String(e.latencyMs),
  'Conditional Access': (e) => CA[e.caStatus],
  'Managed Identity type': (e) => e.mi?.type ?? '',
  'Associated Resource Id': (e) => e.mi?.resourceId ?? '',
  'Federated Token Id': (e) => '',
  'Federated Token Issuer': (e) => '',
};

const SP_GETTERS: Record<string, Getter> = {
  ...USER_GETTERS,
  'Service principal ID': (e) => e.sp?.id ?? '',
  'Service principal name': (e) => e.sp?.name ?? '',
  'Credential key ID': (e) => e.sp?.credentialKeyId ?? '',
  'Credential thumbprint': (e) => e.sp?.thumbprint ?? '',
  'App owner tenant ID': (e) => e.resourceTenantId,
  'Home tenant ID': (e) => e.resourceTenantId,
  'Home tenant name': (e) => 'Contoso',
};

/** One portal CSV file: user (interactive / non-interactive) or workload (application / MSI) columns. */
export class PortalCsvWriter extends EventFileWriter {
  private readonly header: string[];
  private readonly getters: ((e: SignInEvent) => string)[];
  private started = false;

  constructor(
    path: string,
    private readonly kind: 'user' | 'workload',
    generation: PortalGeneration = 57,
  ) {
    super(path);
    this.header = kind === 'user' ? portalUserHeader(generation) : [...PORTAL_SP_HEADER];
    const table = kind === 'user' ? USER_GETTERS : SP_GETTERS;
    this.getters = this.header.map((h) => table[h] ?? (() => ''));
  }

  write(e: SignInEvent): Promise<void> | void {
    let line = '';
    if (!this.started) {
      this.started = true;
      line = this.header.map((h) => `"${h}"`).join(',') + '\r\n';
    }
    for (let i = 0; i < this.getters.length; i++) line += (i ? ',' : '') + csvField(this.getters[i]!(e));
    return this.record(line + '\r\n');
  }

  override async close(): Promise<void> {
    if (!this.started) {
      this.started = true;
      await this.file.write(this.header.map((h) => `"${h}"`).join(',') + '\r\n');
    }
    await super.close();
  }
}
