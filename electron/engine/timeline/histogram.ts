import type { FilterState } from '../../api/schemas/filter';
import type { JsonRow, SqlParam } from '../db/database';
import { SIGNINS_TABLE } from '../schema/canonical';
import { whereSql } from '../query/filterSql';
import { bucketById, chooseBucket, type BucketId, type BucketSize } from './buckets';
import { bucketSql, rangeSql, FINE_MS } from './bucketSql';
import { DIMENSION_COLUMN, keyIndexSql, STATUS_CODE_SQL, STATUS_VALUES, type StackBy } from './dimensions';
import { findGapCandidates, findSpikes } from './anomalies';
import type { TimelineQuery } from './timelineQuery';
import type { Zone } from './timeZone';

export interface HistogramRequest {
  filter: FilterState;
  timeZone: string;
  /** Visible window, epoch ms, half-open; the whole filtered extent when absent. */
  range?: { from: number; to: number } | undefined;
  stackBy: StackBy;
  /** Series for top-N stacking (users, IPs, apps, countries); log types use at most 8. */
  topN: number;
  /** Force a bucket size instead of choosing one from the span. */
  bucket?: BucketId | undefined;
}

export interface HistogramSeries {
  key: string | null;
  label: string;
  kind: 'value' | 'other';
}

export interface Histogram {
  zone: string;
  extent: { from: number; to: number } | null;
  /** Sign-ins under the filter, and those of them without a time (not on the timeline). */
  total: number;
  undated: number;
  bucket: { id: BucketId; label: string; ms: number };
  /** The window the buckets cover: the first bucket's start to the last one's end. */
  window: { from: number; to: number } | null;
  starts: number[];
  ends: number[];
  series: HistogramSeries[];
  /** counts[series][bucket]. */
  counts: number[][];
  spikes: { start: number; end: number; count: number; median: number }[];
  gaps: { from: number; to: number }[];
  tagged: { start: number; end: number; count: number }[];
  findings: { start: number; end: number; count: number }[];
}

const LOG_TYPE_SERIES = 8;

/** Bucket starts covering [from, to) in the display zone, plus the end of the last one. */
async function denseBuckets(
  run: (sql: string, params?: SqlParam[]) => Promise<JsonRow[]>,
  bucket: BucketSize,
  zone: Zone,
  from: number,
  to: number,
): Promise<{ starts: number[]; ends: number[] }> {
  const b = bucketSql(bucket, zone);
  let bounds: number[];
  if (b.exactInUtc) {
    bounds = [];
    for (let t = Math.floor(from / bucket.ms) * bucket.ms; t < to + bucket.ms; t += bucket.ms) bounds.push(t);
  } else {
    // Zoned hour/6-hour/day buckets vary in length across DST, so ICU lists them:
    // every step lands in each bucket at least once because no bucket is shorter than it.
    const step = bucket.ms <= 60 * 60_000 ? FINE_MS : 60 * 60_000;
    const rows = await run(
      `SELECT DISTINCT epoch_ms(time_bucket(INTERVAL '${bucket.interval}', g, CAST(? AS VARCHAR))) AS s
       FROM generate_series(to_timestamp(CAST(? AS BIGINT) / 1000), to_timestamp(CAST(? AS BIGINT) / 1000), INTERVAL '${step / 60_000} minutes') t(g)
       ORDER BY s`,
      [zone.name, from - 2 * bucket.ms, to + 2 * bucket.ms],
    );
    bounds = rows.map((r) => Number(r.s));
  }
  // Keep the bucket holding `from` through the one holding `to - 1`, and one bound past it.
  let first = 0;
  while (first + 1 < bounds.length && bounds[first + 1]! <= from) first++;
  let last = first;
  while (last + 1 < bounds.length && bounds[last + 1]! < to) last++;
  const starts = bounds.slice(first, last + 1);
  const ends = bounds.slice(first + 1, last + 2);
  if (ends.length < starts.length) ends.push(starts[starts.length - 1]! + bucket.ms);
  return { starts, ends };
}

async function seriesFor(q: TimelineQuery, req: HistogramRequest): Promise<{ series: HistogramSeries[]; code: { sql: string; params: SqlParam[] } }> {
  if (req.stackBy === 'status') {
    return {
      series: [...STATUS_VALUES.map((s): HistogramSeries => ({ key: s, label: s, kind: 'value' })), { key: null, label: 'other', kind: 'other' }],
      code: { sql: STATUS_CODE_SQL, params: [] },
    };
  }
  const column = DIMENSION_COLUMN[req.stackBy];
  const n = req.stackBy === 'log_type' ? LOG_TYPE_SERIES : req.topN;
  const top = await q.topKeys(req.filter, column, n);
  const keys = top.map((t) => t.key);
  return {
    series: [...top.map((t): HistogramSeries => ({ key: t.key, label: t.key ?? '(none)', kind: 'value' })), { key: null, label: 'other', kind: 'other' }],
    code: keyIndexSql(column, keys),
  };
}

function emptyHistogram(req: HistogramRequest, zone: Zone, total: number, undated: number, bucket: BucketSize): Histogram {
  return {
    zone: zone.name,
    extent: null,
    total,
    undated,
    bucket: { id: bucket.id, label: bucket.label, ms: bucket.ms },
    window: null,
    starts: [],
    ends: [],
    series: [],
    counts: [],
    spikes: [],
    gaps: [],
    tagged: [],
    findings: [],
  };
}

/** Sign-ins per bucket and series under the shared filter, with spike, gap and mark overlays. */
export async function histogram(q: TimelineQuery, req: HistogramRequest): Promise<Histogram> {
  const zone = await q.zone(req.timeZone);
  const ext = await q.extent(req.filter);
  if (ext.from === null || ext.to === null) return emptyHistogram(req, zone, ext.total, ext.undated, chooseBucket(0));
  const extent = { from: ext.from, to: ext.to + 1 };
  const from = req.range?.from ?? extent.from;
  const to = Math.max(req.range?.to ?? extent.to, from + 1);
  const bucket = req.bucket ? bucketById(req.bucket) : chooseBucket(to - from);
  const [{ series, code }] = await Promise.all([seriesFor(q, req)]);

  return q.withConnection(async (run) => {
    const { starts, ends } = await denseBuckets(run, bucket, zone, from, to);
    const window = { from: starts[0]!, to: ends[ends.length - 1]! };
    const b = bucketSql(bucket, zone);
    const coarse = b.coarse('f');
    const where = whereSql(req.filter);
    const range = rangeSql(window.from, window.to);
    const rows = await run(
      `SELECT ${coarse.sql} AS b, s, sum(n) AS n FROM (
         SELECT ${b.fine} AS f, ${code.sql} AS s, count(*) AS n
         FROM ${SIGNINS_TABLE} WHERE (${where.sql}) AND ${range.sql}
         GROUP BY ALL
       ) GROUP BY ALL`,
      [...coarse.params, ...code.params, ...where.params, ...range.params],
    );
    const index = new Map(starts.map((s, i) => [s, i]));
    const counts = series.map(() => new Array<number>(starts.length).fill(0));
    for (const r of rows) {
      const i = index.get(Number(r.b));
      if (i === undefined) throw new Error(`Timeline bucket ${String(r.b)} is not on the ${bucket.label} grid`);
      counts[Number(r.s)]![i]! += Number(r.n);
    }
    const totals = starts.map((_, i) => counts.reduce((sum, c) => sum + c[i]!, 0));

    const spikes = findSpikes(totals).map((s) => ({ start: starts[s.index]!, end: ends[s.index]!, count: s.count, median: s.median }));
    const gaps = await exactGaps(run, req.filter, findGapCandidates(totals, starts, ends), starts, ends);
    const marks = async (table: 'row_tags' | 'finding_rows') => {
      if (!(await q.hasRows(table))) return [];
      const m = await run(
        `SELECT ${coarse.sql} AS b, sum(n) AS n FROM (
           SELECT ${b.fine} AS f, count(*) AS n FROM ${SIGNINS_TABLE}
           WHERE (${where.sql}) AND ${range.sql} AND row_id IN (SELECT row_id FROM ${table})
           GROUP BY ALL
         ) GROUP BY ALL ORDER BY b`,
        [...coarse.params, ...where.params, ...range.params],
      );
      return m.map((r) => {
        const i = index.get(Number(r.b)) ?? 0;
        return { start: starts[i]!, end: ends[i]!, count: Number(r.n) };
      });
    };
    const tagged = await marks('row_tags');
    const findings = await marks('finding_rows');

    // Drop the "other" series when nothing fell into it, so legends stay short.
    const keep = series.map((s, i) => s.kind !== 'other' || counts[i]!.some((c) => c > 0));
    return {
      zone: zone.name,
      extent,
      total: ext.total,
      undated: ext.undated,
      bucket: { id: bucket.id, label: bucket.label, ms: bucket.ms },
      window,
      starts,
      ends,
      series: series.filter((_, i) => keep[i]),
      counts: counts.filter((_, i) => keep[i]),
      spikes,
      gaps,
      tagged,
      findings,
    };
  });
}

/** Turn bucket-level gap candidates into the exact last sign-in before and first after. */
async function exactGaps(
  run: (sql: string, params?: SqlParam[]) => Promise<JsonRow[]>,
  filter: FilterState,
  candidates: { before: number; after: number }[],
  starts: number[],
  ends: number[],
): Promise<{ from: number; to: number }[]> {
  if (!candidates.length) return [];
  const where = whereSql(filter);
  const out: { from: number; to: number }[] = [];
  for (const c of candidates) {
    const before = rangeSql(starts[c.before]!, ends[c.before]!);
    const after = rangeSql(starts[c.after]!, ends[c.after]!);
    const row = await run(
      `SELECT epoch_ms(max(time_utc) FILTER (WHERE ${before.sql})) AS lo, epoch_ms(min(time_utc) FILTER (WHERE ${after.sql})) AS hi
       FROM ${SIGNINS_TABLE} WHERE (${where.sql}) AND ((${before.sql}) OR (${after.sql}))`,
      [...before.params, ...after.params, ...where.params, ...before.params, ...after.params],
    );
    const lo = row[0]?.lo;
    const hi = row[0]?.hi;
    if (lo != null && hi != null) out.push({ from: Number(lo), to: Number(hi) });
  }
  return out.sort((a, b) => b.to - b.from - (a.to - a.from));
}
