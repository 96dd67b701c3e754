import type { z } from 'zod';
import { caseMethods } from './methods/case';
import { gridMethods } from './methods/grid';
import { annotationsMethods } from './methods/annotations';
import { sqlMethods } from './methods/sql';
import { timelineMethods } from './methods/timeline';
import { geoMethods } from './methods/geo';
import { findingsMethods } from './methods/findings';
import { custodyMethods } from './methods/custody';
import { settingsMethods } from './methods/settings';
import { sweepMethods } from './methods/sweep';
import { graphActivityMethods } from './methods/graphActivity';
import { viewsMethods } from './methods/views';
import { groupingMethods } from './methods/grouping';
import { jobsMethods } from './methods/jobs';
import { importProblemsMethods } from './methods/importProblems';

/**
 * The one API between the UI and the engine. Every method the renderer can call is
 * listed here (grouped by capability); both transports (Electron IPC and the loopback
 * HTTP bridge) validate against it and dispatch into the same handler table.
 */
export const contract = {
  ...caseMethods,
  ...gridMethods,
  ...annotationsMethods,
  ...sqlMethods,
  ...timelineMethods,
  ...geoMethods,
  ...findingsMethods,
  ...custodyMethods,
  ...settingsMethods,
  ...sweepMethods,
  ...graphActivityMethods,
  ...viewsMethods,
  ...groupingMethods,
  ...jobsMethods,
  ...importProblemsMethods,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
export type ParsedArgsOf<M extends MethodName> = z.output<Contract[M]['args']>;
export type ResultOf<M extends MethodName> = z.output<Contract[M]['result']>;

/** What the renderer sees: one async function per method. */
export type SignetApi = { [M in MethodName]: (args: ArgsOf<M>) => Promise<ResultOf<M>> };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Envelope both transports use on the wire. */
export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };
