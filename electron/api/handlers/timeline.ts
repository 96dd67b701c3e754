import type { HandlersFor } from '../dispatch';
import type { timelineMethods } from '../methods/timeline';
import { timelineFor } from '../../engine/timeline/timelineQuery';
import { histogram } from '../../engine/timeline/histogram';
import { laneDistinct, laneRowIds, lanes } from '../../engine/timeline/lanes';
import { listColourRules, ruleIndexForRows } from '../../engine/colourRules/colourRules';

export const timelineHandlers: HandlersFor<typeof timelineMethods> = {
  async timelineHistogram(args, { engine }) {
    return histogram(timelineFor(engine.requireCase()), args);
  },
  async timelineLanes(args, { engine }) {
    const session = engine.requireCase();
    const result = await lanes(timelineFor(session), args);
    // Marks of one sign-in take the colour rules' colours, as the grid's rows do.
    const m = result.marks;
    const rules = await listColourRules(session);
    const single = m.rowId.filter((_, i) => m.n[i] === 1);
    const idx = await ruleIndexForRows(session, rules, single);
    const rule = m.rowId.map((id, i) => (m.n[i] === 1 ? (idx.get(id) ?? -1) : -1));
    return { ...result, marks: { ...m, rule }, colourRules: rules.map((r) => ({ name: r.name, colour: r.colour })) };
  },
  async timelineLaneDistinct({ filter, range, lane }, { engine }) {
    return laneDistinct(timelineFor(engine.requireCase()), { filter, by: lane.by, value: lane.value, from: range.from, to: range.to });
  },
  async timelineRowIds({ filter, range, lane, status, limit }, { engine }) {
    return laneRowIds(timelineFor(engine.requireCase()), { filter, from: range.from, to: range.to, lane, status, limit });
  },
};
