import type { JobState } from '../api/methods/case';

/**
 * The taskbar / dock progress value for the running jobs: -1 removes the bar, a value
 * above 1 shows Electron's indeterminate bar (a job that cannot estimate its share), and
 * otherwise the mean fraction of the running jobs.
 */
export function progressBarValue(jobs: readonly JobState[]): number {
  const running = jobs.filter((j) => j.state === 'running');
  if (!running.length) return -1;
  if (running.some((j) => j.fraction === null)) return 2;
  const mean = running.reduce((s, j) => s + (j.fraction ?? 0), 0) / running.length;
  return Math.min(1, Math.max(0, mean));
}

interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

/**
 * Polls the jobs it is told about (imports, the demo case) and drives the window's
 * progress bar until they settle.
 */
export class JobProgressTracker {
  private readonly ids = new Set<string>();
  private handle: unknown = null;
  private last = -1;

  constructor(
    private readonly status: (jobId: string) => JobState | undefined,
    private readonly setProgress: (value: number) => void,
    private readonly intervalMs = 500,
    private readonly timers: Timers = realTimers,
  ) {}

  track(jobId: string): void {
    this.ids.add(jobId);
    this.tick();
    if (this.handle === null && this.ids.size) this.handle = this.timers.setInterval(() => this.tick(), this.intervalMs);
  }

  tick(): void {
    const states: JobState[] = [];
    for (const id of this.ids) {
      const s = this.status(id);
      if (s && s.state === 'running') states.push(s);
      else this.ids.delete(id);
    }
    const value = progressBarValue(states);
    if (value !== this.last) {
      this.last = value;
      this.setProgress(value);
    }
    if (!this.ids.size) this.stop();
  }

  stop(): void {
    if (this.handle !== null) this.timers.clearInterval(this.handle);
    this.handle = null;
  }
}

/** The job id in a call's result, if the call started a job. */
export function startedJobId(result: unknown): string | null {
  if (typeof result === 'object' && result !== null && 'jobId' in result) {
    const id = (result as { jobId: unknown }).jobId;
    return typeof id === 'string' ? id : null;
  }
  return null;
}
