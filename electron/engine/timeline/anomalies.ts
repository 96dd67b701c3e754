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
export const SPIKE_FACTOR = 3;
export const SPIKE_MIN_EXCESS = 5;

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Buckets standing out from their neighbourhood: at least SPIKE_FACTOR times the
 * rolling median of the SPIKE_WINDOW buckets on either side (the bucket itself left
 * out) and SPIKE_MIN_EXCESS above it. Only the peak of a run of adjacent spikes counts.
 * Largest excess first.
 */
export function findSpikes(totals: readonly number[], limit = 5): Spike[] {
  const candidates: Spike[] = [];
  for (let i = 0; i < totals.length; i++) {
    const around = [
      ...totals.slice(Math.max(0, i - SPIKE_WINDOW), i),
      ...totals.slice(i + 1, Math.min(totals.length, i + 1 + SPIKE_WINDOW)),
    ];
    if (!around.length) continue;
    const m = median(around);
    const count = totals[i]!;
    if (count >= SPIKE_FACTOR * Math.max(m, 1) && count - m >= SPIKE_MIN_EXCESS) candidates.push({ index: i, count, median: m });
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
