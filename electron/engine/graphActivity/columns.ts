import type { CanonicalColumn, ColumnGroup, ColumnType } from '../schema/canonical';

// The Graph activity view's columns: the allow-list of identifiers of graph_activity that
// filters, sorts and pages may name (the raw record is shown only in the detail).

const c = (name: string, type: ColumnType, label: string, group: ColumnGroup, description: string): CanonicalColumn => ({ name, type, label, group, description });

export const GRAPH_ACTIVITY_TABLE = 'graph_activity';

export const GRAPH_VIEW_COLUMNS: readonly CanonicalColumn[] = [
  c('row_id', 'BIGINT', 'Row', 'provenance', 'Signet number of the Graph request in this case'),
  c('time_utc', 'TIMESTAMP', 'Date (UTC)', 'basic', 'When the request was logged (TimeGenerated)'),
  c('request_method', 'VARCHAR', 'Method', 'basic', 'HTTP method'),
  c('request_uri', 'VARCHAR', 'Request URI', 'basic', 'The Graph URL requested'),
  c('response_status_code', 'INTEGER', 'Status code', 'basic', 'HTTP status of the response'),
  c('user_id', 'VARCHAR', 'User ID', 'identity', 'User object id (delegated requests)'),
  c('app_id', 'VARCHAR', 'Application ID', 'application', 'Client application id'),
  c('service_principal_id', 'VARCHAR', 'Service principal ID', 'application', 'Service principal (app-only requests)'),
  c('ip_address', 'VARCHAR', 'IP address', 'network', 'Client IP address'),
  c('user_agent', 'VARCHAR', 'User agent', 'network', 'User agent string (untrusted text)'),
  c('sign_in_activity_id', 'VARCHAR', 'Sign-in activity ID', 'authentication', "The token's sign-in: equals the sign-in's unique token identifier"),
  c('request_id', 'VARCHAR', 'Request ID', 'basic', 'Graph request id'),
  c('client_request_id', 'VARCHAR', 'Client request ID', 'basic', 'Client-supplied request id'),
  c('operation_id', 'VARCHAR', 'Operation ID', 'basic', 'Operation id'),
  c('tenant_id', 'VARCHAR', 'Tenant ID', 'identity', 'Tenant of the request'),
  c('response_size_bytes', 'BIGINT', 'Response bytes', 'basic', 'Size of the response'),
  c('duration_ms', 'BIGINT', 'Duration (ms)', 'basic', 'Time the request took'),
  c('api_version', 'VARCHAR', 'API version', 'basic', 'v1.0 or beta'),
  c('roles', 'VARCHAR', 'Roles', 'authentication', 'Application roles in the token'),
  c('scopes', 'VARCHAR', 'Scopes', 'authentication', 'Delegated scopes in the token'),
  c('wids', 'VARCHAR', 'Directory roles', 'authentication', 'Directory role template ids in the token'),
  c('token_issued_at_utc', 'TIMESTAMP', 'Token issued', 'authentication', 'When the token was issued'),
  c('location', 'VARCHAR', 'Region', 'network', 'Region that served the request'),
  c('source_file', 'VARCHAR', 'Source file', 'provenance', 'File the request was imported from'),
  c('source_record', 'BIGINT', 'Source record', 'provenance', 'Line or record number in that file'),
];
