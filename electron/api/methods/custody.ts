import type { MethodSpec } from '../method';

// Chain of custody: audit log, verify, report, Parquet.
export const custodyMethods = {
  // methods of this capability go here
} satisfies Record<string, MethodSpec>;
