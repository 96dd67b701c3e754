import type { HandlersFor } from '../dispatch';
import type { custodyMethods } from '../methods/custody';

export const custodyHandlers: HandlersFor<typeof custodyMethods> = {};
