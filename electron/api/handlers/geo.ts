import type { HandlersFor } from '../dispatch';
import type { geoMethods } from '../methods/geo';

export const geoHandlers: HandlersFor<typeof geoMethods> = {};
