/**
 * What every benchmark module receives. `bench/run.ts` generates (or takes from its cache)
 * the inputs once, imports them into a case, then calls each module in turn. Each module
 * prints one JSON line per figure through `report`, with a baseline measured in the same
 * run and the ratio; run.ts adds the target, whether it is met and, if not, why.
 */
export interface BenchContext {
  /** Rows of the portal CSV the case was imported from. */
  rows: number;
  /** Rows of the Graph NDJSON (may be fewer than `rows`: `--ndjson-rows`). */
  ndjsonRows: number;
  /** Scratch folder for this run (deleted afterwards unless --keep). */
  workDir: string;
  /** Generated portal CSV and Graph NDJSON (null when not part of this run). */
  csvPath: string | null;
  ndjsonPath: string | null;
  /** A case holding the imported portal CSV. */
  caseDir: string;
  /** Runs of each import measurement (the best is kept). */
  rounds: number;
  /** Measure the sqlite3 and papaparse peers of the CSV import. */
  peers: boolean;
  report(figure: Figure): void;
}

export interface Figure {
  name: string;
  ms?: number;
  baselineMs?: number;
  ratio?: number;
  target?: string;
  [k: string]: unknown;
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
