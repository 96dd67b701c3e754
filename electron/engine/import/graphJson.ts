import type { SigninMapping } from './mapping';
import { logTypeCase } from './mapping';
import type { PathList } from './jsonPaths';

/**
 * Fields the mapping reads that are not the source of a column's value (the log type's
 * evidence, a fallback behind riskEventTypes_v2): they stay in `extra` (any letter case).
 */
export const GRAPH_FALLBACK_FIELDS = ['signInEventTypes', 'riskEventTypes'];

/** How a JSON record names its fields. */
export type JsonDialect = 'graph' | 'graph-pascal' | 'eventhub' | 'la';

/**
 * Graph signIn objects (v1.0 / beta, camelCase), the PowerShell SDK's PascalCase rendering
 * of the same objects, and diagnostic-settings records whose sign-in sits under `properties`.
 */
export function graphMapping(paths: PathList, dialect: 'graph' | 'graph-pascal' | 'eventhub', hintLogType: string | null): SigninMapping {
  const pascal = dialect === 'graph-pascal';
  const path = (segs: string[]): string[] => {
    const s = pascal ? segs.map((x) => x[0]!.toUpperCase() + x.slice(1)) : segs;
    return dialect === 'eventhub' ? ['properties', ...s] : s;
  };
  const f = (...segs: string[]): string => paths.get(...path(segs));
  const json = (...segs: string[]): string => `signet_json_value(${paths.json(...path(segs))})`;
  const t = (...segs: string[]): string => `signet_txt(${f(...segs)})`;
  const kept = (...segs: string[]): string => `signet_json_keep(${paths.json(...path(segs))})`;
  const riskTypes = pascal ? f('riskEventTypesV2') : f('riskEventTypes_v2');
  const code = `signet_int(${f('status', 'errorCode')})`;
  const lat = f('location', 'geoCoordinates', 'latitude');
  const lon = f('location', 'geoCoordinates', 'longitude');
  const eventType = `lower(json_extract_string(${f('signInEventTypes')}, '$[0]'))`;
  const fromRecord = `CASE
      WHEN ${eventType} = 'interactiveuser' THEN 'interactive'
      WHEN ${eventType} = 'noninteractiveuser' THEN 'noninteractive'
      WHEN ${eventType} = 'serviceprincipal' THEN 'serviceprincipal'
      WHEN ${eventType} = 'managedidentity' THEN 'managedidentity'
      WHEN signet_txt(${f('managedServiceIdentity', 'msiType')}) IS NOT NULL AND lower(${f('managedServiceIdentity', 'msiType')}) <> 'none' AND signet_txt(${f('userId')}) IS NULL THEN 'managedidentity'
      WHEN signet_txt(${f('servicePrincipalId')}) IS NOT NULL AND signet_txt(${f('userId')}) IS NULL THEN 'serviceprincipal'
      WHEN signet_bool(${f('isInteractive')}) = false THEN 'noninteractive'
      ${hintLogType ? `ELSE '${hintLogType}'` : "ELSE 'interactive'"}
    END`;
  const logType = dialect === 'eventhub' ? logTypeCase(paths.get('category')) : fromRecord;
  return {
    time_utc: `signet_ts(${f('createdDateTime')})`,
    log_type: logType,
    request_id: t('id'),
    correlation_id: t('correlationId'),
    user_display_name: t('userDisplayName'),
    user_principal_name: t('userPrincipalName'),
    user_id: t('userId'),
    user_type: t('userType'),
    sign_in_identifier: t('signInIdentifier'),
    home_tenant_id: t('homeTenantId'),
    home_tenant_name: t('homeTenantName'),
    app_display_name: t('appDisplayName'),
    app_id: t('appId'),
    app_owner_tenant_id: t('appOwnerTenantId'),
    resource_display_name: t('resourceDisplayName'),
    resource_id: t('resourceId'),
    resource_tenant_id: t('resourceTenantId'),
    resource_owner_tenant_id: t('resourceOwnerTenantId'),
    ip_address: t('ipAddress'),
    ip_address_from_resource: t('ipAddressFromResourceProvider'),
    autonomous_system_number: `signet_bigint(${f('autonomousSystemNumber')})`,
    city: t('location', 'city'),
    state: t('location', 'state'),
    country: `signet_cc(${f('location', 'countryOrRegion')})`,
    latitude: `signet_lat(${lat}, ${lon})`,
    longitude: `signet_lon(${lat}, ${lon})`,
    through_global_secure_access: `signet_bool(${f('isThroughGlobalSecureAccess')})`,
    global_secure_access_ip: t('globalSecureAccessIpAddress'),
    status: `signet_status(NULL, ${code})`,
    error_code: code,
    // A success has no failure reason; Graph's placeholder ("Other.") stays in the record.
    failure_reason: `CASE WHEN ${code} = 0 THEN NULL ELSE ${t('status', 'failureReason')} END`,
    additional_details: t('status', 'additionalDetails'),
    client_app: t('clientAppUsed'),
    user_agent: t('userAgent'),
    device_id: t('deviceDetail', 'deviceId'),
    device_name: t('deviceDetail', 'displayName'),
    operating_system: t('deviceDetail', 'operatingSystem'),
    browser: t('deviceDetail', 'browser'),
    is_compliant: `signet_bool(${f('deviceDetail', 'isCompliant')})`,
    is_managed: `signet_bool(${f('deviceDetail', 'isManaged')})`,
    trust_type: t('deviceDetail', 'trustType'),
    authentication_protocol: t('authenticationProtocol'),
    authentication_requirement: t('authenticationRequirement'),
    mfa_method: t('mfaDetail', 'authMethod'),
    mfa_detail: t('mfaDetail', 'authDetail'),
    conditional_access_status: t('conditionalAccessStatus'),
    applied_ca_policies: json('appliedConditionalAccessPolicies'),
    authentication_details: json('authenticationDetails'),
    cross_tenant_access_type: t('crossTenantAccessType'),
    incoming_token_type: t('incomingTokenType'),
    original_transfer_method: t('originalTransferMethod'),
    client_credential_type: t('clientCredentialType'),
    token_issuer_type: t('tokenIssuerType'),
    token_issuer_name: t('tokenIssuerName'),
    token_protection_status: t('signInTokenProtectionStatus'),
    session_id: t('sessionId'),
    unique_token_identifier: t('uniqueTokenIdentifier'),
    is_interactive: `signet_bool(${f('isInteractive')})`,
    flagged_for_review: `signet_bool(${f('flaggedForReview')})`,
    risk_level_aggregated: t('riskLevelAggregated'),
    risk_level_during_sign_in: t('riskLevelDuringSignIn'),
    risk_state: t('riskState'),
    risk_detail: t('riskDetail'),
    risk_event_types: `coalesce(signet_joined(${riskTypes}), signet_joined(${f('riskEventTypes')}))`,
    // Graph writes the all-zero id on user sign-ins: no service principal.
    service_principal_id: `nullif(${t('servicePrincipalId')}, '00000000-0000-0000-0000-000000000000')`,
    service_principal_name: t('servicePrincipalName'),
    credential_key_id: t('servicePrincipalCredentialKeyId'),
    credential_thumbprint: t('servicePrincipalCredentialThumbprint'),
    managed_identity_type: t('managedServiceIdentity', 'msiType'),
    associated_resource_id: t('managedServiceIdentity', 'associatedResourceId'),
    federated_token_id: t('managedServiceIdentity', 'federatedTokenId'),
    federated_token_issuer: t('managedServiceIdentity', 'federatedTokenIssuer'),
    latency_ms: `signet_bigint(${f('processingTimeInMilliseconds')})`,
    original_request_id: t('originalRequestId'),
    is_tenant_restricted: `signet_bool(${f('isTenantRestricted')})`,
    resource_service_principal_id: t('resourceServicePrincipalId'),
    alternate_sign_in_name: t('alternateSignInName'),
    user_administrative_units: kept('userAdministrativeUnits'),
    agent: kept('agent'),
    network_location_details: kept('networkLocationDetails'),
    authentication_processing_details: kept('authenticationProcessingDetails'),
    authentication_requirement_policies: kept('authenticationRequirementPolicies'),
    session_lifetime_policies: kept('sessionLifetimePolicies'),
    conditional_access_audiences: kept('conditionalAccessAudiences'),
    token_protection_status_details: kept('tokenProtectionStatusDetails'),
  };
}
