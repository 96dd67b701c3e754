import { randomUUID } from 'node:crypto';
import type { JobState } from './jobState';

export interface JobContext {
  signal: AbortSignal;
  progress(update: { rows?: number; fraction?: number | null; message?: string }): void;
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

/**
 * Long operations (imports, the demo case) run as jobs the UI polls, so both transports
 * carry progress the same way and the UI never blocks on one call.
 */
export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>();

  start(kind: string, work: (ctx: JobContext) => Promise<unknown>): string {
    const id = randomUUID();
    const controller = new AbortController();
    const state: JobState = { id, kind, state: 'running', message: 'Starting…', rows: 0, rowsPerSecond: 0, fraction: null, error: null };
    const record: JobRecord = { state, controller, startedAt: Date.now(), done: Promise.resolve() };
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
      },
    };
    record.done = (async () => {
      try {
        state.result = await work(ctx);
        state.state = controller.signal.aborted ? 'cancelled' : 'done';
        state.message = controller.signal.aborted ? 'Cancelled' : 'Done';
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
      }
    })();
    this.jobs.set(id, record);
    return id;
  }

  status(id: string): JobState | undefined {
    const rec = this.jobs.get(id);
    return rec ? { ...rec.state } : undefined;
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
