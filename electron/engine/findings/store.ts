import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import { ensureFindings } from './compute';
import { SUPPRESSION_COVERS } from './suppressions';
import type { FindingKind, Severity } from './types';

export type ReviewState = 'open' | 'confirmed' | 'dismissed';

export interface FindingSummary {
  id: string;
  kind: FindingKind;
  severity: Severity;
  title: string;
  explanation: string;
  users: string[];
  ips: string[];
  countries: string[];
  firstUtc: string | null;
  lastUtc: string | null;
  rowCount: number;
  /** 0-100; see score.ts. */
  score: number;
  accounts: number;
  successes: number;
  review: { state: ReviewState; note: string; reviewedAt: string | null };
  /** The suppression that hides this finding by default, if any. */
  suppressedBy: string | null;
}

export interface FindingDetail extends FindingSummary {
  requestIds: string[];
  sql: string;
  metrics: Record<string, unknown>;
}

/** Highest score first; breadth breaks ties, then time. */
const SCORE_ORDER = `coalesce(f.score, 0) DESC, f.row_count DESC, f.first_utc, f.id`;

/** The earliest suppression that covers a finding: its whole kind, or one of its accounts or addresses. */
const SUPPRESSED_BY = `(SELECT arg_min(x.id, (x.created_at, x.id)) FROM finding_suppressions x
  WHERE ${SUPPRESSION_COVERS})`;

const ISO = (col: string) => `strftime(${col}, '%Y-%m-%dT%H:%M:%SZ')`;

const SELECT_SUMMARY = `SELECT f.id, f.kind, f.severity, f.title, f.explanation, f.users, f.ips, f.countries,
  ${ISO('f.first_utc')} AS first_utc, ${ISO('f.last_utc')} AS last_utc, f.row_count,
  coalesce(f.score, 0) AS score, coalesce(f.accounts, 0) AS accounts, coalesce(f.successes, 0) AS successes, ${SUPPRESSED_BY} AS suppressed_by,
  coalesce(r.state, 'open') AS state, coalesce(r.note, '') AS note, ${ISO('r.reviewed_at')} AS reviewed_at
FROM findings f LEFT JOIN finding_reviews r ON r.finding_id = f.id`;

type SummaryRow = {
  id: string;
  kind: FindingKind;
  severity: Severity;
  title: string;
  explanation: string;
  users: string[] | null;
  ips: string[] | null;
  countries: string[] | null;
  first_utc: string | null;
  last_utc: string | null;
  row_count: string | number;
  score: string | number;
  accounts: string | number;
  successes: string | number;
  suppressed_by: string | null;
  state: ReviewState;
  note: string;
  reviewed_at: string | null;
};

function toSummary(r: SummaryRow): FindingSummary {
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity,
    title: r.title,
    explanation: r.explanation,
    users: r.users ?? [],
    ips: r.ips ?? [],
    countries: r.countries ?? [],
    firstUtc: r.first_utc,
    lastUtc: r.last_utc,
    rowCount: Number(r.row_count),
    score: Number(r.score),
    accounts: Number(r.accounts),
    successes: Number(r.successes),
    review: { state: r.state, note: r.note, reviewedAt: r.reviewed_at },
    suppressedBy: r.suppressed_by,
  };
}

/** Findings by score (highest first); computed first if the case has none yet or rows changed. */
export async function listFindings(session: CaseSession): Promise<FindingSummary[]> {
  await ensureFindings(session);
  return listStoredFindings(session);
}

/** Findings as stored, current or not (the caller knows whether they are stale). */
export async function listStoredFindings(session: CaseSession): Promise<FindingSummary[]> {
  const rows = await session.db.all<SummaryRow>(`${SELECT_SUMMARY} ORDER BY ${SCORE_ORDER}`);
  return rows.map(toSummary);
}

export async function getFinding(session: CaseSession, id: string): Promise<FindingDetail | null> {
  const row = await session.db.one<SummaryRow & { detector_sql: string; metrics: string | null }>(
    `${SELECT_SUMMARY.replace('SELECT f.id,', 'SELECT f.detector_sql, f.metrics, f.id,')} WHERE f.id = ?`,
    [id],
  );
  if (!row) return null;
  const ids = await session.db.all<{ request_id: string | null }>(
    `SELECT s.request_id FROM finding_rows r JOIN signins s ON s.row_id = r.row_id WHERE r.finding_id = ? ORDER BY s.time_utc, s.row_id`,
    [id],
  );
  let metrics: Record<string, unknown> = {};
  try {
    metrics = row.metrics ? (JSON.parse(row.metrics) as Record<string, unknown>) : {};
  } catch {
    metrics = {};
  }
  return {
    ...toSummary(row),
    requestIds: ids.map((r) => r.request_id ?? ''),
    sql: row.detector_sql,
    metrics,
  };
}

/** Review several findings at once with one note; one audit entry lists them all. */
export async function reviewFindings(session: CaseSession, ids: string[], state: ReviewState, note: string): Promise<number> {
  const unique = [...new Set(ids)];
  const found = await session.db.all<{ id: string; kind: string; title: string }>(
    `SELECT id, kind, title FROM findings WHERE id IN (${unique.map(() => '?').join(', ')}) ORDER BY id`,
    unique,
  );
  if (found.length !== unique.length) {
    const have = new Set(found.map((f) => f.id));
    throw new Error(`No finding ${unique.find((id) => !have.has(id))} in this case`);
  }
  for (const f of found) {
    if (state === 'open') await session.db.run('DELETE FROM finding_reviews WHERE finding_id = ?', [f.id]);
    else await session.db.run('INSERT OR REPLACE INTO finding_reviews VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)', [f.id, state, note, f.kind, f.title]);
  }
  await appendAudit(session, { action: 'finding.review', detail: { findingIds: found.map((f) => f.id), state, note }, tables: ['finding_reviews'] });
  return found.length;
}

/** Confirm or dismiss a finding with a note (or reopen it); kept across recomputation. */
export async function reviewFinding(session: CaseSession, id: string, state: ReviewState, note: string): Promise<FindingSummary> {
  const f = await session.db.one<{ kind: string; title: string }>('SELECT kind, title FROM findings WHERE id = ?', [id]);
  if (!f) throw new Error(`No finding ${id} in this case`);
  if (state === 'open') await session.db.run('DELETE FROM finding_reviews WHERE finding_id = ?', [id]);
  else
    await session.db.run('INSERT OR REPLACE INTO finding_reviews VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)', [id, state, note, f.kind, f.title]);
  await appendAudit(session, { action: 'finding.review', detail: { findingId: id, kind: f.kind, title: f.title, state, note }, tables: ['finding_reviews'] });
  const row = await session.db.one<SummaryRow>(`${SELECT_SUMMARY} WHERE f.id = ?`, [id]);
  return toSummary(row!);
}
