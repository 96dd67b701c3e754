import { z } from 'zod';
import { method } from '../method';
import { FINDING_KINDS } from '../../engine/findings/types';

export { FINDING_KINDS };

// Findings: attacks and oddities detected in the case's sign-ins, each traced to its rows.

export const findingKind = z.enum(FINDING_KINDS);
export const severity = z.enum(['high', 'medium', 'low', 'info']);
export const reviewState = z.enum(['open', 'confirmed', 'dismissed']);
const findingIdArg = z.string().regex(/^[a-z_]+-[0-9a-f]{16}$/).max(64);

export const findingSummary = z.object({
  id: z.string(),
  kind: findingKind,
  severity,
  title: z.string(),
  explanation: z.string(),
  users: z.array(z.string()),
  ips: z.array(z.string()),
  countries: z.array(z.string()),
  firstUtc: z.string().nullable(),
  lastUtc: z.string().nullable(),
  rowCount: z.number(),
  /** 0-100: kind, whether the attacker got in, breadth, privileged targets (docs/findings.md). */
  score: z.number(),
  accounts: z.number(),
  successes: z.number(),
  review: z.object({ state: reviewState, note: z.string(), reviewedAt: z.string().nullable() }),
  /** Id of the suppression that hides this finding by default. */
  suppressedBy: z.string().nullable(),
});

export const suppression = z.object({
  id: z.string(),
  kind: findingKind.nullable(),
  entity: z.string().nullable(),
  note: z.string(),
  createdAt: z.string(),
  findings: z.number(),
});

export const findingDetail = findingSummary.extend({
  requestIds: z.array(z.string()),
  /** The detector's SQL narrowed to this finding: read-only, runnable in the SQL console. */
  sql: z.string(),
  metrics: z.record(z.string(), z.unknown()),
});

export const thresholdInfo = z.object({
  key: z.string(),
  label: z.string(),
  value: z.number(),
  default: z.number(),
  min: z.number(),
  max: z.number(),
  integer: z.boolean(),
  unit: z.string(),
  source: z.string(),
});

export const recomputeResult = z.object({
  findings: z.number(),
  ms: z.number(),
  byKind: z.array(z.object({ kind: findingKind, findings: z.number(), rows: z.number(), ms: z.number() })),
});

export const findingsMethods = {
  listFindings: method(
    z.object({ stored: z.boolean().optional() }),
    z.array(findingSummary),
    'Findings of the open case with their review state and score, highest score first (computed on first use unless `stored`, which lists what is stored, current or not); suppressed ones carry suppressedBy.',
  ),
  findingsState: method(
    z.object({}),
    z.object({ stale: z.boolean(), jobId: z.string().nullable() }),
    'Whether the stored findings were computed on the rows and thresholds the case holds now, and the findings job running, if any.',
  ),
  startFindings: method(
    z.object({ thresholds: z.record(z.string().max(64), z.number().nullable()).optional(), force: z.boolean().optional() }),
    z.object({ jobId: z.string().nullable() }),
    'Compute the findings as a background job with progress and Cancel (a cancelled run keeps the stored findings): when they are stale, when thresholds change (saved first, audited) or when forced. jobId is null when they are current; a run in progress is followed, not repeated.',
  ),
  getFinding: method(z.object({ id: findingIdArg }), findingDetail, 'One finding: explanation, request ids of its rows and the SQL that produced it.'),
  recomputeFindings: method(
    z.object({ thresholds: z.record(z.string().max(64), z.number().nullable()).optional() }),
    recomputeResult,
    'Save threshold changes (null restores a default) and recompute every finding; reviews are kept.',
  ),
  reviewFinding: method(
    z.object({ id: findingIdArg, state: reviewState, note: z.string().max(4000) }),
    findingSummary,
    'Confirm or dismiss a finding with a note (or reopen it); recorded in the audit log.',
  ),
  reviewFindings: method(
    z.object({ ids: z.array(findingIdArg).min(1).max(10_000), state: reviewState, note: z.string().max(4000) }),
    z.object({ reviewed: z.number() }),
    'Confirm, dismiss or reopen several findings with one note; one audit entry lists them.',
  ),
  listSuppressions: method(z.object({}), z.array(suppression), 'Suppressions of the case (a kind, an account or address, or both) and how many findings each hides.'),
  addSuppression: method(
    z.object({ kind: findingKind.nullable(), entity: z.string().max(512).nullable(), note: z.string().max(4000) }),
    suppression,
    'Hide findings of a kind and/or involving an account or address (a known VPN egress, a service account); audited and reversible.',
  ),
  removeSuppression: method(z.object({ id: z.string().uuid() }), z.object({ removed: z.literal(true) }), 'Remove a suppression; its findings show again. Audited.'),
  findingThresholds: method(z.object({}), z.array(thresholdInfo), 'Detection thresholds with current values, defaults, ranges and where each default comes from.'),
};

export type FindingSummaryDto = z.infer<typeof findingSummary>;
export type FindingDetailDto = z.infer<typeof findingDetail>;
export type ThresholdInfoDto = z.infer<typeof thresholdInfo>;
