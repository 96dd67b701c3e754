import type { z } from 'zod';

/** One engine method: what it takes, what it returns, and a line for humans. */
export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  args: A;
  result: R;
  doc: string;
}

export function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R, doc: string): MethodSpec<A, R> {
  return { args, result, doc };
}
