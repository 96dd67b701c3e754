import type { FilterState } from '../query/filterModel';
import { quoteIdent, type SqlParam } from '../db/database';
import { SIGNINS_TABLE } from '../schema/canonical';
import { chooseBucket } from './buckets';
import { bucketSql, fineStepFor, rangeSql } from './bucketSql';
import { DIMENSION_COLUMN, keyMatchSql, keyTableSql, STATUS_CODE_SQL, type LaneBy } from './dimensions';
import type { RunColumns, TimelineQuery } from './timelineQuery';
import { annotationPresence } from '../annotations/presence';
import type { Zone } from './timeZone';
import type { SqlFragment } from '../query/filterSql';

export interface LanesRequest {
  filter: FilterState;
  timeZone: string;
  range?: { from: number; to: number } | undefined;
  by: LaneBy;
  /** The top N by sign-ins under the filter (rows without a value have no lane), unless `values` names the lanes. */
  topN: number;
  values?: (string | null)[] | undefined;
  /** A lane with more sign-ins than this in the window is drawn as per-bucket aggregates. */
  maxMarksPerLane: number;
}

export interface Lane {
  key: string | null;
  label: string;
  /** Sign-ins of this lane under the filter in the window, by status. */
  total: number;
  success: number;
  failure: number;
  interrupted: number;
  firstSeen: number | null;
  lastSeen: number | null;
  aggregated: boolean;
}

/** Marks, column by column (a lane can hold thousands): one entry per sign-in or per aggregate. */
export interface LaneMarks {
  lane: number[];
  /** Sign-in time, or the aggregate bucket's start. */
  t: number[];
  /** Aggregate bucket end; equal to t for a single sign-in. */
  end: number[];
  /** 0 success, 1 failure, 2 interrupted, 3 other. */
  status: number[];
  /** The sign-in's row, or the first row of the aggregate. */
  rowId: number[];
  n: number[];
  /** 1 tagged, 2 in a finding (bits). */
  flags: number[];
}

export interface Lanes {
  by: LaneBy;
  column: string;
  window: { from: number; to: number } | null;
  /** Size of the aggregate buckets of dense lanes. */
  bucketMs: number;
  lanes: Lane[];
  marks: LaneMarks;
}

/** What a lane's card counts distinct values of: IPs for user and session lanes, users for IP lanes. */
const DISTINCT_OF: Record<LaneBy, string> = { user: 'ip_address', ip: 'user_principal_name', session: 'ip_address' };

function emptyMarks(): LaneMarks {
  return { lane: [], t: [], end: [], status: [], rowId: [], n: [], flags: [] };
}

/** One row per user, IP or session, each sign-in a mark; dense lanes become per-bucket counts. */
export async function lanes(q: TimelineQuery, req: LanesRequest): Promise<Lanes> {
  const column = DIMENSION_COLUMN[req.by];
  const named = req.values?.length ? req.values : null;
  const [zone, top, { tagged, inFinding }, where] = await Promise.all([
    q.zone(req.timeZone),
    named ? null : q.topKeys(req.filter, column, req.topN, false),
    annotationPresence(q.session),
    q.where(req.filter),
  ]);
  const keys = named ?? top!.map((t) => t.key);
  const empty: Lanes = { by: req.by, column, window: null, bucketMs: 0, lanes: [], marks: emptyMarks() };
  if (!keys.length) return empty;

  const col = quoteIdent(column);
  const flagsSql = [
    tagged ? `CASE WHEN row_id IN (SELECT row_id FROM row_tags) THEN 1 ELSE 0 END` : '0',
    inFinding ? `CASE WHEN row_id IN (SELECT row_id FROM finding_rows) THEN 2 ELSE 0 END` : '0',
  ].join(' + ');

  // The lanes' rows: all of their sign-ins under the filter. Rows find their lane by a hash
  // join on the key, not a CASE over every key: with 50 lanes that is one probe per row
  // instead of up to 50 string comparisons.
  const k = keyTableSql(keys);
  const rowsSql = (flags: string): SqlFragment => {
    const pick = (laneSql: string, from: string, match: string) =>
      `SELECT ${laneSql} AS lane, time_utc, ${STATUS_CODE_SQL} AS s, row_id, ${flags} AS flags
       FROM ${from} WHERE (${where.sql}) AND time_utc IS NOT NULL AND ${match}`;
    const parts = [pick('k.lane', `${SIGNINS_TABLE} JOIN ${k.sql} k ON ${col} = k.key`, 'TRUE')];
    const params = [...k.params, ...where.params];
    if (k.nullLane !== null) {
      parts.push(pick(String(k.nullLane), SIGNINS_TABLE, `${col} IS NULL`));
      params.push(...where.params);
    }
    return { sql: parts.join('\nUNION ALL\n'), params };
  };
  const rows = rowsSql(flagsSql);
  // Without a window, the top N come with each lane's sign-ins and first and last one (the
  // grouping that picked them counted them under the same filter): no pass over the lanes'
  // rows for their figures. Their status counts add up from the marks.
  const known = top && req.range === undefined ? top : null;
  const read = { req, zone, column, keys, empty, known };

  // Zooms read the rows from a temp table picked once per filter. The first view does not
  // wait for it: it reads them straight from the sign-ins (one scan per query, no table to
  // write), then the table is built behind it for the zooms to come.
  const cubeKey = ['lanes', req.filter, req.by, keys, tagged, inFinding];
  const ready = q.readyCube(cubeKey);
  if (ready) return q.onCubeConnection((run) => readLanes(run, { sql: ready, params: [] }, read));
  // The per-lane figures do not use the flags, but DuckDB still runs a subquery's tag and
  // finding lookups when nothing reads them: the figures read the rows without.
  const unflagged = rowsSql('0');
  const result = await q.onReadConnection((run) =>
    readLanes(run, { sql: `(${rows.sql})`, params: rows.params }, read, { sql: `(${unflagged.sql})`, params: unflagged.params }),
  );
  q.prepareCube(cubeKey, (name) => ({ sql: `CREATE TEMP TABLE ${name} AS ${rows.sql}`, params: rows.params }));
  return result;
}

interface LanesRead {
  req: LanesRequest;
  zone: Zone;
  column: string;
  keys: (string | null)[];
  empty: Lanes;
  /** Each lane's sign-ins and first and last one, when known already (the unwindowed top N). */
  known: { count: number; first: number; last: number }[] | null;
}

/** Lane figures and marks for the request, from `source`: the lanes' rows, as a table or a subquery. */
async function readLanes(
  run: RunColumns,
  source: SqlFragment,
  { req, zone, column, keys, empty, known }: LanesRead,
  statsSource: SqlFragment = source,
): Promise<Lanes> {
  const lanes = keys.map((k) => blankLane(k));
  let from = req.range?.from;
  let to = req.range?.to;
  if (known) {
    known.forEach((t, i) => Object.assign(lanes[i]!, { total: t.count, firstSeen: t.first, lastSeen: t.last }));
    from = Math.min(...known.map((t) => t.first));
    to = Math.max(...known.map((t) => t.last)) + 1;
  } else {
    // Without a window the lanes span their own first to last sign-in, so the per-lane
    // figures over all of their rows are the window's.
    const asked = req.range ? rangeSql(req.range.from, req.range.to) : null;
    const stats = await run(
      `SELECT lane, CAST(count(*) AS DOUBLE) AS n,
         CAST(count(*) FILTER (WHERE s = 0) AS DOUBLE) AS ok,
         CAST(count(*) FILTER (WHERE s = 1) AS DOUBLE) AS bad,
         CAST(count(*) FILTER (WHERE s = 2) AS DOUBLE) AS intr,
         CAST(epoch_ms(min(time_utc)) AS DOUBLE) AS lo, CAST(epoch_ms(max(time_utc)) AS DOUBLE) AS hi
       FROM ${statsSource.sql} c ${asked ? `WHERE ${asked.sql}` : ''} GROUP BY 1`,
      [...statsSource.params, ...(asked?.params ?? [])],
    );
    const num = (col: string, r: number) => stats[col]![r] as number;
    for (let r = 0; r < (stats.lane ?? []).length; r++) {
      const lane = lanes[num('lane', r)];
      if (!lane) continue;
      lane.total = num('n', r);
      lane.success = num('ok', r);
      lane.failure = num('bad', r);
      lane.interrupted = num('intr', r);
      lane.firstSeen = (stats.lo![r] as number | null) ?? null;
      lane.lastSeen = (stats.hi![r] as number | null) ?? null;
    }
    if (!asked) {
      const seen = lanes.filter((l) => l.firstSeen !== null && l.lastSeen !== null);
      if (!seen.length) return { ...empty, lanes };
      from = Math.min(...seen.map((l) => l.firstSeen!));
      to = Math.max(...seen.map((l) => l.lastSeen!)) + 1;
    }
  }
  if (from === undefined || to === undefined) return { ...empty, lanes };
  for (const lane of lanes) lane.aggregated = lane.total > req.maxMarksPerLane;
  // Aggregates per lane stay within the mark budget: at most a third of it in buckets (x status).
  const bucket = chooseBucket(to - from, Math.max(10, Math.floor(req.maxMarksPerLane / 3)));
  const range = rangeSql(from, to);
  const sparse = lanes.flatMap((l, i) => (l.total > 0 && !l.aggregated ? [i] : []));
  const dense = lanes.flatMap((l, i) => (l.aggregated ? [i] : []));
  // The rows of `these` lanes in the window. A test that cannot drop a row is left out: the
  // window around the top N's own span holds all of their rows, and without lanes of the
  // other kind the lane list holds them all. With both tests in place DuckDB groups the
  // dense lanes' rows markedly slower (76 against 66 ms for 339,293 rows).
  const pick = (these: number[], others: number[]): SqlFragment => {
    const tests: string[] = [];
    const params: SqlParam[] = [];
    if (!known) {
      tests.push(range.sql);
      params.push(...range.params);
    }
    if (others.length) {
      tests.push('list_contains(CAST(? AS INTEGER[]), lane)');
      params.push(`[${these.join(',')}]`);
    }
    return { sql: tests.join(' AND ') || 'TRUE', params };
  };
  const parts: LaneMarks[] = [];
  if (sparse.length) {
    const w = pick(sparse, dense);
    const c = await run(
      `SELECT lane, CAST(epoch_ms(time_utc) AS DOUBLE) AS t, s, CAST(row_id AS DOUBLE) AS row_id, flags
       FROM ${source.sql} c WHERE ${w.sql}
       ORDER BY lane, time_utc, row_id`,
      [...source.params, ...w.params],
    );
    const t = c.t as number[];
    parts.push({ lane: c.lane as number[], t, end: t, status: c.s as number[], rowId: c.row_id as number[], n: t.map(() => 1), flags: c.flags as number[] });
  }
  if (dense.length) {
    const b = bucketSql(bucket, zone, await fineStepFor(run, bucket, zone, from, to));
    // The display zone's wall clock is applied once per distinct fine bucket (a few
    // thousand at most), not once per (lane, bucket, status) group.
    const coarse = b.coarse('f');
    const w = pick(dense, sparse);
    const c = await run(
      `WITH g AS (
         SELECT lane, ${b.fine()} AS f, s, count(*) AS n, arg_min(row_id, time_utc) AS first_row, bit_or(flags) AS flags
         FROM ${source.sql} c WHERE ${w.sql}
         GROUP BY ALL
       ),
       m AS (SELECT f, ${coarse.sql} AS t FROM (SELECT DISTINCT f FROM g))
       SELECT g.lane, CAST(m.t AS DOUBLE) AS t, g.s, CAST(sum(g.n) AS DOUBLE) AS n, CAST(min(g.first_row) AS DOUBLE) AS row_id,
         CAST(bit_or(g.flags) AS INTEGER) AS flags
       FROM g JOIN m USING (f)
       GROUP BY ALL ORDER BY lane, t, s`,
      [...source.params, ...w.params, ...coarse.params],
    );
    const t = c.t as number[];
    // An aggregate ends where the next bucket starts; the nominal width is exact except across DST.
    parts.push({ lane: c.lane as number[], t, end: t.map((x) => x + bucket.ms), status: c.s as number[], rowId: c.row_id as number[], n: c.n as number[], flags: c.flags as number[] });
  }
  const marks = emptyMarks();
  for (const p of parts) for (const k of Object.keys(marks) as (keyof LaneMarks)[]) marks[k] = marks[k].concat(p[k]);
  if (known) {
    // The window holds all of each lane's sign-ins, and every one is in exactly one mark.
    for (let i = 0; i < marks.lane.length; i++) {
      const lane = lanes[marks.lane[i]!]!;
      const n = marks.n[i]!;
      if (marks.status[i] === 0) lane.success += n;
      else if (marks.status[i] === 1) lane.failure += n;
      else if (marks.status[i] === 2) lane.interrupted += n;
    }
  }
  return { by: req.by, column, window: { from, to }, bucketMs: bucket.ms, lanes, marks };
}

function blankLane(key: string | null): Lane {
  return { key, label: key ?? '(none)', total: 0, success: 0, failure: 0, interrupted: 0, firstSeen: null, lastSeen: null, aggregated: false };
}

/**
 * Distinct IPs (user and session lanes) or users (IP lanes) of one lane under the filter in
 * [from, to), exact. Asked when the lane's card opens: counting it for every lane would
 * cost each view a distinct count over all of their rows, for a figure few lanes show.
 */
export async function laneDistinct(
  q: TimelineQuery,
  req: { filter: FilterState; by: LaneBy; value: string | null; from: number; to: number },
): Promise<{ distinct: number }> {
  const w = await windowRowsWhere(q, { filter: req.filter, from: req.from, to: req.to, lane: { by: req.by, value: req.value } });
  const row = await q.session.db.one<{ d: string }>(`SELECT count(DISTINCT ${quoteIdent(DISTINCT_OF[req.by])}) AS d FROM ${SIGNINS_TABLE} WHERE ${w.sql}`, w.params);
  return { distinct: Number(row?.d ?? 0) };
}

/** The sign-ins under the filter in [from, to), of one lane and one status when given. */
async function windowRowsWhere(
  q: TimelineQuery,
  req: { filter: FilterState; from: number; to: number; lane?: { by: LaneBy; value: string | null } | undefined; status?: number | undefined },
): Promise<SqlFragment> {
  const where = await q.where(req.filter);
  const range = rangeSql(req.from, req.to);
  const parts = [`(${where.sql})`, range.sql];
  const params = [...where.params, ...range.params];
  if (req.lane) {
    const m = keyMatchSql(DIMENSION_COLUMN[req.lane.by], [req.lane.value]);
    parts.push(m.sql);
    params.push(...m.params);
  }
  if (req.status !== undefined) {
    parts.push(`${STATUS_CODE_SQL} = ?`);
    params.push(req.status);
  }
  return { sql: parts.join(' AND '), params };
}

/** Row ids behind a bucket or an aggregate mark, in time order, for a `rows` selection. */
export async function laneRowIds(
  q: TimelineQuery,
  req: { filter: FilterState; from: number; to: number; lane?: { by: LaneBy; value: string | null } | undefined; status?: number | undefined; limit: number },
): Promise<{ rowIds: number[]; truncated: boolean }> {
  const w = await windowRowsWhere(q, req);
  const rows = await q.session.db.all<{ row_id: string }>(
    `SELECT row_id FROM ${SIGNINS_TABLE} WHERE ${w.sql} ORDER BY time_utc, row_id LIMIT ${req.limit + 1}`,
    w.params,
  );
  const truncated = rows.length > req.limit;
  return { rowIds: rows.slice(0, req.limit).map((r) => Number(r.row_id)), truncated };
}
