import type { FindingSummaryDto } from '../../electron/api/methods/findings';

export const KIND_LABELS: Record<FindingSummaryDto['kind'], string> = {
  password_spray: 'Password spray',
  brute_force: 'Brute force',
  mfa_fatigue: 'MFA fatigue',
  impossible_travel: 'Impossible travel',
  token_reuse: 'Token reuse',
  legacy_auth: 'Legacy authentication',
  device_code: 'Device code flow',
  passthrough: 'Cross-tenant access',
  ca_failure_burst: 'Conditional Access burst',
  new_country: 'New country',
  risky_signin: 'Risky sign-in',
  interactive_mismatch: 'Interactive flag mismatch',
};

export const SEVERITY_ORDER: FindingSummaryDto['severity'][] = ['high', 'medium', 'low', 'info'];
