// Spikes and gaps on the dense bucket series the histogram already computed: nothing
// here reads the database, so the rules are plain and unit-tested.

export interface Spike {
  index: number;
  count: number;
  /** Median of the surrounding buckets (the baseline the spike is measured against). */
  median: number;
}

export interface GapCandidate {
  /** Last non-empty bucket before the gap, first non-empty bucket after it. */
  before: number;
  after: number;
}

export const SPIKE_WINDOW = 24;
/** A spike is at least this many times its baseline… */
export const SPIKE_FACTOR = 2;
/** …and this many times the 90th percentile of its neighbourhood… */
export const SPIKE_P90_FACTOR = 1.5;
/** …and by at least this many sign-ins. */
export const SPIKE_MIN_EXCESS = 5;

function median(sorted: number[]): number {
  if (!sorted.length) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0;
}

/**
 * Buckets standing out from their neighbourhood (the SPIKE_WINDOW buckets on either side,
 * the bucket itself left out): SPIKE_FACTOR times their median, SPIKE_P90_FACTOR times
 * their 90th percentile and SPIKE_MIN_EXCESS above the median. The percentile term keeps
 * the ordinary working-day peaks of a daily rhythm from counting. Only the peak of a run
 * of adjacent spikes counts. Largest excess over the median first.
 */
export function findSpikes(totals: readonly number[], limit = 5): Spike[] {
  const candidates: Spike[] = [];
  for (let i = 0; i < totals.length; i++) {
    // The 2 × SPIKE_WINDOW nearest buckets; at either end the window slides inward
    // rather than shrinking, so the first and last buckets get a fair baseline.
    const lo = Math.max(0, Math.min(i - SPIKE_WINDOW, totals.length - 1 - 2 * SPIKE_WINDOW));
    const hi = Math.min(totals.length, lo + 2 * SPIKE_WINDOW + 1);
    const around = [...totals.slice(lo, i), ...totals.slice(i + 1, hi)];
    if (!around.length) continue;
    around.sort((a, b) => a - b);
    const m = median(around);
    const count = totals[i]!;
    if (count >= SPIKE_FACTOR * Math.max(m, 1) && count >= SPIKE_P90_FACTOR * percentile(around, 0.9) && count - m >= SPIKE_MIN_EXCESS) {
      candidates.push({ index: i, count, median: m });
    }
  }
  const peaks = candidates.filter((c) => {
    const left = candidates.find((o) => o.index === c.index - 1);
    const right = candidates.find((o) => o.index === c.index + 1);
    return !(left && left.count > c.count) && !(right && right.count >= c.count);
  });
  return peaks.sort((a, b) => b.count - b.median - (a.count - a.median) || a.index - b.index).slice(0, limit);
}

/**
 * Runs of at least `minEmpty` empty buckets between two non-empty ones, longest first
 * (by bucket boundaries; the caller refines them to the exact last/first sign-in).
 */
export function findGapCandidates(totals: readonly number[], starts: readonly number[], ends: readonly number[], limit = 3, minEmpty = 3): GapCandidate[] {
  const out: (GapCandidate & { span: number })[] = [];
  let prev = -1;
  for (let i = 0; i < totals.length; i++) {
    if (totals[i]! <= 0) continue;
    if (prev >= 0 && i - prev - 1 >= minEmpty) out.push({ before: prev, after: i, span: starts[i]! - ends[prev]! });
    prev = i;
  }
  return out
    .sort((a, b) => b.span - a.span || a.before - b.before)
    .slice(0, limit)
    .map(({ before, after }) => ({ before, after }));
}
