import { useSyncExternalStore } from 'react';
import type { GroupColumn } from '../../electron/api/methods/grouping';

/**
 * How the sign-in grid is grouped (null: not grouped). Kept apart from the filter: a group
 * made the filter keeps the grouping, and a saved view can store and restore it as is.
 */
export type GroupSortKey = 'rows' | 'failures' | 'first' | 'last' | 'key0' | 'key1';
export interface Grouping {
  /** One or two allow-listed columns (GROUP_COLUMNS). */
  by: GroupColumn[];
  sort: { key: GroupSortKey; dir: 'asc' | 'desc' };
}

let grouping: Grouping | null = null;
const listeners = new Set<() => void>();

export function getGrouping(): Grouping | null {
  return grouping;
}

export function setGrouping(next: Grouping | null): void {
  grouping = next;
  for (const l of listeners) l();
}

export function useGrouping(): Grouping | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => grouping,
  );
}
