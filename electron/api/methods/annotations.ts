import type { MethodSpec } from '../method';

// Tags, bookmarks and notes on rows (issue: investigate in the grid).
export const annotationsMethods = {
  // methods of this capability go here
} satisfies Record<string, MethodSpec>;
