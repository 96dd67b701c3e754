import type { HandlersFor } from '../dispatch';
import type { annotationsMethods } from '../methods/annotations';

export const annotationsHandlers: HandlersFor<typeof annotationsMethods> = {};
