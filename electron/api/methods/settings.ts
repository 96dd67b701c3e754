import type { MethodSpec } from '../method';

// App settings.
export const settingsMethods = {
  // methods of this capability go here
} satisfies Record<string, MethodSpec>;
