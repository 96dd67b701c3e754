import type { HandlersFor } from '../dispatch';
import type { sqlMethods } from '../methods/sql';

export const sqlHandlers: HandlersFor<typeof sqlMethods> = {};
