import { useSyncExternalStore } from 'react';
import type { Condition, FilterState, SortSpec } from '../../electron/api/schemas/filter';

/**
 * The app's one shared state: the filter (grid, timeline, map and findings all read and
 * write it), the sort, the selected row and the display time zone.
 */
export interface AppState {
  filter: FilterState;
  sort: SortSpec;
  selectedRowId: number | null;
  /** 'UTC', 'local', or an IANA zone name. */
  timeZone: string;
  /** Bumped when the case's data changes (import, tags), so views refetch. */
  dataVersion: number;
}

const TIME_ZONE_KEY = 'signet.timeZone';

function storedTimeZone(): string {
  try {
    const z = globalThis.localStorage?.getItem(TIME_ZONE_KEY);
    if (!z) return 'UTC';
    if (z !== 'local') new Intl.DateTimeFormat('en-US', { timeZone: z });
    return z;
  } catch {
    return 'UTC';
  }
}

const initial: AppState = {
  filter: { conditions: [] },
  sort: [{ column: 'time_utc', dir: 'desc' }],
  selectedRowId: null,
  timeZone: storedTimeZone(),
  dataVersion: 0,
};

let state: AppState = initial;
const listeners = new Set<() => void>();

export function getState(): AppState {
  return state;
}

export function setState(patch: Partial<AppState> | ((s: AppState) => Partial<AppState>)): void {
  const next = typeof patch === 'function' ? patch(state) : patch;
  state = { ...state, ...next };
  for (const l of listeners) l();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useAppState<T>(select: (s: AppState) => T): T {
  return useSyncExternalStore(subscribe, () => select(state));
}

/** Add a condition, replacing an earlier one of the same kind on the same column. */
export function addCondition(c: Condition, replaceSameColumn = false): void {
  setState((s) => {
    const keep = s.filter.conditions.filter(
      (x) => !(replaceSameColumn && x.kind === c.kind && 'column' in x && 'column' in c && x.column === c.column),
    );
    return { filter: { ...s.filter, conditions: [...keep, c] } };
  });
}

/** One time zone for the whole app, remembered across sessions. */
export function setTimeZone(zone: string): void {
  try {
    globalThis.localStorage?.setItem(TIME_ZONE_KEY, zone);
  } catch {
    // Storage can be unavailable (private mode); the choice still applies to this session.
  }
  setState({ timeZone: zone });
}

export function replaceCondition(index: number, c: Condition): void {
  setState((s) => ({ filter: { ...s.filter, conditions: s.filter.conditions.map((x, i) => (i === index ? c : x)) } }));
}

export function setSearch(search: string): void {
  setState((s) => ({ filter: { ...s.filter, search: search.trim() ? search : undefined } }));
}

/** The case's data changed (tags, notes, import): views refetch. */
export function bumpDataVersion(): void {
  setState((s) => ({ dataVersion: s.dataVersion + 1 }));
}

export function removeCondition(index: number): void {
  setState((s) => ({ filter: { ...s.filter, conditions: s.filter.conditions.filter((_, i) => i !== index) } }));
}

export function clearFilter(): void {
  setState({ filter: { conditions: [] } });
}

export function resetForNewCase(): void {
  setState((s) => ({ ...initial, timeZone: s.timeZone, dataVersion: s.dataVersion + 1 }));
}
