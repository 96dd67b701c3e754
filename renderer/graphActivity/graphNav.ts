import { useSyncExternalStore } from 'react';
import type { FilterState } from '../../electron/api/schemas/filter';
import { setState } from '../state/store';

/**
 * Navigation between sign-ins and the Graph requests their tokens made: the Graph view's own
 * filter, and a request to show a view, which the app's tab bar follows.
 */
interface GraphNav {
  filter: FilterState;
  /** The view to show next; the app switches to it and clears the request. */
  show: 'grid' | 'graph' | null;
}

let nav: GraphNav = { filter: { conditions: [] }, show: null };
const listeners = new Set<() => void>();

function update(patch: Partial<GraphNav>): void {
  nav = { ...nav, ...patch };
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useGraphNav<T>(select: (n: GraphNav) => T): T {
  return useSyncExternalStore(subscribe, () => select(nav));
}

export function setGraphFilter(filter: FilterState): void {
  update({ filter });
}

export function viewShown(): void {
  update({ show: null });
}

export function resetGraphNav(): void {
  update({ filter: { conditions: [] }, show: null });
}

/** From a sign-in to the Graph requests made with its token. */
export function showGraphCallsOf(uniqueTokenIdentifier: string): void {
  update({
    filter: { conditions: [{ kind: 'text', column: 'sign_in_activity_id', op: 'equals', value: uniqueTokenIdentifier, caseSensitive: true }] },
    show: 'graph',
  });
}

/** From a Graph request to the sign-in(s) whose token made it, in the sign-in grid. */
export function showSignInsOf(rowIds: number[], requestLabel: string): void {
  setState((s) => ({
    filter: { conditions: [{ kind: 'rows', rowIds, label: `Sign-in of Graph request ${requestLabel}` }] },
    selectedRowId: rowIds[0] ?? s.selectedRowId,
  }));
  update({ show: 'grid' });
}
