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

export function portalMapping(cols: ColumnLookup, logType: string): SigninMapping {
  const m: SigninMapping = {};
  for (const [canon, header] of Object.entries(DIRECT)) {
    if (cols.has(header)) m[canon] = `signet_cell(${cols.col(header)})`;
  }
  const incoming = cols.all('incoming token type');
  if (incoming.length) m.incoming_token_type = `coalesce(${incoming.map((c) => `signet_cell(${c})`).join(', ')})`;
  m.time_utc = `signet_ts(${cols.col('date (utc)')})`;
  m.log_type = `'${logType}'`;
  const code = `signet_error_code(signet_int(${cols.col('sign-in error code')}), ${cols.col('status')})`;
  m.error_code = code;
  // A success has no failure reason, in every shape.
  if (m.failure_reason) m.failure_reason = `CASE WHEN ${code} = 0 THEN NULL ELSE ${m.failure_reason} END`;
  m.status = `signet_status(${cols.col('status')}, ${code})`;
  m.autonomous_system_number = `signet_bigint(${cols.col('autonomous system number')})`;
  m.latency_ms = `signet_bigint(${cols.col('latency')})`;
  // A grouped (non-interactive) row's count, where the download has one.
  const grouped = ['# sign-ins', 'sign-ins', 'aggregated count', 'sign-in count'].find((h) => cols.has(h));
  if (grouped) m.sign_in_count = `coalesce(signet_int(${cols.col(grouped)}), 1)`;
  m.through_global_secure_access = `signet_bool(${cols.col('through global secure access')})`;
  m.is_compliant = `signet_bool(${cols.col('compliant')})`;
  m.is_managed = `signet_bool(${cols.col('managed')})`;
  m.flagged_for_review = `signet_bool(${cols.col('flagged for review')})`;
  if (cols.has('location')) {
    const loc = cols.col('location');
    m.city = `signet_loc_city(${loc})`;
    m.state = `signet_loc_state(${loc})`;
    m.country = `signet_loc_country(${loc})`;
  }
  // The download has no interactive flag of its own: is_interactive stays NULL rather than
  // repeating the log type (which the interactive-mismatch finding compares it with).
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

/**
 * The log type as far as the download's content tells it: columns only one download has, and
 * for the application and managed-identity downloads (one header) the values of their first
 * rows. Interactive and non-interactive downloads share a header and carry no flag: null.
 */
export function portalLogType(has: (n: string) => boolean, rows: Array<(name: string) => string>): { logType: 'serviceprincipal' | 'managedidentity'; reason: string } | null {
  if (has('username') || has('user')) return null;
  const filled = (name: string): boolean => rows.some((r) => { const v = r(name).toLowerCase(); return v !== '' && v !== 'none'; });
  const mi = filled('managed identity type') || filled('associated resource id');
  const sp = filled('credential key id') || filled('credential thumbprint');
  if (mi && !sp) return { logType: 'managedidentity', reason: 'content: no user columns, and rows name a managed identity (Managed Identity type / Associated Resource Id)' };
  if (sp && !mi) return { logType: 'serviceprincipal', reason: 'content: no user columns, and rows carry service-principal credentials (Credential key ID / thumbprint)' };
  return null;
}
