import type { Engine } from '../engine';

/** Generate the demo evidence files and import them into a fresh demo case. */
export function startDemoJob(engine: Engine, rows: number): string {
  return engine.jobs.start('demo', async () => {
    throw new Error(`Demo generator not available yet (${rows} rows requested)`);
  });
}
