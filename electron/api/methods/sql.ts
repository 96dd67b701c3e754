import type { MethodSpec } from '../method';

// SQL console.
export const sqlMethods = {
  // methods of this capability go here
} satisfies Record<string, MethodSpec>;
