// The canonical sign-in table. Every importer maps its shape onto these columns; the
// grid, filters, findings, timeline and map only ever speak this vocabulary. The list
// is also the allow-list for identifiers that reach SQL from the renderer.

export type ColumnType = 'VARCHAR' | 'TIMESTAMP' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'JSON';

/** Column groups double as the grid's column-set presets. */
export type ColumnGroup =
  | 'basic'
  | 'identity'
  | 'application'
  | 'network'
  | 'device'
  | 'authentication'
  | 'risk'
  | 'serviceprincipal'
  | 'provenance';

export interface CanonicalColumn {
  name: string;
  type: ColumnType;
  label: string;
  group: ColumnGroup;
  description: string;
}

const c = (name: string, type: ColumnType, label: string, group: ColumnGroup, description: string): CanonicalColumn => ({
  name,
  type,
  label,
  group,
  description,
});

export const CANONICAL_COLUMNS: readonly CanonicalColumn[] = [
  c('row_id', 'BIGINT', 'Row', 'provenance', 'Signet row number, stable within a case'),
  c('time_utc', 'TIMESTAMP', 'Date (UTC)', 'basic', 'When the sign-in happened, normalised to UTC'),
  c('log_type', 'VARCHAR', 'Log type', 'basic', 'interactive | noninteractive | serviceprincipal | managedidentity | adfs'),
  c('request_id', 'VARCHAR', 'Request ID', 'basic', 'Sign-in request id (Graph id)'),
  c('correlation_id', 'VARCHAR', 'Correlation ID', 'basic', 'Correlation id shared by related requests'),
  c('user_display_name', 'VARCHAR', 'User', 'identity', 'User display name'),
  c('user_principal_name', 'VARCHAR', 'Username', 'identity', 'User principal name'),
  c('user_id', 'VARCHAR', 'User ID', 'identity', 'User object id'),
  c('user_type', 'VARCHAR', 'User type', 'identity', 'member | guest'),
  c('sign_in_identifier', 'VARCHAR', 'Sign-in identifier', 'identity', 'Identifier the user typed'),
  c('home_tenant_id', 'VARCHAR', 'Home tenant ID', 'identity', 'Tenant the identity belongs to'),
  c('home_tenant_name', 'VARCHAR', 'Home tenant name', 'identity', 'Name of the home tenant'),
  c('app_display_name', 'VARCHAR', 'Application', 'application', 'Client application name'),
  c('app_id', 'VARCHAR', 'Application ID', 'application', 'Client application id'),
  c('app_owner_tenant_id', 'VARCHAR', 'App owner tenant ID', 'application', 'Tenant that owns the client app'),
  c('resource_display_name', 'VARCHAR', 'Resource', 'application', 'Resource signed in to'),
  c('resource_id', 'VARCHAR', 'Resource ID', 'application', 'Resource application id'),
  c('resource_tenant_id', 'VARCHAR', 'Resource tenant ID', 'application', 'Tenant of the resource'),
  c('resource_owner_tenant_id', 'VARCHAR', 'Resource owner tenant ID', 'application', 'Tenant that owns the resource'),
  c('ip_address', 'VARCHAR', 'IP address', 'network', 'Client IP address'),
  c('ip_address_from_resource', 'VARCHAR', 'IP address (seen by resource)', 'network', 'IP address the resource provider saw'),
  c('autonomous_system_number', 'BIGINT', 'ASN', 'network', 'Autonomous system number of the IP'),
  c('city', 'VARCHAR', 'City', 'network', 'City from the log'),
  c('state', 'VARCHAR', 'State', 'network', 'State or region from the log'),
  c('country', 'VARCHAR', 'Country', 'network', 'Country, ISO 3166-1 alpha-2 where the source has it'),
  c('latitude', 'DOUBLE', 'Latitude', 'network', 'Latitude from the log (validated range)'),
  c('longitude', 'DOUBLE', 'Longitude', 'network', 'Longitude from the log (validated range)'),
  c('through_global_secure_access', 'BOOLEAN', 'Through Global Secure Access', 'network', 'Whether the request came through GSA'),
  c('global_secure_access_ip', 'VARCHAR', 'Global Secure Access IP', 'network', 'GSA egress address'),
  c('status', 'VARCHAR', 'Status', 'basic', 'success | failure | interrupted'),
  c('error_code', 'INTEGER', 'Sign-in error code', 'basic', 'AADSTS error code, 0 for success'),
  c('failure_reason', 'VARCHAR', 'Failure reason', 'basic', 'Failure reason text from the log'),
  c('additional_details', 'VARCHAR', 'Additional details', 'basic', 'Status additional details'),
  c('client_app', 'VARCHAR', 'Client app', 'authentication', 'Client app used (Browser, Exchange ActiveSync, IMAP4, ...)'),
  c('user_agent', 'VARCHAR', 'User agent', 'device', 'User agent string (untrusted text)'),
  c('device_id', 'VARCHAR', 'Device ID', 'device', 'Device object id'),
  c('device_name', 'VARCHAR', 'Device name', 'device', 'Device display name'),
  c('operating_system', 'VARCHAR', 'Operating system', 'device', 'Operating system'),
  c('browser', 'VARCHAR', 'Browser', 'device', 'Browser'),
  c('is_compliant', 'BOOLEAN', 'Compliant', 'device', 'Device compliant'),
  c('is_managed', 'BOOLEAN', 'Managed', 'device', 'Device managed'),
  c('trust_type', 'VARCHAR', 'Join type', 'device', 'Device trust / join type'),
  c('authentication_protocol', 'VARCHAR', 'Authentication protocol', 'authentication', 'oAuth2, ropc, deviceCode, saml20, ...'),
  c('authentication_requirement', 'VARCHAR', 'Authentication requirement', 'authentication', 'singleFactorAuthentication | multiFactorAuthentication'),
  c('mfa_result', 'VARCHAR', 'MFA result', 'authentication', 'Multifactor authentication result'),
  c('mfa_method', 'VARCHAR', 'MFA method', 'authentication', 'Multifactor authentication method'),
  c('mfa_detail', 'VARCHAR', 'MFA detail', 'authentication', 'Multifactor authentication detail'),
  c('conditional_access_status', 'VARCHAR', 'Conditional Access', 'authentication', 'success | failure | notApplied'),
  c('applied_ca_policies', 'JSON', 'Conditional Access policies', 'authentication', 'Applied Conditional Access policies (JSON array)'),
  c('authentication_details', 'JSON', 'Authentication details', 'authentication', 'Authentication steps (JSON array)'),
  c('cross_tenant_access_type', 'VARCHAR', 'Cross tenant access type', 'authentication', 'none, b2bCollaboration, passthrough, ...'),
  c('incoming_token_type', 'VARCHAR', 'Incoming token type', 'authentication', 'none, primaryRefreshToken, refreshToken, ...'),
  c('original_transfer_method', 'VARCHAR', 'Original transfer method', 'authentication', 'none, deviceCodeFlow, authenticationTransfer'),
  c('client_credential_type', 'VARCHAR', 'Client credential type', 'serviceprincipal', 'clientSecret, certificate, managedIdentity, ...'),
  c('token_issuer_type', 'VARCHAR', 'Token issuer type', 'authentication', 'AzureAD, ADFederationServices, ...'),
  c('token_issuer_name', 'VARCHAR', 'Token issuer name', 'authentication', 'Token issuer name'),
  c('token_protection_status', 'VARCHAR', 'Token protection', 'authentication', 'Token protection (sign-in session) status'),
  c('session_id', 'VARCHAR', 'Session ID', 'authentication', 'Session id'),
  c('unique_token_identifier', 'VARCHAR', 'Unique token identifier', 'authentication', 'Unique token identifier (joins Graph activity)'),
  c('is_interactive', 'BOOLEAN', 'Is interactive', 'authentication', 'The record’s own interactive flag'),
  c('flagged_for_review', 'BOOLEAN', 'Flagged for review', 'risk', 'Flagged for review'),
  c('risk_level_aggregated', 'VARCHAR', 'Risk level (aggregated)', 'risk', 'Aggregated risk level'),
  c('risk_level_during_sign_in', 'VARCHAR', 'Risk level (sign-in)', 'risk', 'Risk level during sign-in'),
  c('risk_state', 'VARCHAR', 'Risk state', 'risk', 'Risk state'),
  c('risk_detail', 'VARCHAR', 'Risk detail', 'risk', 'Risk detail'),
  c('risk_event_types', 'VARCHAR', 'Risk event types', 'risk', 'Risk event types (comma separated)'),
  c('service_principal_id', 'VARCHAR', 'Service principal ID', 'serviceprincipal', 'Service principal object id'),
  c('service_principal_name', 'VARCHAR', 'Service principal name', 'serviceprincipal', 'Service principal name'),
  c('credential_key_id', 'VARCHAR', 'Credential key ID', 'serviceprincipal', 'Service principal credential key id'),
  c('credential_thumbprint', 'VARCHAR', 'Credential thumbprint', 'serviceprincipal', 'Service principal credential thumbprint'),
  c('managed_identity_type', 'VARCHAR', 'Managed identity type', 'serviceprincipal', 'Managed identity type'),
  c('associated_resource_id', 'VARCHAR', 'Associated resource ID', 'serviceprincipal', 'Azure resource of the managed identity'),
  c('federated_token_id', 'VARCHAR', 'Federated token ID', 'serviceprincipal', 'Federated token id'),
  c('federated_token_issuer', 'VARCHAR', 'Federated token issuer', 'serviceprincipal', 'Federated token issuer'),
  c('latency_ms', 'BIGINT', 'Latency (ms)', 'basic', 'Processing time in milliseconds'),
  // Fields that have no older column of their own: kept so that no source field is lost.
  // Everything else a source carries without a column is in `extra`.
  c('original_request_id', 'VARCHAR', 'Original request ID', 'authentication', 'Request id of the original sign-in this one continues'),
  c('is_tenant_restricted', 'BOOLEAN', 'Tenant restricted', 'authentication', 'Whether tenant restrictions applied to the sign-in'),
  c('resource_service_principal_id', 'VARCHAR', 'Resource service principal ID', 'application', 'Service principal object id of the resource'),
  c('alternate_sign_in_name', 'VARCHAR', 'Alternate sign-in name', 'identity', 'Alternate sign-in name (e.g. a phone number or email used instead of the UPN)'),
  c('user_administrative_units', 'JSON', 'Administrative units', 'identity', 'Administrative units of the user (JSON)'),
  c('agent', 'JSON', 'Agent', 'application', 'Agent details of the sign-in (JSON: agentType, parentAppId)'),
  c('network_location_details', 'JSON', 'Network location details', 'network', 'Named network locations that matched (JSON array)'),
  c('authentication_processing_details', 'JSON', 'Authentication processing details', 'authentication', 'Authentication processing details (JSON array of key/value)'),
  c('authentication_requirement_policies', 'JSON', 'Authentication requirement policies', 'authentication', 'Policies that set the authentication requirement (JSON array)'),
  c('session_lifetime_policies', 'JSON', 'Session lifetime policies', 'authentication', 'Session lifetime policies applied (JSON array)'),
  c('conditional_access_audiences', 'JSON', 'Conditional Access audiences', 'authentication', 'Audiences Conditional Access evaluated (JSON array)'),
  c('token_protection_status_details', 'JSON', 'Token protection details', 'authentication', 'Token protection status details (JSON: signInSessionStatus, signInSessionStatusCode)'),
  c('graph_calls', 'INTEGER', 'Graph calls', 'authentication', 'Microsoft Graph requests made with this sign-in\'s token (graph_activity.sign_in_activity_id = unique_token_identifier)'),
  c('extra', 'JSON', 'Other fields', 'provenance', 'Every source field without a column of its own, keyed by the source field name (JSON object)'),
  c('source_file', 'VARCHAR', 'Source file', 'provenance', 'File the row was imported from'),
  c('source_record', 'BIGINT', 'Source record', 'provenance', '1-based line (CSV) or record (JSON) number in the source file'),
  c('source_shape', 'VARCHAR', 'Source shape', 'provenance', 'Detected export shape'),
  c('source_id', 'INTEGER', 'Source ID', 'provenance', 'Id of the source in the case (sources table, manifest)'),
  c('request_conflict', 'BOOLEAN', 'Conflicting copies', 'provenance', 'Another record with the same request id and log type differs from this one'),
  // Cross-shape identity (docs/schema.md, "One event, one row"): how many sign-ins a grouped
  // row stands for, and whether copies of the row in other files disagree on a value.
  c('sign_in_count', 'INTEGER', '# Sign-ins', 'basic', 'Sign-ins this row stands for (the portal groups non-interactive sign-ins); 1 for a single event'),
  c('copy_conflict', 'BOOLEAN', 'Copies disagree', 'provenance', 'Copies of this sign-in in other files or shapes disagree on a value (table row_conflicts)'),
  c('raw', 'JSON', 'Raw record', 'provenance', 'The original record as JSON where it is kept in the case (see docs/schema.md); the detail pane otherwise re-reads it from the evidence'),
];

/**
 * Bookkeeping columns of the sign-ins table that are not part of the analyst's vocabulary.
 * record_hash (a hash of every cell of the record) was read by the byte-level dedupe that
 * canonical identity replaced (docs/schema.md, "One event, one row"); nothing reads it, so
 * imports leave it NULL (hashing every cell of every record was a tenth of a CSV import's
 * CPU) and the column stays only so that cases written before keep their schema.
 */
export const INTERNAL_SIGNIN_COLUMNS: ReadonlyArray<{ name: string; type: string }> = [{ name: 'record_hash', type: 'UBIGINT' }];

export const CANONICAL_NAMES: ReadonlySet<string> = new Set(CANONICAL_COLUMNS.map((col) => col.name));

export function canonicalColumn(name: string): CanonicalColumn | undefined {
  return CANONICAL_COLUMNS.find((col) => col.name === name);
}

export const SIGNINS_TABLE = 'signins';

export function createSigninsTableSql(table: string = SIGNINS_TABLE): string {
  const cols = [...CANONICAL_COLUMNS, ...INTERNAL_SIGNIN_COLUMNS].map((col) => `"${col.name}" ${col.type}`).join(',\n  ');
  return `CREATE TABLE IF NOT EXISTS ${table} (\n  ${cols}\n)`;
}

/** Cases made before a column existed gain it when opened (empty for their existing rows). */
export function upgradeSigninsTableSql(table: string = SIGNINS_TABLE): string[] {
  return [...CANONICAL_COLUMNS, ...INTERNAL_SIGNIN_COLUMNS].map((col) => `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS "${col.name}" ${col.type}`);
}

/**
 * Columns whose type grew (32-bit integers that real values exceed: ASNs and processing times
 * above 2^31): the type they had before, so a case made then is widened when opened.
 */
export const WIDENED_SIGNIN_COLUMNS: ReadonlyArray<{ name: string; from: string; to: ColumnType }> = [
  { name: 'autonomous_system_number', from: 'INTEGER', to: 'BIGINT' },
  { name: 'latency_ms', from: 'INTEGER', to: 'BIGINT' },
];

/**
 * Columns whose values changed kind: a case made before reads them in the new type. Each
 * entry is the column, the type it had, and the conversion of an old value.
 */
export const RETYPED_COLUMNS: ReadonlyArray<{ name: string; was: string; type: ColumnType; using: string }> = [
  {
    name: 'through_global_secure_access',
    was: 'VARCHAR',
    type: 'BOOLEAN',
    using: `CASE lower(trim(through_global_secure_access)) WHEN 'true' THEN true WHEN 'yes' THEN true WHEN 'false' THEN false WHEN 'no' THEN false END`,
  },
];
