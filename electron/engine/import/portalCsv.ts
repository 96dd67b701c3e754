import type { SigninMapping } from './mapping';

/**
 * The Entra admin center download (all header generations: 49, 54, 55, 57 columns, and the
 * non-interactive, application and managed-identity downloads). Columns are found by
 * normalised name, so position and generation do not matter.
 */
export interface ColumnLookup {
  /** SQL expression of the first column with this normalised name, or NULL. */
  col(name: string): string;
  /**
   * Every column with this normalised name (the 57-column header repeats one). Only the first
   * is the column's source; the others are fallbacks and also stay in `extra`.
   */
  all(name: string): string[];
  has(name: string): boolean;
}

const DIRECT: Record<string, string> = {
  request_id: 'request id',
  correlation_id: 'correlation id',
  user_display_name: 'user',
  user_principal_name: 'username',
  user_id: 'user id',
  user_type: 'user type',
  sign_in_identifier: 'sign-in identifier',
  home_tenant_id: 'home tenant id',
  home_tenant_name: 'home tenant name',
  app_display_name: 'application',
  app_id: 'application id',
  app_owner_tenant_id: 'app owner tenant id',
  resource_display_name: 'resource',
  resource_id: 'resource id',
  resource_tenant_id: 'resource tenant id',
  resource_owner_tenant_id: 'resource owner tenant id',
  ip_address: 'ip address',
  ip_address_from_resource: 'ip address (seen by resource)',
  through_global_secure_access: 'through global secure access',
  global_secure_access_ip: 'global secure access ip address',
  failure_reason: 'failure reason',
  client_app: 'client app',
  user_agent: 'user agent',
  device_id: 'device id',
  device_name: 'device name',
  operating_system: 'operating system',
  browser: 'browser',
  trust_type: 'join type',
  authentication_protocol: 'authentication protocol',
  authentication_requirement: 'authentication requirement',
  mfa_result: 'multifactor authentication result',
  mfa_method: 'multifactor authentication auth method',
  mfa_detail: 'multifactor authentication auth detail',
  conditional_access_status: 'conditional access',
  cross_tenant_access_type: 'cross tenant access type',
  original_transfer_method: 'original transfer method',
  client_credential_type: 'client credential type',
  token_issuer_type: 'token issuer type',
  token_issuer_name: 'token issuer name',
  token_protection_status: 'token protection - sign in session',
  session_id: 'session id',
  unique_token_identifier: 'unique token identifier',
  service_principal_id: 'service principal id',
  service_principal_name: 'service principal name',
  credential_key_id: 'credential key id',
  credential_thumbprint: 'credential thumbprint',
  managed_identity_type: 'managed identity type',
  associated_resource_id: 'associated resource id',
  federated_token_id: 'federated token id',
  federated_token_issuer: 'federated token issuer',
  risk_level_aggregated: 'aggregated risk level',
  risk_level_during_sign_in: 'risk level during sign-in',
  risk_state: 'risk state',
  risk_detail: 'risk detail',
};

/** Columns whose portal display text is normalised to the Graph enum spelling. */
const ENUMS = ['user_type', 'conditional_access_status', 'cross_tenant_access_type', 'original_transfer_method', 'client_credential_type', 'token_protection_status', 'authentication_requirement'];

export function portalMapping(cols: ColumnLookup, logType: string): SigninMapping {
  const m: SigninMapping = {};
  for (const [canon, header] of Object.entries(DIRECT)) {
    if (cols.has(header)) m[canon] = `signet_cell(${cols.col(header)})`;
  }
  for (const canon of ENUMS) if (m[canon]) m[canon] = m[canon]!.replace(/^signet_cell\(/, 'signet_enum(');
  const incoming = cols.all('incoming token type');
  if (incoming.length) m.incoming_token_type = `coalesce(${incoming.map((c) => `signet_enum(${c})`).join(', ')})`;
  m.time_utc = `signet_ts(${cols.col('date (utc)')})`;
  m.log_type = `'${logType}'`;
  const code = `signet_int(${cols.col('sign-in error code')})`;
  m.error_code = code;
  m.status = `signet_status(${cols.col('status')}, ${code})`;
  m.autonomous_system_number = `signet_bigint(${cols.col('autonomous system number')})`;
  m.latency_ms = `signet_bigint(${cols.col('latency')})`;
  m.is_compliant = `signet_bool(${cols.col('compliant')})`;
  m.is_managed = `signet_bool(${cols.col('managed')})`;
  m.flagged_for_review = `signet_bool(${cols.col('flagged for review')})`;
  if (cols.has('location')) {
    const loc = cols.col('location');
    m.city = `signet_loc_city(${loc})`;
    m.state = `signet_loc_state(${loc})`;
    m.country = `signet_loc_country(${loc})`;
  }
  if (logType === 'interactive') m.is_interactive = 'true';
  if (logType === 'noninteractive') m.is_interactive = 'false';
  return m;
}

/** Columns that only a sign-in download has; used to tell it from other CSVs. */
export function looksLikePortal(has: (n: string) => boolean): boolean {
  return has('date (utc)') && has('request id') && (has('username') || has('service principal id') || has('application') || has('status'));
}

/** The AuthDetails download: steps of a sign-in, keyed by Request ID. */
export function looksLikeAuthDetails(has: (n: string) => boolean, fileName: string): boolean {
  const stepish = ['authentication method', 'authentication method detail', 'succeeded', 'result detail', 'requirement', 'authentication step date'];
  return has('request id') && stepish.some(has) && (!has('ip address') || /authdetails/i.test(fileName));
}

/** Interactive and non-interactive downloads share a header; the file name tells them apart. */
export function portalLogType(has: (n: string) => boolean, fileName: string): string {
  const n = fileName.toLowerCase();
  if (has('username') || has('user')) return /noninteractive/.test(n) ? 'noninteractive' : 'interactive';
  if (/msi|managedidentit/.test(n)) return 'managedidentity';
  if (/application|serviceprincipal/.test(n)) return 'serviceprincipal';
  return has('service principal id') ? 'serviceprincipal' : 'managedidentity';
}
