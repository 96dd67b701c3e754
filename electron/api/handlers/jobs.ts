import type { HandlersFor } from '../dispatch';
import type { jobsMethods } from '../methods/jobs';

export const jobsHandlers: HandlersFor<typeof jobsMethods> = {
  async liveState(_args, { engine }) {
    return { revision: engine.revision, caseDir: engine.current?.dir ?? null, caseName: engine.current?.manifest.name ?? null, jobs: engine.jobs.running(), settled: engine.jobs.settledCounts() };
  },
};
