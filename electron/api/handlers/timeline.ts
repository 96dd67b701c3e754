import type { HandlersFor } from '../dispatch';
import type { timelineMethods } from '../methods/timeline';
import { timelineFor } from '../../engine/timeline/timelineQuery';
import { histogram } from '../../engine/timeline/histogram';
import { laneDistinct, laneRowIds, lanes } from '../../engine/timeline/lanes';

export const timelineHandlers: HandlersFor<typeof timelineMethods> = {
  async timelineHistogram(args, { engine }) {
    return histogram(timelineFor(engine.requireCase()), args);
  },
  async timelineLanes(args, { engine }) {
    return lanes(timelineFor(engine.requireCase()), args);
  },
  async timelineLaneDistinct({ filter, range, lane }, { engine }) {
    return laneDistinct(timelineFor(engine.requireCase()), { filter, by: lane.by, value: lane.value, from: range.from, to: range.to });
  },
  async timelineRowIds({ filter, range, lane, status, limit }, { engine }) {
    return laneRowIds(timelineFor(engine.requireCase()), { filter, from: range.from, to: range.to, lane, status, limit });
  },
};
