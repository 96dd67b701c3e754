import { cpus, loadavg } from 'node:os';
import type { Figure } from '../benchContext';

/**
 * The targets of issue 21 ("10 million sign-ins, as fast as DuckDB itself"), stated for
 * 10M rows, of issue 18 (the investigation flow through the bridge, at 1M rows) and of
 * issue 22 (the sweep and the Excel export), and how a figure that misses one is
 * explained: by the resource that bounds it, with the measurement that shows it.
 */
interface Target {
  match: (name: string) => boolean;
  /** The figure's field compared against the limit. */
  field: 'ms' | 'ratio' | 'rssRatio' | 'maxRssMb' | 'sizeRatio';
  limit: number;
  /** Strictly below the limit (the sqlite3 peer: "faster than"). */
  strict?: boolean;
  text: string;
}

const is = (n: string) => (name: string) => name === n;
const starts = (n: string) => (name: string) => name.startsWith(n);

export const TARGETS: Target[] = [
  ...(['csv', 'ndjson'] as const).flatMap((s): Target[] => [
    { match: is(`import.${s}.signet`), field: 'ratio', limit: 1.2, text: '≤ 1.2× DuckDB’s raw read of the same file' },
    { match: is(`import.${s}.signet`), field: 'rssRatio', limit: 1.3, text: 'peak RSS ≤ 1.3× the raw read’s' },
    { match: is(`import.${s}.signet`), field: 'maxRssMb', limit: 6144, text: 'peak RSS never above 6 GB' },
    { match: is(`import.${s}.case-size`), field: 'sizeRatio', limit: 1.5, text: 'case folder ≤ 1.5× DuckDB’s own table of the same rows' },
  ]),
  { match: is('import.csv.signet-vs-sqlite3'), field: 'ratio', limit: 1, strict: true, text: 'faster than sqlite3 .import' },
  { match: is('grid.page-after-sort'), field: 'ms', limit: 50, text: 'grid page at any offset ≤ 50 ms (worst offset)' },
  { match: is('grid.page-after-sort, all columns'), field: 'ms', limit: 50, text: 'grid page at any offset ≤ 50 ms (worst offset)' },
  { match: is('grid.apply-sort'), field: 'ms', limit: 2000, text: 'applying a sort ≤ 2 s' },
  { match: is('grid.apply-filter-with-count'), field: 'ms', limit: 500, text: 'filter with count ≤ 500 ms' },
  { match: starts('grid.values-list'), field: 'ms', limit: 500, text: 'values list ≤ 500 ms' },
  { match: is('grid.global-search'), field: 'ms', limit: 1000, text: 'global search ≤ 1 s (worst term)' },
  { match: starts('timeline: view after a filter change'), field: 'ms', limit: 300, text: 'timeline view after a filter change ≤ 300 ms' },
  { match: starts('timeline: buckets after a filter change'), field: 'ms', limit: 300, text: 'timeline view after a filter change ≤ 300 ms' },
  { match: (n) => n.startsWith('geo: map aggregation, ') && !n.includes('repeat visit'), field: 'ms', limit: 300, text: 'map aggregation ≤ 300 ms' },
  { match: starts('geo: impossible travel, all users'), field: 'ms', limit: 5000, text: 'impossible travel for all users ≤ 5 s' },
  { match: starts('findings: all detectors'), field: 'ms', limit: 30_000, text: 'all detectors ≤ 30 s' },
  { match: starts('report: write HTML report'), field: 'ms', limit: 30_000, text: 'report ≤ 30 s' },
  { match: starts('custody: verify'), field: 'ratio', limit: 1.3, text: 'verify ≤ 1.3× hashing the files' },
  { match: is('reopen: ready to page'), field: 'ms', limit: 2000, text: 'reopening the case ready to page ≤ 2 s, nothing rebuilt' },
  // Issue 22: the IOC sweep at 1M rows and the Excel export of 100,000 rows.
  { match: is('sweep: 10,000 indicators'), field: 'ms', limit: 5000, text: '10,000 indicators against 1M rows ≤ 5 s' },
  { match: is('export: Excel (.xlsx) export of the view'), field: 'ms', limit: 10_000, text: 'Excel export of 100,000 rows ≤ 10 s' },
  // Issue 18, through the bridge in Chromium: from the user's action to the painted result.
  { match: starts('bridge: Findings tab first open'), field: 'ms', limit: 2000, text: 'Findings tab first open ≤ 2 s after import finishes' },
  { match: starts('bridge: map first render'), field: 'ms', limit: 1000, text: 'map first render ≤ 1 s' },
  { match: (n) => n.startsWith('bridge: ') && n.includes('to a painted grid'), field: 'ms', limit: 1000, text: '"Show rows" to a painted grid ≤ 1 s' },
  { match: starts('bridge: IP address values popover'), field: 'ms', limit: 500, text: 'IP values popover ≤ 500 ms' },
  { match: starts('bridge: around this sign-in ±5 min'), field: 'ms', limit: 500, text: '±5 min ≤ 500 ms' },
  { match: starts('bridge: group-by on user'), field: 'ms', limit: 1000, text: 'group-by on user ≤ 1 s' },
];

export interface Verdict {
  name: string;
  target: string;
  field: string;
  value: number;
  limit: number;
  met: boolean;
  why?: string;
  bound?: 'CPU' | 'disk' | 'memory' | 'Signet';
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Which resource keeps a figure from its target, from what the figure itself measured. */
function explain(f: Figure, t: Target, value: number): { why: string; bound: Verdict['bound'] } {
  const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores shared with other work`;
  const n = (k: string): number | undefined => (typeof f[k] === 'number' ? (f[k] as number) : undefined);
  if (t.field === 'ms' && Array.isArray(f.calls)) {
    // Through the bridge: the engine calls the page waited on say whether the engine or the page's own work is the cost.
    const calls = f.calls as { method: string; startMs: number; ms: number }[];
    const slowest = calls.reduce<{ method: string; ms: number } | null>((a, c) => (a && a.ms >= c.ms ? a : c), null);
    const list = calls.map((c) => `${c.method} ${c.ms} ms at +${c.startMs}`).join(', ') || 'none';
    if (slowest && slowest.ms >= t.limit * 0.8) return { bound: 'CPU', why: `the engine call ${slowest.method} alone takes ${slowest.ms} ms (engine calls: ${list}; ${load})` };
    return { bound: 'Signet', why: `the page's own work and round trips (engine calls: ${list}; ${load})` };
  }
  if (t.field === 'ms') {
    // A floor (the least DuckDB itself does for the figure) explains better than a naive baseline.
    const b = n('floorMs') ?? n('baselineMs');
    if (b !== undefined && b >= t.limit * 0.8) {
      return { bound: 'CPU', why: `the same work done raw in DuckDB takes ${Math.round(b)} ms here (${r2(b / t.limit)}× the target by itself): the query is CPU-bound on this machine (${load})` };
    }
    if (b !== undefined) return { bound: 'Signet', why: `${r2(value / b)}× the raw DuckDB baseline (${Math.round(b)} ms), which itself fits the target: Signet's own work, not the machine (${load})` };
    return { bound: 'CPU', why: `no raw baseline for this figure; ${load}` };
  }
  if (t.field === 'ratio' && f.name.startsWith('import.') && f.name !== 'import.csv.signet-vs-sqlite3') {
    const cpu = n('cpuMs');
    const bcpu = n('baselineCpuMs');
    const ms = n('ms') ?? 0;
    if (cpu !== undefined && bcpu !== undefined) {
      const busy = cpu / Math.max(1, ms);
      if (cpu > bcpu * 1.05) {
        return {
          bound: 'CPU',
          why: `Signet used ${r2(cpu / 1000)} s of CPU against the raw read's ${r2(bcpu / 1000)} s (${r2(cpu / bcpu)}×), ${r2(busy)} cores busy on average: the work beyond DuckDB's raw read (mapping to the canonical schema, hashing and indexing the evidence, numbering, dedupe, custody checksums) costs CPU on ${cpus().length} cores (${load})`,
        };
      }
      return { bound: 'disk', why: `same CPU as the raw read (${r2(cpu / 1000)} s vs ${r2(bcpu / 1000)} s) but more wall time: waiting on the disk (${load})` };
    }
  }
  if (t.field === 'ratio' && f.name === 'import.csv.signet-vs-sqlite3') {
    return { bound: 'CPU', why: `sqlite3 .import runs single-threaded with no typing, mapping or dedupe; Signet's import is ${r2(value)}× its time (${load})` };
  }
  if (t.field === 'ratio' && f.name.startsWith('custody: verify')) {
    return { bound: 'disk', why: `verify re-reads every source (${r2(n('mbPerSecond') ?? 0)} MB/s) and walks the audit chain; hashing alone took ${Math.round(n('baselineMs') ?? 0)} ms` };
  }
  if (t.field === 'rssRatio' || t.field === 'maxRssMb') {
    return { bound: 'memory', why: `peak RSS ${n('maxRssMb')} MB against the raw read's ${n('baselineRssMb')} MB` };
  }
  if (t.field === 'sizeRatio') {
    return { bound: 'disk', why: `the case stores ${n('caseMb')} MB against the raw table's ${n('baselineMb')} MB (canonical columns, row_id, provenance and the record index)` };
  }
  return { bound: 'CPU', why: load };
}

/** Every issue-21 target that applies to the figure, judged. */
export function judge(f: Figure): Verdict[] {
  const out: Verdict[] = [];
  for (const t of TARGETS) {
    if (!t.match(f.name)) continue;
    const v = f[t.field];
    if (typeof v !== 'number') continue;
    const met = t.strict ? v < t.limit : v <= t.limit;
    out.push({ name: f.name, target: t.text, field: t.field, value: v, limit: t.limit, met, ...(met ? {} : explain(f, t, v)) });
  }
  return out;
}
