import { useSyncExternalStore } from 'react';
import type { Condition, FilterState } from '../../electron/api/schemas/filter';
import { getState, setState, subscribe } from '../state/store';

/**
 * Where the user is (the open view) and how they got there (filter history). Following a
 * lead from any view goes to the sign-in grid with exactly the lead's rows; Back and
 * Forward step through every earlier filter, chips and search included.
 */

type Listener = () => void;
const listeners = new Set<Listener>();
const notify = () => {
  for (const l of listeners) l();
};

function useNav<T>(read: () => T): T {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    read,
  );
}

// ---- The open view ----------------------------------------------------------------

let view = 'grid';

export function currentView(): string {
  return view;
}

export function showView(id: string): void {
  if (id === view) return;
  view = id;
  notify();
}

export function useView(): string {
  return useNav(() => view);
}

// ---- Filter history ---------------------------------------------------------------

const back: FilterState[] = [];
const forward: FilterState[] = [];
let current: FilterState = getState().filter;
let restoring = false;
/** Typing a search changes the filter every pause; a run of such edits is one step. */
let lastSearchEditAt = 0;
const SEARCH_RUN_MS = 2500;
const MAX_STEPS = 100;
let counts = { back: 0, forward: 0 };

const sameConditions = (a: FilterState, b: FilterState) => JSON.stringify(a.conditions) === JSON.stringify(b.conditions);
const sameFilter = (a: FilterState, b: FilterState) => sameConditions(a, b) && (a.search ?? '') === (b.search ?? '');

function publish(): void {
  if (counts.back === back.length && counts.forward === forward.length) return;
  counts = { back: back.length, forward: forward.length };
  notify();
}

subscribe(() => {
  const next = getState().filter;
  if (next === current) return;
  const prev = current;
  current = next;
  if (restoring || sameFilter(prev, next)) return;
  const searchOnly = sameConditions(prev, next);
  const now = Date.now();
  const continuesRun = searchOnly && now - lastSearchEditAt < SEARCH_RUN_MS && back.length > 0;
  lastSearchEditAt = searchOnly ? now : 0;
  if (!continuesRun) {
    back.push(prev);
    if (back.length > MAX_STEPS) back.shift();
  }
  forward.length = 0;
  publish();
});

function restore(f: FilterState): void {
  restoring = true;
  try {
    setState({ filter: f });
  } finally {
    restoring = false;
  }
  lastSearchEditAt = 0;
}

/** Back to the filter before the last change (false when there is none). */
export function filterBack(): boolean {
  const prev = back.pop();
  if (!prev) return false;
  forward.push(current);
  restore(prev);
  publish();
  return true;
}

export function filterForward(): boolean {
  const next = forward.pop();
  if (!next) return false;
  back.push(current);
  restore(next);
  publish();
  return true;
}

/** A new case starts with no history. */
export function clearFilterHistory(): void {
  back.length = 0;
  forward.length = 0;
  current = getState().filter;
  lastSearchEditAt = 0;
  publish();
}

export function useFilterHistory(): { back: number; forward: number } {
  return useNav(() => counts);
}

// ---- Following a lead -------------------------------------------------------------

/** What a lead (a finding, a cluster, a bucket, a query result) stands for: its own rows. */
export interface Lead {
  conditions: Condition[];
  /** A lead narrowed from the current view (a group of it) keeps its search. */
  search?: string;
}

/**
 * Show a lead's rows in the grid. `replace` (the default) makes the lead the whole filter,
 * so a chip or search left from earlier cannot hide its rows; `add` ANDs it with the
 * current filter, replacing an earlier condition of the same finding or column.
 */
export function followLead(lead: Lead, mode: 'replace' | 'add' = 'replace'): void {
  if (mode === 'replace') {
    setState({ filter: { conditions: lead.conditions, ...(lead.search ? { search: lead.search } : {}) } });
  } else {
    setState((s) => {
      const replaced = (x: Condition) =>
        lead.conditions.some(
          (c) =>
            (c.kind === 'finding' && x.kind === 'finding') ||
            (c.kind === 'rows' && x.kind === 'rows' && (c.label ?? '') !== '' && (x.label ?? '').split(':')[0] === (c.label ?? '').split(':')[0]) ||
            (c.kind === x.kind && 'column' in c && 'column' in x && c.column === x.column),
        );
      return { filter: { ...s.filter, conditions: [...s.filter.conditions.filter((x) => !replaced(x)), ...lead.conditions] } };
    });
  }
  showView('grid');
}

/** Alt+← / Alt+→ anywhere in the app step through the filter history. */
export function historyKey(e: KeyboardEvent): boolean {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
  if (e.key === 'ArrowLeft') return filterBack() || true;
  if (e.key === 'ArrowRight') return filterForward() || true;
  return false;
}

// ---- Handing a query to the SQL console -------------------------------------------

let consoleDraft: string | null = null;

/** Open the SQL console with this text in the editor, ready to run (nothing runs by itself). */
export function openInConsole(sql: string): void {
  consoleDraft = sql;
  if (view === 'sql') notify();
  showView('sql');
}

/** The text handed to the console, once. */
export function takeConsoleDraft(): string | null {
  const d = consoleDraft;
  consoleDraft = null;
  return d;
}
