/**
 * What every benchmark module receives. `bench/run.ts` generates the data once, imports
 * it into a case, then calls each module in turn. Each module prints one JSON line per
 * figure through `report`, with a baseline measured in the same run and the ratio.
 */
export interface BenchContext {
  rows: number;
  /** Scratch folder for this run (deleted afterwards). */
  workDir: string;
  /** Generated portal CSV and Graph JSON of `rows` rows each. */
  csvPath: string;
  jsonPath: string;
  /** A case holding the imported portal CSV. */
  caseDir: string;
  report(figure: { name: string; ms?: number; baselineMs?: number; ratio?: number; target?: string; [k: string]: unknown }): void;
}

/** Median of n timed runs, in milliseconds. */
export async function medianMs(n: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
