import { z } from 'zod';

/**
 * Timeline Explorer's group-by over the filtered sign-ins: one or two columns, a count per
 * group with its failures and first/last time, sorted and paged in DuckDB. Only columns
 * an analyst groups by reach the SQL (an allow-list within the canonical one); free text
 * (user agents, reasons) stays a parameter or a quoted identifier, never SQL text.
 */
export const GROUP_COLUMNS = [
  'user_principal_name',
  'user_display_name',
  'user_id',
  'user_type',
  'ip_address',
  'autonomous_system_number',
  'country',
  'state',
  'city',
  'app_display_name',
  'app_id',
  'resource_display_name',
  'status',
  'error_code',
  'failure_reason',
  'client_app',
  'log_type',
  'operating_system',
  'browser',
  'user_agent',
  'device_id',
  'device_name',
  'trust_type',
  'is_compliant',
  'is_managed',
  'conditional_access_status',
  'authentication_requirement',
  'authentication_protocol',
  'mfa_method',
  'mfa_result',
  'risk_level_during_sign_in',
  'risk_level_aggregated',
  'risk_state',
  'cross_tenant_access_type',
  'incoming_token_type',
  'token_issuer_type',
  'service_principal_name',
  'managed_identity_type',
  'home_tenant_name',
  'session_id',
  'correlation_id',
  'source_file',
] as const;

export const groupColumn = z.enum(GROUP_COLUMNS);
export type GroupColumn = (typeof GROUP_COLUMNS)[number];
export const groupSortKey = z.enum(['rows', 'failures', 'first', 'last', 'key0', 'key1']);

export const groupQuery = z.object({
  by: z.array(groupColumn).min(1).max(2),
  sort: z.object({ key: groupSortKey, dir: z.enum(['asc', 'desc']) }).default({ key: 'rows', dir: 'desc' }),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(500),
});

export const groupRow = z.object({
  /** The group's value of each grouped column as text (what a values filter matches); null for a missing value. */
  keys: z.array(z.string().nullable()),
  rows: z.number(),
  failures: z.number(),
  firstUtc: z.string().nullable(),
  lastUtc: z.string().nullable(),
});

export const groupResult = z.object({
  groups: z.array(groupRow),
  /** Groups under the filter, of which `groups` is one page. */
  totalGroups: z.number(),
  /** Rows under the filter (the sum over every group). */
  totalRows: z.number(),
});

export type GroupQuery = z.input<typeof groupQuery>;
export type GroupResult = z.infer<typeof groupResult>;

