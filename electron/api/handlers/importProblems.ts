import type { HandlersFor } from '../dispatch';
import type { importProblemsMethods } from '../methods/importProblems';
import { importProblems } from '../../engine/import/importProblems';

export const importProblemsHandlers: HandlersFor<typeof importProblemsMethods> = {
  async importProblems(_args, { engine }) {
    return importProblems(engine.requireCase());
  },
};
