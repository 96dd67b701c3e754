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

/**
 * The single entry point both transports call. Arguments are validated before a
 * handler runs and results after, so neither side can drift from the contract.
 */
export async function dispatch(table: HandlerTable, method: string, rawArgs: unknown, ctx: CallContext): Promise<CallOutcome> {
  if (typeof method !== 'string' || !isMethodName(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `Unknown method: ${String(method).slice(0, 100)}` } };
  }
  const spec = contract[method];
  const parsed = spec.args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, error: { code: 'invalid_args', message: `Invalid arguments for ${method}${where}: ${issue?.message ?? 'invalid'}` } };
  }
  try {
    const handler = table[method] as (args: unknown, ctx: CallContext) => Promise<unknown>;
    const result = await handler(parsed.data, ctx);
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
