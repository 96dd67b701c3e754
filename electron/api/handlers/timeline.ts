import type { HandlersFor } from '../dispatch';
import type { timelineMethods } from '../methods/timeline';

export const timelineHandlers: HandlersFor<typeof timelineMethods> = {};
