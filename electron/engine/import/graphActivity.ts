import type { DuckDBConnection } from '@duckdb/node-api';

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


/**
 * Number the Graph activity rows a load just added (row_id NULL), after every row already
 * there, in file order: a view pages them by row_id and links to them by it.
 */
export async function numberGraphActivity(con: DuckDBConnection): Promise<void> {
  await con.run(
    `UPDATE graph_activity SET row_id = n.id FROM (
       SELECT rowid AS r, (SELECT coalesce(max(row_id), 0) FROM graph_activity) + row_number() OVER (ORDER BY source_id, source_record, rowid) AS id
       FROM graph_activity WHERE row_id IS NULL) n
     WHERE graph_activity.rowid = n.r`,
  );
}

/**
 * Count each sign-in's Graph requests (the documented join: a sign-in's unique token
 * identifier is the activity's SignInActivityId), so the sign-in grid can show, sort and
 * filter them. Run after every import, whichever came first; only changed counts are written.
 */
export async function linkGraphCalls(con: DuckDBConnection): Promise<void> {
  await con.run(
    `UPDATE signins SET graph_calls = g.n FROM (
       SELECT sign_in_activity_id AS uti, count(*)::INTEGER AS n FROM graph_activity WHERE sign_in_activity_id IS NOT NULL GROUP BY 1) g
     WHERE signins.unique_token_identifier = g.uti AND signins.graph_calls IS DISTINCT FROM g.n`,
  );
}
