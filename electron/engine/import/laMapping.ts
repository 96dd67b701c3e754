import type { SigninMapping } from './mapping';
import { logTypeCase } from './mapping';

/**
 * Log Analytics / Sentinel exports of SigninLogs, AADNonInteractiveUserSignInLogs,
 * AADServicePrincipalSignInLogs and AADManagedIdentitySignInLogs, CSV or JSON.
 * `col(name)` gives the text of a column (already coalescing `X_dynamic`/`X_string` twins),
 * or NULL when the export lacks it. JSON-bearing columns are read with JSON paths whether
 * they arrived as objects or as JSON text.
 */
export function laMapping(col: (name: string) => string, hintLogType: string | null, dateOrder?: 'mdy' | 'dmy'): SigninMapping {
  const ts = dateOrder === 'dmy' ? 'signet_ts_dmy' : 'signet_ts';
  const t = (name: string): string => `signet_txt(${col(name)})`;
  const sub = (name: string, path: string): string => `json_extract_string(${col(name)}, '${path}')`;
  const loc = (p: string): string => sub('LocationDetails', p);
  const code = `coalesce(signet_int(${col('ResultType')}), signet_int(${sub('Status', '$.errorCode')}))`;
  const lat = loc('$.geoCoordinates.latitude');
  const lon = loc('$.geoCoordinates.longitude');
  const table = `coalesce(signet_txt(${col('Category')}), signet_txt(${col('Type')}))`;
  const types = col('SignInEventTypes');
  const eventType = `lower(coalesce(CASE WHEN json_valid(${types}) AND json_type(${types}) = 'ARRAY' THEN ${types}->>'$[0]' END, signet_txt(${types})))`;
  const user = `coalesce(signet_txt(${col('UserId')}), signet_txt(${col('UserPrincipalName')})) IS NOT NULL`;
  return {
    // CreatedDateTime is when the sign-in began; SP/MI tables only have TimeGenerated.
    // A present but unreadable CreatedDateTime rejects the row rather than falling back silently.
    time_utc: `CASE WHEN signet_txt(${col('CreatedDateTime')}) IS NOT NULL THEN ${ts}(${col('CreatedDateTime')}) ELSE ${ts}(${col('TimeGenerated')}) END`,
    // Rows of another table (union queries) have a Category/Type that is not a sign-in log:
    // log_type stays NULL and the row is rejected with that reason. Without either column
    // (a KQL project) the row's SignInEventTypes, else its IsInteractive flag decides; the file
    // name or the user's choice only where the row says nothing (docs/schema.md, "Log type").
    log_type: `CASE WHEN ${table} IS NOT NULL THEN ${logTypeCase(table)}
      WHEN ${eventType} = 'interactiveuser' THEN 'interactive'
      WHEN ${eventType} = 'noninteractiveuser' THEN 'noninteractive'
      WHEN ${eventType} = 'serviceprincipal' THEN 'serviceprincipal'
      WHEN ${eventType} = 'managedidentity' THEN 'managedidentity'
      WHEN ${user} AND signet_bool(${col('IsInteractive')}) THEN 'interactive'
      WHEN ${user} AND NOT signet_bool(${col('IsInteractive')}) THEN 'noninteractive'
      ${hintLogType ? `ELSE '${hintLogType}'` : ''} END`,
    request_id: t('Id'),
    correlation_id: t('CorrelationId'),
    user_display_name: t('UserDisplayName'),
    user_principal_name: t('UserPrincipalName'),
    user_id: t('UserId'),
    user_type: t('UserType'),
    sign_in_identifier: t('SignInIdentifier'),
    home_tenant_id: t('HomeTenantId'),
    home_tenant_name: t('HomeTenantName'),
    app_display_name: t('AppDisplayName'),
    app_id: t('AppId'),
    app_owner_tenant_id: t('AppOwnerTenantId'),
    resource_display_name: t('ResourceDisplayName'),
    // In SigninLogs `ResourceId` is an ARM path; the resource's app id is ResourceIdentity.
    resource_id: t('ResourceIdentity'),
    resource_tenant_id: t('ResourceTenantId'),
    resource_owner_tenant_id: t('ResourceOwnerTenantId'),
    ip_address: t('IPAddress'),
    ip_address_from_resource: t('IPAddressFromResourceProvider'),
    autonomous_system_number: `signet_bigint(${col('AutonomousSystemNumber')})`,
    city: `signet_txt(${loc('$.city')})`,
    state: `signet_txt(${loc('$.state')})`,
    country: `coalesce(signet_cc(${loc('$.countryOrRegion')}), signet_cc(${col('Location')}))`,
    latitude: `signet_lat(${lat}, ${lon})`,
    longitude: `signet_lon(${lat}, ${lon})`,
    through_global_secure_access: `signet_bool(${col('IsThroughGlobalSecureAccess')})`,
    global_secure_access_ip: t('GlobalSecureAccessIpAddress'),
    status: `signet_status(NULL, ${code})`,
    error_code: code,
    failure_reason: `CASE WHEN ${code} = 0 THEN NULL ELSE coalesce(signet_txt(${sub('Status', '$.failureReason')}), ${t('ResultDescription')}) END`,
    additional_details: `signet_txt(${sub('Status', '$.additionalDetails')})`,
    client_app: t('ClientAppUsed'),
    user_agent: t('UserAgent'),
    device_id: `signet_txt(${sub('DeviceDetail', '$.deviceId')})`,
    device_name: `signet_txt(${sub('DeviceDetail', '$.displayName')})`,
    operating_system: `signet_txt(${sub('DeviceDetail', '$.operatingSystem')})`,
    browser: `signet_txt(${sub('DeviceDetail', '$.browser')})`,
    is_compliant: `signet_bool(${sub('DeviceDetail', '$.isCompliant')})`,
    is_managed: `signet_bool(${sub('DeviceDetail', '$.isManaged')})`,
    trust_type: `signet_txt(${sub('DeviceDetail', '$.trustType')})`,
    authentication_protocol: t('AuthenticationProtocol'),
    authentication_requirement: t('AuthenticationRequirement'),
    mfa_method: `signet_txt(${sub('MfaDetail', '$.authMethod')})`,
    mfa_detail: `signet_txt(${sub('MfaDetail', '$.authDetail')})`,
    conditional_access_status: t('ConditionalAccessStatus'),
    applied_ca_policies: `signet_json(coalesce(${t('ConditionalAccessPolicies')}, ${t('AppliedConditionalAccessPolicies')}))`,
    authentication_details: `signet_json(${col('AuthenticationDetails')})`,
    cross_tenant_access_type: t('CrossTenantAccessType'),
    incoming_token_type: t('IncomingTokenType'),
    original_transfer_method: t('OriginalTransferMethod'),
    client_credential_type: t('ClientCredentialType'),
    token_issuer_type: t('TokenIssuerType'),
    token_issuer_name: t('TokenIssuerName'),
    token_protection_status: t('SignInTokenProtectionStatus'),
    session_id: t('SessionId'),
    unique_token_identifier: t('UniqueTokenIdentifier'),
    is_interactive: `signet_bool(${col('IsInteractive')})`,
    flagged_for_review: `signet_bool(${col('FlaggedForReview')})`,
    risk_level_aggregated: t('RiskLevelAggregated'),
    risk_level_during_sign_in: t('RiskLevelDuringSignIn'),
    risk_state: t('RiskState'),
    risk_detail: t('RiskDetail'),
    risk_event_types: `coalesce(signet_joined(${col('RiskEventTypes_V2')}), signet_joined(${col('RiskEventTypes')}))`,
    service_principal_id: `nullif(${t('ServicePrincipalId')}, '00000000-0000-0000-0000-000000000000')`,
    service_principal_name: t('ServicePrincipalName'),
    credential_key_id: t('ServicePrincipalCredentialKeyId'),
    credential_thumbprint: t('ServicePrincipalCredentialThumbprint'),
    federated_token_id: t('FederatedCredentialId'),
    latency_ms: `coalesce(signet_bigint(${col('ProcessingTimeInMilliseconds')}), signet_bigint(${col('ProcessingTimeInMs')}))`,
    original_request_id: t('OriginalRequestId'),
    is_tenant_restricted: `signet_bool(${col('IsTenantRestricted')})`,
    resource_service_principal_id: t('ResourceServicePrincipalId'),
    alternate_sign_in_name: t('AlternateSignInName'),
    user_administrative_units: `signet_json_text(${col('UserAdministrativeUnits')})`,
    agent: `signet_json_text(${col('Agent')})`,
    network_location_details: `signet_json_text(${col('NetworkLocationDetails')})`,
    authentication_processing_details: `signet_json_text(${col('AuthenticationProcessingDetails')})`,
    authentication_requirement_policies: `signet_json_text(${col('AuthenticationRequirementPolicies')})`,
    session_lifetime_policies: `signet_json_text(${col('SessionLifetimePolicies')})`,
    conditional_access_audiences: `signet_json_text(${col('ConditionalAccessAudiences')})`,
    token_protection_status_details: `signet_json_text(${col('TokenProtectionStatusDetails')})`,
  };
}

/**
 * Columns the mapping reads only when another is missing (or only to decide the log type
 * beside Category, as SignInEventTypes does): not the source of a column's value, so their
 * own values stay in `extra` (`extra->>'SignInEventTypes'`), as Graph's `signInEventTypes` does.
 */
export const LA_FALLBACK_COLUMNS = ['TimeGenerated', 'ResultDescription', 'Location', 'ProcessingTimeInMs', 'RiskEventTypes', 'AppliedConditionalAccessPolicies', 'Type', 'SignInEventTypes'];

/** Columns whose type changed over time arrive as `X_dynamic` and `X_string` twins. */
export const TWIN_COLUMNS = ['ConditionalAccessPolicies', 'DeviceDetail', 'LocationDetails', 'MfaDetail', 'Status', 'AuthenticationDetails', 'NetworkLocationDetails'];

/** LA columns that say this is a sign-in table (as opposed to a query result or another table). */
export function looksLikeLaSignins(has: (n: string) => boolean): boolean {
  const hasId = has('id') || has('correlationid') || has('uniquetokenidentifier');
  const hasWho = has('userprincipalname') || has('appid') || has('serviceprincipalid') || has('userid');
  const hasOutcome = has('resulttype') || has('status') || has('status_dynamic') || has('status_string');
  return hasId && hasWho && hasOutcome;
}

export function looksLikeGraphActivity(has: (n: string) => boolean): boolean {
  return has('signinactivityid') && (has('requesturi') || has('requestmethod'));
}
