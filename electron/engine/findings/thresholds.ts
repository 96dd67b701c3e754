/**
 * Detection thresholds: every number a detector uses, with its default and where that
 * default comes from, so an analyst can see why a finding fired and tune it.
 */
export interface ThresholdSpec {
  key: string;
  label: string;
  default: number;
  min: number;
  max: number;
  integer: boolean;
  unit: string;
  source: string;
}

const spec = (key: string, label: string, def: number, min: number, max: number, unit: string, source: string, integer = true): ThresholdSpec => ({
  key,
  label,
  default: def,
  min,
  max,
  integer,
  unit,
  source,
});

export const THRESHOLDS: readonly ThresholdSpec[] = [
  spec('password_spray.min_users', 'Password spray: distinct accounts failing from one address', 5, 2, 10000, 'accounts', 'Microsoft Sentinel "Password spray attack against Azure AD application" (≥5 accounts / 20 min)'),
  spec('password_spray.window_minutes', 'Password spray: largest gap between attempts of one burst', 20, 1, 1440, 'minutes', 'Microsoft Sentinel password-spray rule (20-minute windows)'),
  spec('password_spray.max_success_ratio', 'Password spray: successful accounts per failing account above which the address is shared infrastructure', 1, 0, 100, 'ratio', 'Sentinel password-spray success-vs-failure guard (keeps office NAT with a few mistypes out)', false),
  spec('brute_force.min_failures', 'Brute force: failed passwords for one account in a burst', 10, 2, 100000, 'failures', 'Microsoft Sentinel "Brute force attack against Azure Portal" (≥10 failures, 20-minute session)'),
  spec('brute_force.window_minutes', 'Brute force: largest gap between failures of one burst', 20, 1, 1440, 'minutes', 'Microsoft Sentinel brute-force rule (20-minute session)'),
  spec('mfa_fatigue.min_denials', 'MFA fatigue: denied or unanswered MFA prompts in a burst', 7, 2, 10000, 'prompts', 'SigmaHQ azure_successful_mfa_fatigue_attack (≥7 failed prompts in 10 min, then success)'),
  spec('mfa_fatigue.window_minutes', 'MFA fatigue: largest gap between prompts of one burst', 10, 1, 1440, 'minutes', 'SigmaHQ MFA fatigue correlation (10 minutes)'),
  spec('impossible_travel.speed_kmh', 'Impossible travel: fastest believable speed', 900, 100, 20000, 'km/h', 'Airliner cruise speed; the same default as the map’s travel arcs'),
  spec('impossible_travel.min_distance_km', 'Impossible travel: shortest hop considered', 300, 0, 20000, 'km', 'Geolocation of one city’s addresses often lands in a neighbouring one; hops shorter than this never alarm'),
  spec('impossible_travel.shared_ip_min_users', 'Impossible travel: users succeeding from one address that make it shared egress', 10, 2, 100000, 'users', 'Office NAT and VPN egress place people where the gateway is (Microsoft’s own impossible-travel detection ignores locations used by many in the organisation)'),
  spec('token_reuse.window_minutes', 'Token reuse: largest gap for a session to jump between countries', 60, 1, 10080, 'minutes', 'Elastic "Entra ID session reuse" (same session from a different address shortly after sign-in); Splunk concurrent-sessions content'),
  spec('token_reuse.min_countries', 'Token reuse: countries one session or token identifier is used from', 2, 2, 50, 'countries', 'A session or token bound to one device does not change country within the window'),
  spec('ca_failure_burst.min_failures', 'Conditional Access burst: blocks for one user or app in a burst', 5, 2, 100000, 'blocks', 'Sentinel Conditional Access failure spike hunting queries (tuned for a tenant of a few hundred users)'),
  spec('ca_failure_burst.window_minutes', 'Conditional Access burst: largest gap between blocks of one burst', 30, 1, 1440, 'minutes', 'Sentinel Conditional Access failure spike hunting queries'),
  spec('new_country.learning_days', 'New country: days after a user’s first sign-in before new countries are reported', 7, 0, 365, 'days', 'Sentinel new-location rules learn over 14 days; shortened so a month-long export still has a baseline'),
  spec('risky_signin.min_level', 'Risky sign-in: lowest risk level reported (1 low, 2 medium, 3 high)', 2, 1, 3, 'level', 'SigmaHQ azure risky sign-in rules (medium and high)'),
  spec('passthrough.include_b2b', 'Cross-tenant: also report everyday B2B collaboration (1 yes, 0 no)', 0, 0, 1, 'flag', 'B2B guest access is routine; passthrough and support access are not (SigmaHQ cross-tenant rules)'),
];

export type Thresholds = Record<string, number>;

export function defaultThresholds(): Thresholds {
  return Object.fromEntries(THRESHOLDS.map((t) => [t.key, t.default]));
}

/** Validate one change; throws a message that names the key and the allowed range. */
export function checkThreshold(key: string, value: number): number {
  const s = THRESHOLDS.find((t) => t.key === key);
  if (!s) throw new Error(`Unknown threshold "${key}". Known: ${THRESHOLDS.map((t) => t.key).join(', ')}`);
  if (!Number.isFinite(value)) throw new Error(`Threshold ${key} must be a number`);
  if (s.integer && !Number.isInteger(value)) throw new Error(`Threshold ${key} must be a whole number (${s.unit})`);
  if (value < s.min || value > s.max) throw new Error(`Threshold ${key} must be between ${s.min} and ${s.max} ${s.unit}, got ${value}`);
  return value;
}

/** A number as a SQL literal; thresholds are validated numbers, never text. */
export function lit(t: Thresholds, key: string): string {
  const v = t[key];
  if (v === undefined || !Number.isFinite(v)) throw new Error(`Threshold ${key} is missing`);
  return String(v);
}
