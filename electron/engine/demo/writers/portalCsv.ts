import type { SignInEvent } from '../event';
import { BufferedFile } from './bufferedFile';
import { csvField, isoSeconds, MICROSOFT_APP_TENANT } from './format';

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

function userValue(e: SignInEvent, name: string): string {
  switch (name) {
    case 'Date (UTC)': return isoSeconds(e.t);
    case 'Request ID': return e.id;
    case 'User agent': return e.userAgent;
    case 'Correlation ID': return e.correlationId;
    case 'User ID': return e.user?.id ?? '';
    case 'User': return e.user?.displayName ?? '';
    case 'Username': return e.user?.upn ?? '';
    case 'User type': return e.user?.userType ?? '';
    case 'Cross tenant access type': return e.crossTenant;
    case 'Incoming token type': return e.incomingTokenType;
    case 'Authentication Protocol': return e.authProtocol;
    case 'Unique token identifier': return e.uti;
    case 'Original transfer method': return e.originalTransferMethod;
    case 'Client credential type': return e.clientCredentialType;
    case 'Token Protection - Sign In Session': return e.logType === 'interactive' ? 'unbound' : 'none';
    case 'Token Protection - Sign In Session StatusCode': return '';
    case 'Application': return e.appName;
    case 'Application ID ': return e.appId;
    case 'App owner tenant ID': return appOwner(e);
    case 'Resource': return e.resourceName;
    case 'Resource ID ': return e.resourceId;
    case 'Resource tenant ID': return e.resourceTenantId;
    case 'Resource owner tenant ID': return MICROSOFT_APP_TENANT;
    case 'Home tenant ID': return e.user?.homeTenantId ?? e.resourceTenantId;
    case 'Home tenant name': return e.user?.homeTenantName ?? '';
    case 'IP address': return e.ip;
    case 'Location': return portalLocation(e);
    case 'Status': return STATUS[e.status];
    case 'Sign-in error code': return String(e.errorCode);
    case 'Failure reason': return e.status === 'success' ? '' : e.failureReason;
    case 'Client app': return e.clientApp;
    case 'Device ID': return e.deviceId;
    case 'Browser': return e.browser;
    case 'Operating System': return e.os;
    case 'Compliant': return e.compliant ? 'true' : 'false';
    case 'Managed': return e.managed ? 'true' : 'false';
    case 'Join Type': return e.trustType;
    case 'Multifactor authentication result': return e.mfaResult;
    case 'Multifactor authentication auth method': return e.mfaMethod;
    case 'Multifactor authentication auth detail': return e.mfaDetail;
    case 'Authentication requirement': return e.authRequirement === 'multiFactorAuthentication' ? 'Multifactor authentication' : 'Single-factor authentication';
    case 'Sign-in identifier': return e.signInIdentifier;
    case 'Session ID': return e.sessionId;
    case 'IP address (seen by resource)': return '';
    case 'Through Global Secure Access': return 'false';
    case 'Global Secure Access IP address': return '';
    case 'Autonomous system  number': return e.asn === null ? '' : String(e.asn);
    case 'Flagged for review': return e.flagged ? 'true' : 'false';
    case 'Token issuer type': return e.tokenIssuerType;
    case 'Token issuer name': return '';
    case 'Latency': return String(e.latencyMs);
    case 'Conditional Access': return CA[e.caStatus];
    case 'Managed Identity type': return e.mi?.type ?? '';
    case 'Associated Resource Id': return e.mi?.resourceId ?? '';
    case 'Federated Token Id': return '';
    case 'Federated Token Issuer': return '';
    default: return '';
  }
}

function spValue(e: SignInEvent, name: string): string {
  switch (name) {
    case 'Service principal ID': return e.sp?.id ?? '';
    case 'Service principal name': return e.sp?.name ?? '';
    case 'Credential key ID': return e.sp?.credentialKeyId ?? '';
    case 'Credential thumbprint': return e.sp?.thumbprint ?? '';
    case 'App owner tenant ID': return e.resourceTenantId;
    case 'Home tenant ID': return e.resourceTenantId;
    case 'Home tenant name': return 'Contoso';
    default: return userValue(e, name);
  }
}

/** One portal CSV file: user (interactive / non-interactive) or workload (application / MSI) columns. */
export class PortalCsvWriter {
  private readonly file: BufferedFile;
  private readonly header: string[];
  private started = false;

  constructor(
    path: string,
    private readonly kind: 'user' | 'workload',
    generation: PortalGeneration = 57,
  ) {
    this.file = new BufferedFile(path);
    this.header = kind === 'user' ? portalUserHeader(generation) : [...PORTAL_SP_HEADER];
  }

  get path(): string {
    return this.file.path;
  }

  get rows(): number {
    return this.file.rows;
  }

  async write(e: SignInEvent): Promise<void> {
    if (!this.started) {
      this.started = true;
      await this.file.write(this.header.map((h) => `"${h}"`).join(',') + '\r\n');
    }
    const cells = this.kind === 'user' ? this.header.map((h) => csvField(userValue(e, h))) : this.header.map((h) => csvField(spValue(e, h)));
    this.file.rows++;
    await this.file.write(cells.join(',') + '\r\n');
  }

  async close(): Promise<void> {
    if (!this.started) {
      this.started = true;
      await this.file.write(this.header.map((h) => `"${h}"`).join(',') + '\r\n');
    }
    await this.file.close();
  }
}
