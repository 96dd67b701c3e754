// Bucket sizes the timeline steps through as the visible span changes. A span is cut
// into the smallest size that keeps the bar count at or under TARGET_MAX_BUCKETS; the
// next size down is always 3-6x smaller, so the count never falls far below ~100.

export const BUCKET_IDS = ['1m', '5m', '15m', '1h', '6h', '1d'] as const;
export type BucketId = (typeof BUCKET_IDS)[number];

export interface BucketSize {
  id: BucketId;
  label: string;
  /** Nominal width; a zoned day or 6-hour bucket may be an hour longer or shorter across DST. */
  ms: number;
  /** DuckDB interval literal for time_bucket (a fixed vocabulary, never user text). */
  interval: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const BUCKET_SIZES: readonly BucketSize[] = [
  { id: '1m', label: '1 minute', ms: MINUTE, interval: '1 minute' },
  { id: '5m', label: '5 minutes', ms: 5 * MINUTE, interval: '5 minutes' },
  { id: '15m', label: '15 minutes', ms: 15 * MINUTE, interval: '15 minutes' },
  { id: '1h', label: '1 hour', ms: HOUR, interval: '1 hour' },
  { id: '6h', label: '6 hours', ms: 6 * HOUR, interval: '6 hours' },
  { id: '1d', label: '1 day', ms: 24 * HOUR, interval: '1 day' },
];

export const TARGET_MAX_BUCKETS = 400;

export function bucketById(id: BucketId): BucketSize {
  return BUCKET_SIZES.find((b) => b.id === id)!;
}

/** The smallest size that shows `spanMs` in at most `maxBuckets` bars (a day when nothing fits). */
export function chooseBucket(spanMs: number, maxBuckets: number = TARGET_MAX_BUCKETS): BucketSize {
  const span = Math.max(spanMs, 1);
  return BUCKET_SIZES.find((b) => span / b.ms <= maxBuckets) ?? BUCKET_SIZES[BUCKET_SIZES.length - 1]!;
}

/**
 * Every zone in use today is offset from UTC by a multiple of 15 minutes, so buckets of
 * up to 15 minutes start at the same instants in every zone and can be cut in UTC.
 */
export function isZoneIndependent(bucket: BucketSize): boolean {
  return bucket.ms <= 15 * MINUTE;
}
