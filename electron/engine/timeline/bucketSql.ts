import type { SqlParam } from '../db/database';
import { isZoneIndependent, type BucketSize } from './buckets';
import type { Zone } from './timeZone';

/** 15 minutes: every zone's offset is a multiple of it, so a zoned bucket is a union of these. */
export const FINE_MS = 15 * 60_000;

/**
 * Bucketing is done in two steps so that zoned buckets stay cheap. Step one groups the
 * rows by an integer division of epoch milliseconds (fast, no time-zone work per row).
 * Step two maps those few thousand fine groups onto the display zone's wall clock (see
 * zonedBucketStart); per-row zone conversion is two orders of magnitude slower on a
 * million rows. Buckets of 15 minutes or less, and any
 * bucket in UTC, are already exact after step one.
 */
export interface BucketSql {
  /** The fine bucket start (epoch ms, BIGINT) of an epoch-ms expression, by default of `time_utc`. */
  fine(msExpr?: string): string;
  /** Over a column holding a fine bucket: the display bucket start, epoch ms. */
  coarse(fineColumn: string): { sql: string; params: SqlParam[] };
  /** True when `fine` already is the display bucket. */
  exactInUtc: boolean;
}

export function bucketSql(bucket: BucketSize, zone: Zone): BucketSql {
  const exactInUtc = zone.isUtc || isZoneIndependent(bucket);
  const step = exactInUtc ? bucket.ms : FINE_MS;
  return {
    fine: (msExpr = 'epoch_ms(time_utc)') => `((${msExpr} // ${step}) * ${step})`,
    exactInUtc,
    coarse(fineColumn) {
      if (exactInUtc) return { sql: fineColumn, params: [] };
      return zonedBucketStart(bucket, `epoch_ms(${fineColumn}) AT TIME ZONE 'UTC'`, zone);
    },
  };
}

/** The range predicate every timeline query adds (half-open, epoch ms; lets DuckDB skip row groups). */
export function rangeSql(from: number, to: number): { sql: string; params: SqlParam[] } {
  return { sql: `time_utc >= epoch_ms(CAST(? AS BIGINT)) AND time_utc < epoch_ms(CAST(? AS BIGINT))`, params: [from, to] };
}

/**
 * The instant (epoch ms) where the display-zone bucket holding `tstz` starts. The bucket is
 * cut on the zone's wall clock: TIMESTAMPTZ → local naive time (timezone(zone, tstz)),
 * naive time_bucket, and back to an instant (timezone(zone, naive)). ICU's own
 * time_bucket(interval, tstz, zone) counts sub-day widths in absolute time from a winter
 * origin, which puts 6-hour buckets at 01:00/07:00 local during summer time.
 * time_utc is a naive UTC TIMESTAMP, so callers pass `… AT TIME ZONE 'UTC'` (read as UTC).
 */
export function zonedBucketStart(bucket: BucketSize, tstz: string, zone: Zone): { sql: string; params: SqlParam[] } {
  return {
    sql: `epoch_ms(timezone(CAST(? AS VARCHAR), time_bucket(INTERVAL '${bucket.interval}', timezone(CAST(? AS VARCHAR), ${tstz}))))`,
    params: [zone.name, zone.name],
  };
}
