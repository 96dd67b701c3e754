import { contract, isMethodName, type CallOutcome, type MethodName, type ParsedArgsOf, type ResultOf } from './contract';
import type { Engine } from '../engine/engine';
import { UserError } from '../engine/errors';

export { UserError };

export interface CallContext {
  engine: Engine;
  transport: 'ipc' | 'bridge';
}

export type Handler<M extends MethodName> = (args: ParsedArgsOf<M>, ctx: CallContext) => Promise<ResultOf<M>>;
export type HandlerTable = { [M in MethodName]: Handler<M> };
/** The handlers of one capability: exactly the methods its contract section lists. */
export type HandlersFor<T> = { [M in keyof T & MethodName]: Handler<M> };

export type Transport = CallContext['transport'];

/**
 * Where a transport sends a call: the handler table in this process, or the engine's own
 * process (engineProcess/client.ts). Both answer with the same envelope.
 */
export type CallTarget = (method: string, rawArgs: unknown, transport: Transport) => Promise<CallOutcome>;

/** A call target that runs the handlers here, in this process (tests, the CLI). */
export function inProcessTarget(table: HandlerTable, context: Omit<CallContext, 'transport'>): CallTarget {
  return (method, rawArgs, transport) => dispatch(table, method, rawArgs, { ...context, transport });
}

/**
 * What a transport is given: a call target (the app: the engine process's client), or a
 * handler table and context to run in this process (tests).
 */
export type CallRoute = { target: CallTarget } | { table: HandlerTable; context: Omit<CallContext, 'transport'> };

export function targetOf(route: CallRoute): CallTarget {
  return 'target' in route ? route.target : inProcessTarget(route.table, route.context);
}

/**
 * The contract's check of a call's method and arguments, as `dispatch` does it first; the
 * engine client runs the same check before anything crosses to the engine process.
 */
export function checkCall(method: string, rawArgs: unknown): { ok: true; method: MethodName; args: unknown } | Extract<CallOutcome, { ok: false }> {
  if (typeof method !== 'string' || !isMethodName(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `Unknown method: ${String(method).slice(0, 100)}` } };
  }
  const parsed = contract[method].args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, error: { code: 'invalid_args', message: `Invalid arguments for ${method}${where}: ${issue?.message ?? 'invalid'}` } };
  }
  return { ok: true, method, args: parsed.data };
}

/**
 * The single entry point both transports call. Arguments are validated before a
 * handler runs and results after, so neither side can drift from the contract.
 */
export async function dispatch(table: HandlerTable, method: string, rawArgs: unknown, ctx: CallContext): Promise<CallOutcome> {
  const checked = checkCall(method, rawArgs);
  if (!checked.ok) return checked;
  return runChecked(table, checked.method, checked.args, ctx);
}

async function runChecked(table: HandlerTable, method: MethodName, args: unknown, ctx: CallContext): Promise<CallOutcome> {
  const spec = contract[method];
  try {
    const handler = table[method] as (args: unknown, ctx: CallContext) => Promise<unknown>;
    const result = await handler(args, ctx);
    const checked = spec.result.safeParse(result);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return {
        ok: false,
        error: { code: 'invalid_result', message: `Engine returned an invalid result for ${method} at ${issue?.path.join('.')}: ${issue?.message}` },
      };
    }
    return { ok: true, result: checked.data };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, error: { code: err.code, message: err.message } };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: 'engine_error', message } };
  }
}
