/**
 * MicrosoftGraphActivityLogs rows (Event Hub records, Log Analytics CSV or JSON) into
 * graph_activity. `f(name)` gives the text of a field by its camelCase name.
 */
export const GRAPH_ACTIVITY_COLUMNS = [
  'time_utc', 'request_id', 'sign_in_activity_id', 'tenant_id', 'user_id', 'app_id', 'service_principal_id', 'ip_address',
  'user_agent', 'request_method', 'request_uri', 'response_status_code', 'response_size_bytes', 'duration_ms', 'api_version',
  'client_request_id', 'operation_id', 'roles', 'scopes', 'wids', 'token_issued_at_utc', 'location',
];

export function graphActivitySelect(f: (camel: string) => string): string {
  const t = (n: string): string => `signet_txt(${f(n)})`;
  const exprs: Record<string, string> = {
    time_utc: `signet_ts(${f('timeGenerated')})`,
    request_id: t('requestId'),
    sign_in_activity_id: t('signInActivityId'),
    tenant_id: t('tenantId'),
    user_id: `coalesce(${t('userId')}, ${t('UserPrincipalObjectID')})`,
    app_id: t('appId'),
    service_principal_id: t('servicePrincipalId'),
    ip_address: t('ipAddress'),
    user_agent: t('userAgent'),
    request_method: t('requestMethod'),
    request_uri: t('requestUri'),
    response_status_code: `signet_int(${f('responseStatusCode')})`,
    response_size_bytes: `signet_bigint(${f('responseSizeBytes')})`,
    duration_ms: `signet_bigint(${f('durationMs')})`,
    api_version: t('apiVersion'),
    client_request_id: t('clientRequestId'),
    operation_id: t('operationId'),
    roles: t('roles'),
    scopes: t('scopes'),
    wids: t('wids'),
    token_issued_at_utc: `signet_ts(${f('tokenIssuedAt')})`,
    location: t('location'),
  };
  return GRAPH_ACTIVITY_COLUMNS.map((c) => `${exprs[c]} AS "${c}"`).join(', ');
}
