import { checkCall, type CallTarget, type Transport } from '../api/dispatch';
import type { CallOutcome } from '../api/contract';
import type { JobState } from '../engine/jobs/jobState';
import { fromHost, hostOps, type EngineInit, type HostOp, type PushedJob, type ToHost } from './protocol';
import type { z } from 'zod';

/** The parent's end of one engine process: a Node child or an Electron utility process. */
export interface EngineChannel {
  readonly pid: number | undefined;
  send(message: ToHost): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the process has ended; `how` says how ("killed by SIGKILL", "exited with code 3"). */
  onExit(listener: (how: string) => void): void;
  kill(): void;
}

/** Starts one engine process. */
export type StartEngine = () => EngineChannel;

/** The call that was running when the engine process stopped; the case was reopened (or why not). */
export class EngineStopped extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly code: 'engine_restarted' | 'engine_unavailable' | 'engine_closed' = 'engine_restarted',
  ) {
    super(message);
  }
}

export interface EngineRestart {
  /** How the process ended. */
  how: string;
  /** The calls that were running and were answered with EngineStopped. */
  calls: string[];
  /** The case open again in the new engine, or null. */
  reopened: string | null;
  message: string;
}

interface Pending {
  method: string;
  resolve(outcome: CallOutcome): void;
  reject(err: Error): void;
}

/** How many engine processes a restart starts before giving up (one that dies while reopening a case is tried without it). */
const START_ATTEMPTS = 3;

/**
 * The engine as the parent sees it: the same call target as the in-process handler table,
 * but every call crosses to the engine process. The parent does no DuckDB work: it checks
 * a call's arguments against the contract, forwards it, and hands back the envelope the
 * engine process answered (whose result that process already checked against the contract).
 *
 * When the engine process dies, the calls it was running are answered with
 * `engine_restarted`, naming the call; a new process is started and the case that was open
 * is opened again (the case on disk is what DuckDB committed: the stopped call's unfinished
 * transaction is not in it). The next call goes to the new process.
 */
export class EngineClient {
  private channel: EngineChannel | null = null;
  private channelExited: Promise<void> = Promise.resolve();
  private started = false;
  private ready: Promise<void> = Promise.resolve();
  private restarting = false;
  private closing: Promise<void> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private openCase: string | null = null;
  private readonly jobs = new Map<string, PushedJob>();
  private readonly lostJobs = new Map<string, JobState>();
  private readonly restartListeners: ((r: EngineRestart) => void)[] = [];
  /** Engine processes started after the first (crash recovery). */
  restarts = 0;

  constructor(
    private readonly start: StartEngine,
    private readonly init: EngineInit,
  ) {}

  /** The case the engine process has open (as it last said). */
  get caseDir(): string | null {
    return this.openCase;
  }

  /** The engine process's id (tests kill it). */
  get pid(): number | undefined {
    return this.channel?.pid;
  }

  /** The calls the engine process is working on now. */
  inFlight(): string[] {
    return [...this.pending.values()].map((p) => p.method);
  }

  /** A job's last pushed state (taskbar progress), without its result. */
  jobState(jobId: string): JobState | undefined {
    return this.jobs.get(jobId);
  }

  onRestart(listener: (r: EngineRestart) => void): void {
    this.restartListeners.push(listener);
  }

  /** The transports' call target: an envelope always, never a throw. */
  readonly call: CallTarget = async (method, rawArgs, transport) => {
    try {
      return await this.invoke(method, rawArgs, transport);
    } catch (err) {
      if (err instanceof EngineStopped) return { ok: false, error: { code: err.code, message: err.message } };
      throw err;
    }
  };

  /** One contract call; rejects with EngineStopped when the engine process stops during it. */
  async invoke(method: string, rawArgs: unknown, transport: Transport): Promise<CallOutcome> {
    const checked = checkCall(method, rawArgs);
    if (!checked.ok) return checked;
    // A job the stopped engine was running is not in the new one: its state stays what this side recorded.
    const jobId = (checked.args as { jobId?: unknown }).jobId;
    const lost = typeof jobId === 'string' ? this.lostJobs.get(jobId) : undefined;
    if (lost && checked.method === 'jobStatus') return { ok: true, result: lost };
    if (lost && checked.method === 'cancelJob') return { ok: true, result: { cancelled: false } };
    return this.request({ type: 'call', method: checked.method, args: rawArgs ?? {}, transport }, checked.method);
  }

  /** Work only the parent asks for (never reachable from a page). */
  async op<O extends HostOp>(op: O, args: z.input<(typeof hostOps)[O]['args']>): Promise<z.output<(typeof hostOps)[O]['result']>> {
    const outcome = await this.request({ type: 'op', op, args }, op);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return hostOps[op].result.parse(outcome.result) as z.output<(typeof hostOps)[O]['result']>;
  }

  /** Close the case (after running jobs settle) and end the engine process; killed after `graceMs`. */
  close(graceMs = 10_000): Promise<void> {
    this.closing ??= (async () => {
      await this.ready;
      const channel = this.channel;
      if (!channel) return;
      const timer = setTimeout(() => channel.kill(), graceMs);
      channel.send({ type: 'close' });
      await this.channelExited;
      clearTimeout(timer);
    })();
    return this.closing;
  }

  private async request(body: DistributiveOmit<Extract<ToHost, { id: number }>, 'id'>, label: string): Promise<CallOutcome> {
    if (!this.started) {
      this.started = true;
      this.ready = this.startEngine(null).then(() => undefined);
    }
    await this.ready;
    if (this.closing) throw new EngineStopped(label, `Signet is closing; ${label} was not run.`, 'engine_closed');
    const channel = this.channel;
    if (!channel) throw new EngineStopped(label, `The engine could not be started again, so ${label} was not run. Restart Signet.`, 'engine_unavailable');
    return this.send(channel, body, label);
  }

  private send(channel: EngineChannel, body: DistributiveOmit<Extract<ToHost, { id: number }>, 'id'>, label: string): Promise<CallOutcome> {
    const id = this.nextId++;
    return new Promise<CallOutcome>((resolve, reject) => {
      this.pending.set(id, { method: label, resolve, reject });
      channel.send({ ...body, id } as ToHost);
    });
  }

  private spawn(): EngineChannel {
    const channel = this.start();
    this.channel = channel;
    this.channelExited = new Promise<void>((done) =>
      channel.onExit((how) => {
        done();
        this.exited(channel, how);
      }),
    );
    channel.onMessage((raw) => this.receive(channel, raw));
    channel.send({ type: 'init', options: this.init });
    return channel;
  }

  private receive(channel: EngineChannel, raw: unknown): void {
    if (channel !== this.channel) return;
    const parsed = fromHost.safeParse(raw);
    if (!parsed.success) {
      console.error(`Signet: ignored a malformed message from the engine process (${parsed.error.issues[0]?.message})`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'reply') {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      p?.resolve(message.outcome);
    } else if (message.type === 'case') {
      if (!this.restarting) this.openCase = message.dir;
    } else {
      for (const job of message.jobs) this.jobs.set(job.id, job);
    }
  }

  /**
   * Start an engine process and check it answers (opening `caseDir` again, if given). A
   * process that dies while reopening the case is replaced by one without the case: a case
   * whose opening kills the engine must not keep it down.
   */
  private async startEngine(caseDir: string | null): Promise<{ reopened: string | null; problem: string | null }> {
    this.restarting = true;
    try {
      return await this.startAttempts(caseDir);
    } finally {
      this.restarting = false;
    }
  }

  private async startAttempts(caseDir: string | null): Promise<{ reopened: string | null; problem: string | null }> {
    let dir = caseDir;
    let problem: string | null = null;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      let channel: EngineChannel;
      try {
        channel = this.spawn();
      } catch (err) {
        problem = `the engine process could not be started: ${err instanceof Error ? err.message : String(err)}`;
        continue;
      }
      try {
        const outcome = dir ? await this.send(channel, { type: 'call', method: 'openCase', args: { dir }, transport: 'ipc' }, 'openCase') : await this.send(channel, { type: 'call', method: 'appInfo', args: {}, transport: 'ipc' }, 'appInfo');
        if (dir && !outcome.ok) return { reopened: null, problem: outcome.error.message };
        return { reopened: dir, problem };
      } catch {
        if (dir) problem = `the engine stopped again while reopening ${dir}`;
        dir = null;
      }
    }
    this.channel = null;
    return { reopened: null, problem: problem ?? 'the engine process stopped right after starting' };
  }

  private exited(channel: EngineChannel, how: string): void {
    if (channel !== this.channel) return;
    this.channel = null;
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const [id, job] of this.jobs) {
      if (job.state !== 'running') continue;
      const failed = { ...job, state: 'failed' as const, message: 'Failed', error: `The engine process stopped (${how}) during this ${job.kind}; the case keeps what was committed before.` };
      this.jobs.set(id, failed);
      this.lostJobs.set(id, failed);
    }
    if (this.closing) {
      for (const p of lost) p.reject(new EngineStopped(p.method, `Signet closed the engine while ${p.method} was running.`, 'engine_closed'));
      return;
    }
    if (this.restarting) {
      // The start in progress sees its own call fail and carries on.
      for (const p of lost) p.reject(new EngineStopped(p.method, `The engine process stopped (${how}).`));
      return;
    }
    const caseDir = this.openCase;
    this.restarts++;
    this.ready = this.startEngine(caseDir).then(({ reopened, problem }) => {
      this.openCase = reopened;
      for (const p of lost) p.reject(new EngineStopped(p.method, stoppedMessage(p.method, how, caseDir, reopened, problem)));
      const restart: EngineRestart = { how, calls: lost.map((p) => p.method), reopened, message: stoppedMessage(lost[0]?.method ?? null, how, caseDir, reopened, problem) };
      for (const listener of this.restartListeners) listener(restart);
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What the user reads: which call stopped, and what became of the case. */
export function stoppedMessage(method: string | null, how: string, caseDir: string | null, reopened: string | null, problem: string | null): string {
  const what = method ? `while running ${method}` : 'while idle';
  const head = `The engine process stopped (${how}) ${what}.`;
  if (reopened) return `${head} The case on disk is intact: Signet restarted the engine and reopened ${reopened}.${method ? ` Run ${method} again.` : ''}`;
  if (caseDir) return `${head} Signet restarted the engine but could not reopen ${caseDir}: ${problem ?? 'unknown reason'}. The stopped call's unfinished changes are not in the case; open it again from the start screen.`;
  if (problem) return `${head} The engine could not be started again: ${problem}. Restart Signet.`;
  return `${head} No case was open; Signet restarted the engine.`;
}
