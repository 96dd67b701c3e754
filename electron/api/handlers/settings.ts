import type { HandlersFor } from '../dispatch';
import type { settingsMethods } from '../methods/settings';

export const settingsHandlers: HandlersFor<typeof settingsMethods> = {};
