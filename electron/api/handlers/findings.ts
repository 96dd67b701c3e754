import type { HandlersFor } from '../dispatch';
import type { findingsMethods } from '../methods/findings';

export const findingsHandlers: HandlersFor<typeof findingsMethods> = {};
