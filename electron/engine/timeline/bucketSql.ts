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

export function bucketSql(bucket: BucketSize, zone: Zone, fineMs: number = FINE_MS): BucketSql {
  const exactInUtc = zone.isUtc || isZoneIndependent(bucket);
  const step = exactInUtc ? bucket.ms : fineMs;
  return {
    fine: (msExpr = 'epoch_ms(time_utc)') => `((${msExpr} // ${step}) * ${step})`,
    exactInUtc,
    coarse(fineColumn) {
      if (exactInUtc) return { sql: fineColumn, params: [] };
      return zonedBucketStart(bucket, `epoch_ms(${fineColumn}) AT TIME ZONE 'UTC'`, zone);
    },
  };
}

const HOUR_MS = 60 * 60_000;

/**
 * The fine step for a zoned bucket over [from, to): a whole hour when every offset the
 * zone uses in that span is a whole number of hours (most zones, most of the time), so
 * step one groups four times fewer cells; else FINE_MS. Run on `run`'s connection.
 */
export async function fineStepFor(
  run: (sql: string, params?: SqlParam[]) => Promise<Record<string, unknown[]>>,
  bucket: BucketSize,
  zone: Zone,
  from: number,
  to: number,
): Promise<number> {
  if (zone.isUtc || isZoneIndependent(bucket) || bucket.ms < HOUR_MS) return FINE_MS;
  // Hourly samples see every offset in force for an hour or more; no zone changes offset
  // twice within an hour, and the span's edges are sampled too.
  const r = await run(
    `SELECT bool_and((epoch_ms(timezone(CAST(? AS VARCHAR), g)) - epoch_ms(g)) % ${HOUR_MS} = 0) AS whole
     FROM (SELECT unnest(generate_series(to_timestamp(CAST(? AS BIGINT) / 1000), to_timestamp(CAST(? AS BIGINT) / 1000), INTERVAL 1 HOUR)) AS g
           UNION ALL SELECT to_timestamp(CAST(? AS BIGINT) / 1000))`,
    [zone.name, from - bucket.ms, to + bucket.ms, to + bucket.ms],
  );
  return r.whole?.[0] === true ? HOUR_MS : FINE_MS;
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
