import type { ColumnLayout } from '../../electron/api/methods/annotations';

export interface ColumnInfo {
  name: string;
  label: string;
  type: string;
  group: string;
  description: string;
  empty: boolean;
}

export interface ColumnPreset {
  id: string;
  label: string;
  columns: (all: ColumnInfo[]) => string[];
}

const fixed = (...names: string[]) => () => names;

/** Columns every page carries whatever is visible: pivots and the detail pane need them. */
export const ALWAYS_FETCHED = ['row_id', 'time_utc', 'ip_address', 'user_principal_name', 'session_id', 'correlation_id'];

/** Column sets a responder switches between; "portal" mirrors the Entra blade's defaults. */
export const PRESETS: ColumnPreset[] = [
  {
    id: 'portal',
    label: 'Portal default',
    // The UPN beside the display name: two users can share a name, never a UPN.
    columns: fixed('time_utc', 'request_id', 'user_display_name', 'user_principal_name', 'app_display_name', 'status', 'error_code', 'ip_address', 'city', 'country', 'conditional_access_status', 'graph_calls'),
  },
  {
    id: 'identity',
    label: 'Identity',
    columns: fixed('time_utc', 'user_display_name', 'user_principal_name', 'user_id', 'user_type', 'sign_in_identifier', 'home_tenant_id', 'home_tenant_name', 'cross_tenant_access_type', 'app_display_name', 'status', 'error_code'),
  },
  {
    id: 'network',
    label: 'Network and location',
    columns: fixed('time_utc', 'user_principal_name', 'ip_address', 'ip_address_from_resource', 'autonomous_system_number', 'city', 'state', 'country', 'latitude', 'longitude', 'through_global_secure_access', 'global_secure_access_ip', 'status', 'error_code'),
  },
  {
    id: 'device',
    label: 'Device',
    columns: fixed('time_utc', 'user_principal_name', 'device_name', 'device_id', 'operating_system', 'browser', 'user_agent', 'is_compliant', 'is_managed', 'trust_type', 'client_app', 'status'),
  },
  {
    id: 'auth',
    label: 'Authentication and Conditional Access',
    columns: fixed('time_utc', 'user_principal_name', 'app_display_name', 'status', 'error_code', 'failure_reason', 'client_app', 'authentication_protocol', 'authentication_requirement', 'mfa_result', 'mfa_method', 'conditional_access_status', 'incoming_token_type', 'original_transfer_method', 'token_protection_status', 'session_id', 'unique_token_identifier'),
  },
  { id: 'all', label: 'All columns', columns: (all) => all.filter((c) => c.name !== 'raw').map((c) => c.name) },
];

export function presetLayout(presetId: string, all: ColumnInfo[]): ColumnLayout {
  const preset = PRESETS.find((p) => p.id === presetId) ?? PRESETS[0]!;
  const shown = preset.columns(all).filter((n) => all.some((c) => c.name === n));
  const rest = all.filter((c) => c.name !== 'raw' && !shown.includes(c.name)).map((c) => c.name);
  return {
    preset: preset.id,
    autoHideEmpty: true,
    columns: [...shown.map((name) => ({ name, pinned: name === 'time_utc' ? ('left' as const) : null })), ...rest.map((name) => ({ name, hidden: true }))],
  };
}

/** A stored layout may predate new columns: keep its order, append the unknown ones hidden. */
export function completeLayout(layout: ColumnLayout, all: ColumnInfo[]): ColumnLayout {
  const known = new Set(all.map((c) => c.name));
  const cols = layout.columns.filter((c) => known.has(c.name) && c.name !== 'raw');
  const have = new Set(cols.map((c) => c.name));
  for (const c of all) if (!have.has(c.name) && c.name !== 'raw') cols.push({ name: c.name, hidden: true });
  return { ...layout, columns: cols };
}
