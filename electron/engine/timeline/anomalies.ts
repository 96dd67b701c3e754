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

export const SPIKE_WINDOW = 12;
/** A spike is at least this many times its baseline… */
export const SPIKE_FACTOR = 2;
/** …and above it by this many robust standard deviations (1.4826 × MAD)… */
export const SPIKE_SIGMAS = 5;
/** …and by at least this many sign-ins. */
export const SPIKE_MIN_EXCESS = 5;

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Buckets standing out from their neighbourhood (the SPIKE_WINDOW buckets on either side,
 * the bucket itself left out): SPIKE_FACTOR times their median, and SPIKE_SIGMAS robust
 * deviations (but at least SPIKE_MIN_EXCESS) above it. The deviation term keeps the
 * ordinary working-day peaks of a daily rhythm from counting. Only the peak of a run of
 * adjacent spikes counts. Largest excess first.
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
    const m = median(around);
    const mad = median(around.map((v) => Math.abs(v - m)));
    const count = totals[i]!;
    if (count >= SPIKE_FACTOR * Math.max(m, 1) && count - m >= Math.max(SPIKE_MIN_EXCESS, SPIKE_SIGMAS * 1.4826 * mad)) {
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
