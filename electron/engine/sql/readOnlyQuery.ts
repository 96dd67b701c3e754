/**
 * The read-only query guard, as other capabilities use it.
 *
 *   runReadOnlyQuery(session, sql, { pageSize, timeoutMs, signal, source })
 *     → { resultId, columns, rows (first page, arrays), total, durationMs, kind }
 *     Throws QueryFailure { kind: 'refused' | 'error' | 'cancelled' | 'timeout', line, column }.
 *     Every run, whatever its outcome, is written to the case's query history and audit log.
 *   resultPage(session, resultId, start, end, sort, { whole }) → { rows, total, notice }
 *     A page stays under PAGE_BYTE_CAP: long text is cut for display (notice says so), or
 *     with `whole` fewer rows come back. A result over RESULT_BYTE_CAP is not kept.
 *   checkReadOnlyPredicate(session, predicate) → { matching }
 *     Validates a WHERE predicate over `signins` by running it through the same guard.
 *     A predicate that passed must still never be executed on the app's main instance:
 *     constant folding (current_setting(...)) can make it bind differently there. Run it
 *     where it was checked, on the guarded instance (see GuardedInstance).
 *
 * What the guard enforces, and where (each layer stands on its own):
 *   - the engine, not text: queries run on their own DuckDB instance over a snapshot of
 *     the case attached READ_ONLY, with enable_external_access=false and
 *     lock_configuration=true (GuardedInstance);
 *   - DuckDB's parser: exactly one statement, and its prepared statement type must be
 *     SELECT (which covers WITH, FROM-first, PIVOT, UNPIVOT, VALUES, DESCRIBE, SUMMARIZE,
 *     SHOW) or EXPLAIN of such a statement (SqlConsole.execute).
 */
import type { Json } from '@duckdb/node-api';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import { addHistory } from './queryStore';
import { QueryFailure, SqlConsole, type Page, type QueryOutcome, type ResultSort, type RunOptions, type RunResult } from './sqlConsole';

export { QueryFailure } from './sqlConsole';
export type { RunResult, ResultColumn, ResultSort, QueryOutcome, Page } from './sqlConsole';

const consoles = new WeakMap<CaseSession, SqlConsole>();
let lastSession: CaseSession | null = null;

/** The console of a case; opening another case releases the previous one's instance. */
export function consoleFor(session: CaseSession): SqlConsole {
  let c = consoles.get(session);
  if (!c) {
    if (lastSession && lastSession !== session) void disposeConsole(lastSession);
    c = new SqlConsole(session);
    consoles.set(session, c);
    lastSession = session;
  }
  return c;
}

export async function disposeConsole(session: CaseSession): Promise<void> {
  const c = consoles.get(session);
  consoles.delete(session);
  if (lastSession === session) lastSession = null;
  await c?.dispose();
}

export interface ReadOnlyQueryOptions extends RunOptions {
  /** Who asked, for the audit log. */
  source?: 'console' | 'cli' | 'api';
  /** Keep the run out of the query history (the audit log always records it). */
  skipHistory?: boolean;
}

export async function runReadOnlyQuery(session: CaseSession, sql: string, opts: ReadOnlyQueryOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  try {
    const result = await consoleFor(session).run(sql, opts);
    await record(session, sql, opts, { outcome: 'ok', rows: result.total, durationMs: result.durationMs, message: null });
    return result;
  } catch (err) {
    const failure = err instanceof QueryFailure ? err : new QueryFailure('error', err instanceof Error ? err.message : String(err));
    await record(session, sql, opts, { outcome: failure.kind, rows: null, durationMs: Math.round((performance.now() - t0) * 10) / 10, message: failure.message });
    throw failure;
  }
}

async function record(
  session: CaseSession,
  sql: string,
  opts: ReadOnlyQueryOptions,
  r: { outcome: QueryOutcome; rows: number | null; durationMs: number; message: string | null },
): Promise<void> {
  if (!opts.skipHistory) await addHistory(session, { sql, outcome: r.outcome, rows: r.rows, durationMs: r.durationMs, message: r.message });
  await appendAudit(session, {
    action: 'console-query',
    detail: { sql, rows: r.rows, durationMs: r.durationMs, outcome: r.outcome, ...(r.message ? { message: r.message } : {}), source: opts.source ?? 'console' },
    tables: opts.skipHistory ? [] : ['query_history'],
  });
}

export async function resultPage(session: CaseSession, resultId: string, start: number, end: number, sort: ResultSort[] = [], opts: { whole?: boolean } = {}): Promise<Page> {
  return consoleFor(session).page(resultId, start, end, sort, opts);
}

export async function checkReadOnlyPredicate(session: CaseSession, predicate: string): Promise<{ matching: number }> {
  const r = await consoleFor(session).run(`SELECT count(*) AS matching FROM signins WHERE (${predicate}\n)`, { pageSize: 1 });
  return { matching: Number(r.rows[0]?.[0] ?? 0) };
}
