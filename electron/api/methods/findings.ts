import type { MethodSpec } from '../method';

// Findings.
export const findingsMethods = {
  // methods of this capability go here
} satisfies Record<string, MethodSpec>;
