import type { DuckDBConnection } from '@duckdb/node-api';
import type { CaseSession } from '../case/caseSession';
import { DETECTORS } from './detectors';
import type { FindingKind, Metrics } from './types';
import type { Thresholds } from './thresholds';
import { loadThresholds } from './thresholdStore';
import { ADMIN_APP_IDS, PRIVILEGED_ACCOUNT_PATTERN, scoreOf, severityOf } from './score';

/** What a finding's score is made of, from its rows (see score.ts). */
const FACTS_SQL = `SELECT m.id, any_value(m.kind) AS kind, any_value(m.bonus) AS bonus, count(*) AS row_count,
  count(DISTINCT lower(coalesce(nullif(s.user_principal_name, ''), nullif(s.user_id, ''), nullif(s.service_principal_name, '')))) AS accounts,
  count(*) FILTER (WHERE s.status = 'success') AS successes,
  coalesce(max(s.time_utc) FILTER (WHERE s.status = 'success') > min(s.time_utc) FILTER (WHERE s.status IS DISTINCT FROM 'success'), false) AS success_after_failure,
  coalesce(bool_or(regexp_matches(lower(coalesce(s.user_principal_name, '')), '${PRIVILEGED_ACCOUNT_PATTERN.replace(/'/g, "''")}')
    OR s.app_id IN (${Object.keys(ADMIN_APP_IDS).map((id) => `'${id}'`).join(', ')})), false) AS privileged
FROM finding_meta m JOIN finding_rows r ON r.finding_id = m.id JOIN signins s ON s.row_id = r.row_id
GROUP BY m.id`;

/** Where a run is (step i of n, with its name), and the signal that stops it between steps. */
export interface FindingsRunControl {
  signal?: AbortSignal;
  progress?(step: { index: number; total: number; name: string }): void;
}

/** A run stopped by its signal: the findings stored before it are kept as they were. */
export class FindingsCancelledError extends Error {
  constructor() {
    super('Findings computation cancelled; the findings stored before it are unchanged');
  }
}

export interface RecomputeResult {
  findings: number;
  ms: number;
  byKind: { kind: FindingKind; findings: number; rows: number; ms: number }[];
}

/** SQL that lists one finding's rows: the detector itself, narrowed to the finding's id. */
export function findingRowsSql(detectorSql: string, findingId: string): string {
  if (!/^[a-z_]+-[0-9a-f]{16}$/.test(findingId)) throw new Error(`Not a finding id: ${findingId}`);
  return `-- Rows of finding ${findingId}, recomputed from the sign-ins by its detector.
WITH detector AS (
${detectorSql}
)
SELECT s.*
FROM signins s
WHERE s.row_id IN (SELECT unnest(row_ids) FROM detector WHERE finding_id = '${findingId}')
ORDER BY s.time_utc, s.row_id`;
}

async function all(con: DuckDBConnection, sql: string, params: (string | number)[] = []): Promise<Record<string, unknown>[]> {
  const reader = await con.runAndReadAll(sql, params);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/** One computation per case at a time: a background run after an import and a user's request queue. */
const running = new WeakMap<CaseSession, Promise<unknown>>();

/**
 * Run `task` in the case's findings queue: it starts after every computation queued before
 * it, and computations queued after it wait for it (also for a caller that must hold the
 * findings still while it reads them).
 */
export function inFindingsQueue<T>(session: CaseSession, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const prior = running.get(session) ?? Promise.resolve();
  let started = false;
  const next = prior.catch(() => undefined).then(() => {
    started = true;
    return task();
  });
  running.set(session, next.catch(() => undefined));
  if (!signal) return next;
  // A cancel while waiting for another run ends the wait at once; the task, when its turn
  // comes, stops at its first check. Once started, the run itself answers the cancel.
  const waitCancelled = new Promise<never>((_, reject) => {
    const onAbort = (): void => {
      if (!started) reject(new FindingsCancelledError());
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    next.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => undefined);
  });
  return Promise.race([next, waitCancelled]);
}

function sameThresholds(a: Thresholds, b: Thresholds): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

/** Whether the stored findings were computed on the rows the case holds now, with the thresholds it holds now. */
export async function findingsStale(session: CaseSession): Promise<boolean> {
  const run = await session.db.one<{ signin_rows: string; thresholds: string }>('SELECT signin_rows, thresholds::VARCHAR AS thresholds FROM finding_runs ORDER BY computed_at DESC LIMIT 1');
  if (!run) return true;
  const now = await session.db.scalar('SELECT count(*) FROM signins');
  if (Number(run.signin_rows) !== Number(now)) return true;
  let used: Thresholds;
  try {
    used = JSON.parse(run.thresholds) as Thresholds;
  } catch {
    return true;
  }
  return !sameThresholds(used, await loadThresholds(session));
}

/**
 * Findings that match the rows the case holds: waits for a run in progress, and computes
 * only when the rows changed since the last run. Import calls it in the background, so the
 * Findings tab and the report find them ready.
 */
export function ensureFindings(session: CaseSession, control: FindingsRunControl = {}): Promise<void> {
  return inFindingsQueue(
    session,
    async () => {
      if (await findingsStale(session)) await runDetectors(session, undefined, control);
    },
    control.signal,
  );
}

/**
 * Run every detector over the case's sign-ins and replace the stored findings and their
 * rows in one transaction. Reviews are keyed on the stable finding id, so they survive.
 */
export function recomputeFindings(session: CaseSession, thresholds?: Thresholds, control: FindingsRunControl = {}): Promise<RecomputeResult> {
  return inFindingsQueue(session, () => runDetectors(session, thresholds, control), control.signal);
}

async function runDetectors(session: CaseSession, thresholds?: Thresholds, control: FindingsRunControl = {}): Promise<RecomputeResult> {
  const t = thresholds ?? (await loadThresholds(session));
  const started = performance.now();
  const { signal } = control;
  // Preparing each detector, running it, then scoring and storing: one step each.
  const steps = DETECTORS.length * 2 + 1;
  let step = 0;
  const next = (name: string): void => {
    if (signal?.aborted) throw new FindingsCancelledError();
    control.progress?.({ index: step++, total: steps, name });
  };
  if (signal?.aborted) throw new FindingsCancelledError();
  const con = await session.db.connect();
  // A long detector statement stops at once rather than at the next step.
  const onAbort = (): void => con.interrupt();
  signal?.addEventListener('abort', onAbort);
  const byKind: RecomputeResult['byKind'] = [];
  let total = 0;
  try {
    // Build every detector's SQL first: some prepare helper tables (place resolution) on
    // the main connection, which the transaction below must already see.
    const sqls: string[] = [];
    for (const d of DETECTORS) {
      next(`Preparing ${d.label}`);
      sqls.push(await d.sql(t, session.db, session.dataVersion));
    }
    if (signal?.aborted) throw new FindingsCancelledError();
    await con.run('BEGIN TRANSACTION');
    try {
      await con.run('DELETE FROM finding_rows');
      await con.run('DELETE FROM findings');
      await con.run(`CREATE OR REPLACE TEMP TABLE finding_meta (id VARCHAR, kind VARCHAR, severity VARCHAR, title VARCHAR, explanation VARCHAR, detector_sql VARCHAR, metrics JSON, bonus DOUBLE)`);
      for (const [i, d] of DETECTORS.entries()) {
        next(`Running ${d.label}`);
        const t0 = performance.now();
        const sql = sqls[i]!;
        await con.run(`CREATE OR REPLACE TEMP TABLE finding_detected AS ${sql}`);
        await con.run(`INSERT INTO finding_rows SELECT DISTINCT finding_id, unnest(row_ids) FROM finding_detected`);
        const rows = (await all(con, `SELECT * EXCLUDE (row_ids), len(row_ids) AS row_count FROM finding_detected`)) as Metrics[];
        let rowTotal = 0;
        // One multi-row INSERT per 200 findings: thousands of single inserts would dominate.
        for (let i = 0; i < rows.length; i += 200) {
          const chunk = rows.slice(i, i + 200);
          const params: (string | number)[] = [];
          for (const m of chunk) {
            const { title, explanation } = d.describe(m, t);
            rowTotal += Number(m.row_count ?? 0);
            params.push(m.finding_id, d.kind, m.severity, title, explanation, findingRowsSql(sql, m.finding_id), JSON.stringify(m), d.bonus?.(m) ?? 0);
          }
          await con.run(`INSERT INTO finding_meta VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`, params);
        }
        total += rows.length;
        byKind.push({ kind: d.kind, findings: rows.length, rows: rowTotal, ms: Math.round(performance.now() - t0) });
      }
      next('Scoring and storing the findings');
      await con.run(`CREATE OR REPLACE TEMP TABLE finding_facts AS ${FACTS_SQL}`);
      const facts = await all(con, 'SELECT * FROM finding_facts');
      await con.run('CREATE OR REPLACE TEMP TABLE finding_scores (id VARCHAR, score INTEGER, severity VARCHAR)');
      for (let i = 0; i < facts.length; i += 500) {
        const chunk = facts.slice(i, i + 500);
        const params: (string | number)[] = [];
        for (const f of chunk) {
          const s = scoreOf({
            kind: f.kind as FindingKind,
            accounts: Number(f.accounts),
            rows: Number(f.row_count),
            successes: Number(f.successes),
            successAfterFailure: f.success_after_failure === true,
            privileged: f.privileged === true,
            bonus: Number(f.bonus ?? 0),
          });
          params.push(String(f.id), s.total, severityOf(s.total));
        }
        await con.run(`INSERT INTO finding_scores VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`, params);
      }
      await con.run(`INSERT INTO findings BY NAME
        SELECT m.id, m.kind, sc.severity, m.title, m.explanation,
          list_slice(list_sort(list_distinct(list(coalesce(nullif(s.user_principal_name, ''), nullif(s.user_id, ''), nullif(s.service_principal_name, ''))))), 1, 500) AS users,
          list_slice(list_sort(list_distinct(list(nullif(s.ip_address, '')))), 1, 500) AS ips,
          list_sort(list_distinct(list(nullif(upper(trim(s.country)), '')))) AS countries,
          min(s.time_utc) AS first_utc, max(s.time_utc) AS last_utc, count(*) AS row_count, m.detector_sql, m.metrics,
          now()::TIMESTAMP AS computed_at, sc.score, any_value(fa.accounts) AS accounts, any_value(fa.successes) AS successes
        FROM finding_meta m JOIN finding_rows r ON r.finding_id = m.id JOIN signins s ON s.row_id = r.row_id
          JOIN finding_scores sc ON sc.id = m.id JOIN finding_facts fa ON fa.id = m.id
        GROUP BY m.id, m.kind, sc.severity, m.title, m.explanation, m.detector_sql, m.metrics, sc.score`);
      const rowsNow = Number((await all(con, 'SELECT count(*) AS n FROM signins'))[0]?.n ?? 0);
      const ms = performance.now() - started;
      await con.run(`INSERT INTO finding_runs VALUES (now()::TIMESTAMP, ?, ?, ?, ?)`, [rowsNow, total, ms, JSON.stringify(t)]);
      // The last point of no return: a cancel that came in while storing still keeps the old findings.
      if (signal?.aborted) throw new FindingsCancelledError();
      await con.run('COMMIT');
    } catch (err) {
      await con.run('ROLLBACK').catch(() => undefined);
      throw signal?.aborted ? new FindingsCancelledError() : err;
    }
  } catch (err) {
    throw signal?.aborted ? new FindingsCancelledError() : err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    con.closeSync();
  }
  session.changed();
  return { findings: total, ms: Math.round(performance.now() - started), byKind };
}
