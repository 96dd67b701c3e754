import type { MethodSpec } from '../method';

// Geo view.
export const geoMethods = {
  // methods of this capability go here
} satisfies Record<string, MethodSpec>;
