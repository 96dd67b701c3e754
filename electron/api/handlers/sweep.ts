import type { HandlersFor } from '../dispatch';
import type { sweepMethods } from '../methods/sweep';
import { listSweeps, runSweep } from '../../engine/sweep/sweep';

export const sweepHandlers: HandlersFor<typeof sweepMethods> = {
  async runSweep({ list, name, tag }, { engine }) {
    return runSweep(engine.requireCase(), list, { name, tag: tag ?? null });
  },
  async listSweeps(_args, { engine }) {
    return listSweeps(engine.requireCase());
  },
};
