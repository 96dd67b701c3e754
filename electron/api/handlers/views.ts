import type { HandlersFor } from '../dispatch';
import type { viewsMethods } from '../methods/views';
import type { CaseSession } from '../../engine/case/caseSession';
import { applyView, deleteView, listSavedViews, renameView, saveView } from '../../engine/savedViews/savedViews';
import { addColourRule, colourRuleCounts, deleteColourRule, listColourRules, moveColourRule, updateColourRule, type ColourRule } from '../../engine/colourRules/colourRules';
import { describeFilter } from '../../engine/export/describeFilter';

async function withCounts(session: CaseSession, rules: ColourRule[]) {
  const counts = await colourRuleCounts(session, rules);
  return rules.map((r, i) => ({ ...r, rows: counts[i] ?? 0, conditionText: describeFilter(r.condition) }));
}

export const viewsHandlers: HandlersFor<typeof viewsMethods> = {
  async listSavedViews(_args, { engine }) {
    return listSavedViews(engine.requireCase());
  },
  async saveView({ name, state }, { engine }) {
    return saveView(engine.requireCase(), name, state);
  },
  async renameView({ id, name }, { engine }) {
    return renameView(engine.requireCase(), id, name);
  },
  async deleteView({ id }, { engine }) {
    await deleteView(engine.requireCase(), id);
    return {};
  },
  async applyView({ id }, { engine }) {
    return applyView(engine.requireCase(), id);
  },
  async listColourRules(_args, { engine }) {
    const session = engine.requireCase();
    return withCounts(session, await listColourRules(session));
  },
  async addColourRule({ name, condition, colour, enabled }, { engine }) {
    const session = engine.requireCase();
    return withCounts(session, await addColourRule(session, { name, condition, colour, enabled }));
  },
  async updateColourRule({ id, name, colour, enabled }, { engine }) {
    const session = engine.requireCase();
    return withCounts(session, await updateColourRule(session, id, { name, colour, enabled }));
  },
  async moveColourRule({ id, to }, { engine }) {
    const session = engine.requireCase();
    return withCounts(session, await moveColourRule(session, id, to));
  },
  async deleteColourRule({ id }, { engine }) {
    const session = engine.requireCase();
    return withCounts(session, await deleteColourRule(session, id));
  },
};
