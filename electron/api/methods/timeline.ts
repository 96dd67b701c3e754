import type { MethodSpec } from '../method';

// Timeline view.
export const timelineMethods = {
  // methods of this capability go here
} satisfies Record<string, MethodSpec>;
