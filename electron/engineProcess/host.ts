import { dispatch, type HandlerTable } from '../api/dispatch';
import { Engine } from '../engine/engine';
import { SettingsAwareEngine } from '../engine/settings/settingsAwareEngine';
import { savePrintedReport } from '../engine/report/savePrintedReport';
import { fromHost, hostOps, toHost, type EngineInit, type FromHost, type PushedJob, type ToHost } from './protocol';
import type { CallOutcome } from '../api/contract';

/** The engine process's end of the channel (process.parentPort, Node's process IPC, or a test's loopback). */
export interface HostPort {
  post(message: FromHost): void;
  onMessage(listener: (message: unknown) => void): void;
  exit(code: number): void;
}

export interface EngineHostOptions {
  table: HandlerTable;
  /** The engine to run; the app's own (case folder and DuckDB settings from the user's settings) by default. */
  makeEngine?(options: EngineInit): Engine;
  /** How often running jobs' progress is pushed to the parent. */
  jobPushMs?: number;
}

export interface EngineHost {
  /** The engine, once `init` has arrived (tests look inside). */
  readonly engine: Engine | null;
}

function jobIdOf(outcome: CallOutcome): string | null {
  if (!outcome.ok || typeof outcome.result !== 'object' || outcome.result === null) return null;
  const id = (outcome.result as { jobId?: unknown }).jobId;
  return typeof id === 'string' ? id : null;
}

/**
 * The engine process: it owns the engine (and so the open case and its case.lock) and
 * answers the parent's calls by dispatching them into the one handler table. Besides the
 * replies it pushes what the parent shows without asking: which case is open, and the
 * progress of running jobs.
 */
export function serveEngine(port: HostPort, opts: EngineHostOptions): EngineHost {
  let engine: Engine | null = null;
  let lastCase: string | null | undefined;
  const watched = new Set<string>();
  let timer: ReturnType<typeof setInterval> | null = null;

  const post = (message: FromHost) => port.post(fromHost.parse(message));

  const pushCase = () => {
    const dir = engine?.current?.dir ?? null;
    if (dir === lastCase) return;
    lastCase = dir;
    post({ type: 'case', dir });
  };

  const pushJobs = () => {
    if (!engine) return;
    const jobs: PushedJob[] = [];
    for (const id of watched) {
      const state = engine.jobs.status(id);
      if (!state) {
        watched.delete(id);
        continue;
      }
      const { result: _result, ...rest } = state;
      jobs.push(rest);
      if (state.state !== 'running') watched.delete(id);
    }
    // An import may have created (and so opened) a case of its own.
    pushCase();
    if (jobs.length) post({ type: 'jobs', jobs });
    if (!watched.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };

  const watch = (jobId: string) => {
    watched.add(jobId);
    pushJobs();
    timer ??= setInterval(pushJobs, opts.jobPushMs ?? 300);
  };

  const reply = (id: number, outcome: CallOutcome) => {
    pushCase();
    post({ type: 'reply', id, outcome });
  };

  const handle = async (message: ToHost) => {
    if (message.type === 'init') {
      engine ??= opts.makeEngine ? opts.makeEngine(message.options) : new SettingsAwareEngine(message.options);
      pushCase();
      return;
    }
    if (message.type === 'close') {
      const session = engine?.current;
      engine?.close();
      if (session) await session.db.closed;
      port.exit(0);
      return;
    }
    if (!engine) return reply(message.id, { ok: false, error: { code: 'engine_not_ready', message: 'The engine process was not initialised.' } });
    if (message.type === 'call') {
      const outcome = await dispatch(opts.table, message.method, message.args, { engine, transport: message.transport });
      const jobId = jobIdOf(outcome);
      // Pushed before the reply: the parent knows the job by the time it learns its id.
      if (jobId) watch(jobId);
      return reply(message.id, outcome);
    }
    const spec = hostOps[message.op];
    const args = spec.args.safeParse(message.args);
    if (!args.success) return reply(message.id, { ok: false, error: { code: 'invalid_args', message: `Invalid arguments for ${message.op}: ${args.error.issues[0]?.message}` } });
    try {
      const session = engine.requireCase();
      const result = await savePrintedReport(session, args.data.html, args.data.reportSha256, args.data.pdf);
      reply(message.id, { ok: true, result: spec.result.parse(result) });
    } catch (err) {
      reply(message.id, { ok: false, error: { code: 'engine_error', message: err instanceof Error ? err.message : String(err) } });
    }
  };

  port.onMessage((raw) => {
    const parsed = toHost.safeParse(raw);
    if (!parsed.success) {
      // Not a message of the protocol: nothing to answer, and nothing is run.
      console.error(`Signet engine: ignored a malformed message (${parsed.error.issues[0]?.message})`);
      return;
    }
    void handle(parsed.data);
  });

  return {
    get engine() {
      return engine;
    },
  };
}
