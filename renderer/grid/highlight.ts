import { SEARCH_ALIASES, type FilterState } from '../../electron/api/schemas/filter';

// Mirrors the engine's search syntax closely enough to know what to highlight: free
// words and "quoted phrases" in every column, column:term in that column only.
const ALIASES = SEARCH_ALIASES;

export interface HighlightTerms {
  any: string[];
  byColumn: Record<string, string[]>;
}

export function highlightTerms(filter: FilterState, columnNames: ReadonlySet<string>): HighlightTerms {
  const any: string[] = [];
  const byColumn: Record<string, string[]> = {};
  const add = (col: string, t: string) => (byColumn[col] ??= []).push(t);
  const re = /(-)?(?:([a-z_][a-z0-9_]*):)?(?:"([^"]*)"?|(\S+))/gi;
  for (const m of (filter.search ?? '').matchAll(re)) {
    const term = m[3] ?? m[4] ?? '';
    if (!term || m[1]) continue;
    const named = m[2]?.toLowerCase();
    const col = named ? (columnNames.has(named) ? named : ALIASES[named]) : undefined;
    if (col) add(col, term);
    else any.push(m[2] ? `${m[2]}:${term}` : term);
  }
  for (const c of filter.conditions) {
    if (c.kind === 'text' && !c.negate && c.value && ['contains', 'equals', 'startsWith', 'endsWith'].includes(c.op)) add(c.column, c.value);
  }
  return { any, byColumn };
}

/** Split text into plain and matched runs (case-insensitive), for <mark> rendering. */
export function splitMatches(text: string, terms: string[]): { text: string; hit: boolean }[] {
  const clean = terms.filter((t) => t.length > 0);
  if (!clean.length || !text) return [{ text, hit: false }];
  const lower = text.toLowerCase();
  const runs: { text: string; hit: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    let best = -1;
    let len = 0;
    for (const t of clean) {
      const at = lower.indexOf(t.toLowerCase(), i);
      if (at !== -1 && (best === -1 || at < best || (at === best && t.length > len))) {
        best = at;
        len = t.length;
      }
    }
    if (best === -1) break;
    if (best > i) runs.push({ text: text.slice(i, best), hit: false });
    runs.push({ text: text.slice(best, best + len), hit: true });
    i = best + len;
  }
  if (i < text.length) runs.push({ text: text.slice(i), hit: false });
  return runs;
}
