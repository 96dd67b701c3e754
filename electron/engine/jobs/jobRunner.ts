import { randomUUID } from 'node:crypto';
import type { JobState } from './jobState';

export interface JobContext {
  signal: AbortSignal;
  progress(update: { rows?: number; fraction?: number | null; message?: string; bytes?: { done: number; total: number } }): void;
}

export class CancelledError extends Error {
  constructor() {
    super('Cancelled by the user');
  }
}

interface JobRecord {
  state: JobState;
  controller: AbortController;
  startedAt: number;
  done: Promise<void>;
}

/** Below this share done, or this soon after the start, the rate says too little for a time left. */
const ETA_MIN_FRACTION = 0.01;
const ETA_MIN_MS = 1500;

/** The state as of now: the time left follows from the share done and the time taken so far. */
function snapshot(rec: JobRecord): JobState {
  const s = rec.state;
  if (s.state !== 'running') return { ...s };
  const elapsed = Date.now() - rec.startedAt;
  const f = s.fraction;
  const etaSeconds = f !== null && f >= ETA_MIN_FRACTION && f < 1 && elapsed >= ETA_MIN_MS ? Math.round((elapsed * (1 - f)) / f / 1000) : null;
  return { ...s, etaSeconds };
}

/**
 * Long operations (imports, the demo case) run as jobs the UI polls, so both transports
 * carry progress the same way and the UI never blocks on one call.
 */
export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>();
  /** How many jobs of each kind have settled: a window that saw another count knows the case may have changed. */
  private readonly settledByKind = new Map<string, number>();

  start(kind: string, work: (ctx: JobContext) => Promise<unknown>): string {
    const id = randomUUID();
    const controller = new AbortController();
    const startedAt = Date.now();
    const state: JobState = { id, kind, state: 'running', message: 'Starting…', rows: 0, rowsPerSecond: 0, fraction: null, bytesDone: null, bytesTotal: null, etaSeconds: null, startedAt: new Date(startedAt).toISOString(), error: null };
    const record: JobRecord = { state, controller, startedAt, done: Promise.resolve() };
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (u) => {
        if (u.rows !== undefined) {
          state.rows = u.rows;
          const secs = (Date.now() - record.startedAt) / 1000;
          state.rowsPerSecond = secs > 0 ? Math.round(u.rows / secs) : 0;
        }
        if (u.fraction !== undefined) state.fraction = u.fraction;
        if (u.message !== undefined) state.message = u.message;
        if (u.bytes !== undefined) {
          state.bytesDone = u.bytes.done;
          state.bytesTotal = u.bytes.total;
        }
      },
    };
    record.done = (async () => {
      try {
        state.result = await work(ctx);
        // Work that stops when cancelled throws; work that returned has finished (a cancel
        // that came after its point of no return changed nothing), and says so.
        state.state = 'done';
        state.message = 'Done';
        state.fraction = 1;
      } catch (err) {
        if (controller.signal.aborted || err instanceof CancelledError) {
          state.state = 'cancelled';
          state.message = 'Cancelled; the case is as it was before';
        } else {
          state.state = 'failed';
          state.error = err instanceof Error ? err.message : String(err);
          state.message = 'Failed';
        }
      } finally {
        state.etaSeconds = null;
        this.settledByKind.set(kind, (this.settledByKind.get(kind) ?? 0) + 1);
      }
    })();
    this.jobs.set(id, record);
    return id;
  }

  status(id: string): JobState | undefined {
    const rec = this.jobs.get(id);
    return rec ? snapshot(rec) : undefined;
  }

  /** Every job still running, oldest first, as any window shows them. */
  running(): JobState[] {
    return [...this.jobs.values()].filter((j) => j.state.state === 'running').map((j) => ({ ...snapshot(j), result: undefined }));
  }

  /** Grows by one whenever a job of one of these kinds settles. */
  settledOf(kinds: readonly string[]): number {
    return kinds.reduce((n, k) => n + (this.settledByKind.get(k) ?? 0), 0);
  }

  /** How many jobs of every kind have settled so far. */
  settledCounts(): Record<string, number> {
    return Object.fromEntries(this.settledByKind);
  }

  cancel(id: string): boolean {
    const rec = this.jobs.get(id);
    if (!rec || rec.state.state !== 'running') return false;
    rec.controller.abort();
    return true;
  }

  /** Settles when every job running now has settled (their failures are already recorded). */
  async idle(): Promise<void> {
    await Promise.all([...this.jobs.values()].filter((j) => j.state.state === 'running').map((j) => j.done));
  }

  /** Wait for a job to settle (CLI and tests). */
  async wait(id: string): Promise<JobState | undefined> {
    await this.jobs.get(id)?.done;
    return this.status(id);
  }
}
