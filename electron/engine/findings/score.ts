import type { FindingKind, Severity } from './types';

// How a finding ranks against the others (docs/findings.md explains each part to analysts).
// A score of 0-100 adds four things: what kind of attack it is, whether the attacker got in,
// how broad it is (accounts, rows) and whether privileged targets were involved. Severity is
// a band of the score, so that a 400-account spray that landed ranks above a single sign-in
// over a legacy protocol whatever the detector's own view of a single row.

/** What the kind of finding is worth before anything is known about its rows. */
export const KIND_WEIGHT: Record<FindingKind, number> = {
  password_spray: 40,
  mfa_fatigue: 40,
  brute_force: 40,
  device_code: 35,
  token_reuse: 35,
  impossible_travel: 30,
  risky_signin: 30,
  passthrough: 20,
  ca_failure_burst: 20,
  legacy_auth: 15,
  new_country: 10,
  interactive_mismatch: 5,
};

/**
 * How "the attacker got in" is read for each kind: after failures (a guess that finally
 * worked), on any success (the flow itself is the attack), or not at all (an observation).
 */
export const COMPROMISE: Record<FindingKind, { rule: 'success_after_failure' | 'any_success' | 'none'; points: number }> = {
  password_spray: { rule: 'success_after_failure', points: 35 },
  brute_force: { rule: 'success_after_failure', points: 35 },
  mfa_fatigue: { rule: 'success_after_failure', points: 35 },
  device_code: { rule: 'any_success', points: 20 },
  token_reuse: { rule: 'any_success', points: 20 },
  impossible_travel: { rule: 'any_success', points: 20 },
  risky_signin: { rule: 'any_success', points: 15 },
  legacy_auth: { rule: 'any_success', points: 15 },
  passthrough: { rule: 'any_success', points: 5 },
  ca_failure_burst: { rule: 'none', points: 0 },
  new_country: { rule: 'none', points: 0 },
  interactive_mismatch: { rule: 'none', points: 0 },
};

/** Breadth: up to 20 points for accounts (10 accounts → 8, 400 → 20) and 10 for rows. */
export const BREADTH = { accountsPerDecade: 8, accountsMax: 20, rowsPerDecade: 4, rowsMax: 10 } as const;

/** Privileged targets add this much once. */
export const PRIVILEGED_POINTS = 10;

/**
 * Account names that suggest an administrative or emergency account. Sign-in logs carry no
 * role assignments, so naming conventions are the evidence the export itself offers.
 */
export const PRIVILEGED_ACCOUNT_PATTERN = '(^|[._@-])(admin|adm|administrator|root|breakglass|break-glass|emergency|globaladmin|ga)([._@-]|[0-9]|$)';

/** Applications whose tokens administer the tenant or its Azure resources (first-party app ids). */
export const ADMIN_APP_IDS: Record<string, string> = {
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c': 'Azure Portal',
  '14d82eec-204b-4c2f-b7e8-296a70dab67e': 'Microsoft Graph Command Line Tools (Graph PowerShell)',
  '1950a258-227b-4e31-a9cf-717495945fc2': 'Microsoft Azure PowerShell',
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'Microsoft Azure CLI',
  '0000000c-0000-0000-c000-000000000000': 'Microsoft App Access Panel',
  'fb78d390-0c51-40cd-8e17-fdbfab77341b': 'Microsoft Exchange REST API Based PowerShell',
  '797f4846-ba00-4fd7-ba43-dac1f8f63013': 'Windows Azure Service Management API',
};

/** Severity bands of the score. */
export const SEVERITY_BANDS: ReadonlyArray<[min: number, severity: Severity]> = [
  [70, 'high'],
  [45, 'medium'],
  [25, 'low'],
  [0, 'info'],
];

export function severityOf(score: number): Severity {
  for (const [min, s] of SEVERITY_BANDS) if (score >= min) return s;
  return 'info';
}

/** The facts about a finding's rows that its score is made of. */
export interface ScoreFacts {
  kind: FindingKind;
  accounts: number;
  rows: number;
  successes: number;
  /** A success later than the first failure among the finding's rows. */
  successAfterFailure: boolean;
  privileged: boolean;
  /** Points a detector adds for what only it can see (the broker app, a country no one else uses). */
  bonus: number;
}

export interface ScoreParts {
  kind: number;
  compromise: number;
  breadth: number;
  privileged: number;
  bonus: number;
  total: number;
}

const decades = (n: number) => Math.log10(Math.max(1, n));

export function scoreOf(f: ScoreFacts): ScoreParts {
  const c = COMPROMISE[f.kind];
  const compromise =
    c.rule === 'success_after_failure' ? (f.successAfterFailure ? c.points : 0) : c.rule === 'any_success' ? (f.successes > 0 ? c.points : 0) : 0;
  const breadth =
    Math.min(BREADTH.accountsMax, Math.round(BREADTH.accountsPerDecade * decades(f.accounts))) +
    Math.min(BREADTH.rowsMax, Math.round(BREADTH.rowsPerDecade * decades(f.rows)));
  const privileged = f.privileged ? PRIVILEGED_POINTS : 0;
  const bonus = Math.max(0, Math.min(20, Math.round(f.bonus)));
  const total = Math.min(100, KIND_WEIGHT[f.kind] + compromise + breadth + privileged + bonus);
  return { kind: KIND_WEIGHT[f.kind], compromise, breadth, privileged, bonus, total };
}
