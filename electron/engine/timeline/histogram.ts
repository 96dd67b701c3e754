import type { FilterState } from '../query/filterModel';
import type { SqlParam } from '../db/database';
import { SIGNINS_TABLE } from '../schema/canonical';
import { bucketById, chooseBucket, type BucketId, type BucketSize } from './buckets';
import { bucketSql, FINE_MS, fineStepFor, zonedBucketStart } from './bucketSql';
import { DIMENSION_COLUMN, keyIndexSql, STATUS_CODE_SQL, STATUS_VALUES, type StackBy } from './dimensions';
import { findGapCandidates, findSpikes } from './anomalies';
import type { RunColumns, TimelineQuery } from './timelineQuery';
import { annotationPresence } from '../annotations/presence';
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
  run: RunColumns,
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
    const start = zonedBucketStart(bucket, 'g', zone);
    const rows = await run(
      `SELECT DISTINCT CAST(${start.sql} AS DOUBLE) AS s
       FROM generate_series(to_timestamp(CAST(? AS BIGINT) / 1000), to_timestamp(CAST(? AS BIGINT) / 1000), INTERVAL '${step / 60_000} minutes') t(g)
       ORDER BY s`,
      [...start.params, from - 2 * bucket.ms, to + 2 * bucket.ms],
    );
    bounds = rows.s as number[];
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

const MINUTE = 60_000;

/**
 * The per-minute cube for this filter and stacking (see TimelineQuery.cube). Rows without
 * a time land in the cell with m NULL, so the cube alone also gives the extent and counts.
 */
async function cubeFor(q: TimelineQuery, req: HistogramRequest, series: HistogramSeries[], code: { sql: string; params: SqlParam[] }): Promise<string> {
  const [{ tagged, inFinding }, where] = await Promise.all([annotationPresence(q.session), q.where(req.filter)]);
  return q.cube(['histogram', req.filter, req.stackBy, series.map((s) => s.key)], (table) => {
    return {
      sql: `CREATE TEMP TABLE ${table} AS
        SELECT (epoch_ms(time_utc) // ${MINUTE}) * ${MINUTE} AS m, s, count(*) AS n,
               epoch_ms(min(time_utc)) AS lo, epoch_ms(max(time_utc)) AS hi,
               CAST(sum(tg) AS BIGINT) AS tg, CAST(sum(fd) AS BIGINT) AS fd
        FROM (
          SELECT time_utc, ${code.sql} AS s,
                 ${tagged ? 'CAST(row_id IN (SELECT row_id FROM row_tags) AS INTEGER)' : '0'} AS tg,
                 ${inFinding ? 'CAST(row_id IN (SELECT row_id FROM finding_rows) AS INTEGER)' : '0'} AS fd
          FROM ${SIGNINS_TABLE} WHERE ${where.sql}
        )
        GROUP BY 1, 2`,
      params: [...code.params, ...where.params],
    };
  });
}

/** Sign-ins per bucket and series under the shared filter, with spike, gap and mark overlays. */
export async function histogram(q: TimelineQuery, req: HistogramRequest): Promise<Histogram> {
  const zone = await q.zone(req.timeZone);
  const { series, code } = await seriesFor(q, req);
  const cube = await cubeFor(q, req, series, code);
  const ext = await q.onCubeConnection(async (run) => {
    const c = await run(
      `SELECT CAST(min(lo) AS DOUBLE) AS lo, CAST(max(hi) AS DOUBLE) AS hi, CAST(coalesce(sum(n), 0) AS DOUBLE) AS n,
              CAST(coalesce(sum(n) FILTER (WHERE m IS NULL), 0) AS DOUBLE) AS undated FROM ${cube}`,
    );
    return { from: c.lo![0] as number | null, to: c.hi![0] as number | null, total: c.n![0] as number, undated: c.undated![0] as number };
  });
  if (ext.from === null || ext.to === null) return emptyHistogram(req, zone, ext.total, ext.undated, chooseBucket(0));
  const extent = { from: ext.from, to: ext.to + 1 };
  const from = req.range?.from ?? extent.from;
  const to = Math.max(req.range?.to ?? extent.to, from + 1);
  const bucket = req.bucket ? bucketById(req.bucket) : chooseBucket(to - from);

  return q.onCubeConnection(async (run) => {
    const { starts, ends } = await denseBuckets(run, bucket, zone, from, to);
    const window = { from: starts[0]!, to: ends[ends.length - 1]! };
    const b = bucketSql(bucket, zone, await fineStepFor(run, bucket, zone, window.from, window.to));
    const coarse = b.coarse('f');
    // Bucket bounds are whole minutes in every zone, so the minute cube cuts them exactly.
    const cols = await run(
      `SELECT CAST(${coarse.sql} AS DOUBLE) AS b, s, CAST(sum(n) AS DOUBLE) AS n, CAST(sum(tg) AS DOUBLE) AS tg, CAST(sum(fd) AS DOUBLE) AS fd FROM (
         SELECT ${b.fine('m')} AS f, s, sum(n) AS n, sum(tg) AS tg, sum(fd) AS fd
         FROM ${cube} WHERE m >= ? AND m < ?
         GROUP BY ALL
       ) GROUP BY ALL`,
      [...coarse.params, window.from, window.to],
    );
    const index = new Map(starts.map((s, i) => [s, i]));
    const counts = series.map(() => new Array<number>(starts.length).fill(0));
    const tagCounts = new Array<number>(starts.length).fill(0);
    const findingCounts = new Array<number>(starts.length).fill(0);
    const bs = cols.b as number[];
    for (let r = 0; r < bs.length; r++) {
      const i = index.get(bs[r]!);
      if (i === undefined) throw new Error(`Timeline bucket ${bs[r]} is not on the ${bucket.label} grid`);
      counts[cols.s![r] as number]![i]! += cols.n![r] as number;
      tagCounts[i]! += cols.tg![r] as number;
      findingCounts[i]! += cols.fd![r] as number;
    }
    const totals = starts.map((_, i) => counts.reduce((sum, c) => sum + c[i]!, 0));
    const spikes = findSpikes(totals).map((s) => ({ start: starts[s.index]!, end: ends[s.index]!, count: s.count, median: s.median }));
    const gaps = await exactGaps(run, cube, findGapCandidates(totals, starts, ends), starts, ends);
    const marks = (c: number[]) => c.flatMap((count, i) => (count > 0 ? [{ start: starts[i]!, end: ends[i]!, count }] : []));

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
      tagged: marks(tagCounts),
      findings: marks(findingCounts),
    };
  });
}

/** Turn bucket-level gap candidates into the exact last sign-in before and first after. */
async function exactGaps(
  run: RunColumns,
  cube: string,
  candidates: { before: number; after: number }[],
  starts: number[],
  ends: number[],
): Promise<{ from: number; to: number }[]> {
  if (!candidates.length) return [];
  const selects = candidates.map(
    (_, i) => `CAST(max(hi) FILTER (WHERE m >= ? AND m < ?) AS DOUBLE) AS lo${i}, CAST(min(lo) FILTER (WHERE m >= ? AND m < ?) AS DOUBLE) AS hi${i}`,
  );
  const params = candidates.flatMap((c) => [starts[c.before]!, ends[c.before]!, starts[c.after]!, ends[c.after]!]);
  const cols = await run(`SELECT ${selects.join(', ')} FROM ${cube}`, params);
  const out = candidates.flatMap((_, i) => {
    const lo = cols[`lo${i}`]?.[0];
    const hi = cols[`hi${i}`]?.[0];
    return typeof lo === 'number' && typeof hi === 'number' ? [{ from: lo, to: hi }] : [];
  });
  return out.sort((a, b) => b.to - b.from - (a.to - a.from));
}
