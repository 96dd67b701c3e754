import type { Database } from '../db/database';
import type { Thresholds } from './thresholds';

/** The finding kinds; these ids are fixed (scripts and saved reviews rely on them). */
export const FINDING_KINDS = [
  'password_spray',
  'brute_force',
  'mfa_fatigue',
  'impossible_travel',
  'token_reuse',
  'legacy_auth',
  'device_code',
  'passthrough',
  'ca_failure_burst',
  'new_country',
  'risky_signin',
  'interactive_mismatch',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One result row of a detector's SQL, without its row ids. */
export type Metrics = Record<string, unknown> & { finding_id: string; severity: Severity };

export interface Detector {
  kind: FindingKind;
  label: string;
  /**
   * SQL (reads only the case's tables) returning one row per finding: `finding_id`,
   * `severity`, `row_ids` (BIGINT[]) and the numbers the explanation quotes.
   */
  sql(t: Thresholds, db: Database, dataVersion: number): Promise<string>;
  describe(m: Metrics, t: Thresholds): { title: string; explanation: string };
  /** Score points for what only this detector sees (0-20; see score.ts). */
  bonus?(m: Metrics): number;
}

export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
export const minutes = (m: number): string => (m < 1 ? 'under a minute' : m < 120 ? plural(Math.round(m), 'minute') : `${(m / 60).toFixed(1)} hours`);
