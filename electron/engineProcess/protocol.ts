import { z } from 'zod';
import { jobState } from '../engine/jobs/jobState';

/**
 * The one channel between the parent (Electron's main process, or browser mode's bridge
 * process) and the engine process. Every message is checked against these schemas on
 * arrival, on both sides; the calls inside are the API contract's own, which the engine
 * process dispatches (and validates, arguments and results) exactly as before.
 */

const transport = z.enum(['ipc', 'bridge']);

/** What the engine process starts with: the engine's options. */
export const engineInit = z.object({
  dataDir: z.string().min(1),
  appVersion: z.string(),
  mode: z.enum(['desktop', 'browser']),
});
export type EngineInit = z.infer<typeof engineInit>;

/**
 * Work only the parent asks for, never the renderer: the transports forward contract
 * methods alone, so these cannot be reached from a page.
 */
export const hostOps = {
  /** The desktop app printed the HTML report to PDF; the engine saves and audits it. */
  saveReportPdf: {
    args: z.object({ html: z.string().min(1), reportSha256: z.string(), pdf: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected the printed PDF bytes') }),
    result: z.object({ pdf: z.string(), sha256: z.string() }),
  },
};
export type HostOp = keyof typeof hostOps;

export const toHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), options: engineInit }),
  z.object({ type: z.literal('call'), id: z.number().int(), method: z.string(), args: z.unknown(), transport }),
  z.object({ type: z.literal('op'), id: z.number().int(), op: z.enum(Object.keys(hostOps) as [HostOp, ...HostOp[]]), args: z.unknown() }),
  /** Close the case (after running jobs settle) and exit. */
  z.object({ type: z.literal('close') }),
]);
export type ToHost = z.infer<typeof toHost>;

export const callOutcome = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

/** A job's state as pushed to the parent (taskbar progress), without its result. */
export const pushedJob = jobState.omit({ result: true });
export type PushedJob = z.infer<typeof pushedJob>;

export const fromHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), id: z.number().int(), outcome: callOutcome }),
  /** The case the engine has open now (it changes on open, close and when an import creates one). */
  z.object({ type: z.literal('case'), dir: z.string().nullable() }),
  /** Running jobs' progress, and each job's final state once. */
  z.object({ type: z.literal('jobs'), jobs: z.array(pushedJob) }),
]);
export type FromHost = z.infer<typeof fromHost>;
