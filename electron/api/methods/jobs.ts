import { z } from 'zod';
import { method } from '../method';
import { jobState } from '../../engine/jobs/jobState';

export const liveState = z.object({
  /** Changes when another case is open or an import into it ended: views drawn from an older one re-query. */
  revision: z.number().int(),
  /** The open case's folder, or null. */
  caseDir: z.string().nullable(),
  /** The open case's name, so a rename shows in every window without redrawing its views. */
  caseName: z.string().nullable(),
  /** Every job still running, whoever started it (this window, another one, or the command line). */
  jobs: z.array(jobState),
  /** How many jobs of each kind have settled: a view fed by one kind (findings) reloads when its count moves. */
  settled: z.record(z.string(), z.number().int()),
});

export type LiveState = z.infer<typeof liveState>;

// What every window polls, so that none shows a stale case or misses a job another one started.
export const jobsMethods = {
  liveState: method(z.object({}), liveState, 'The running jobs with their progress, and the case revision that changes when views must re-query.'),
};
