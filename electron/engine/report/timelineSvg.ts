import type { Database } from '../db/database';
import { SIGNINS_TABLE } from '../schema/canonical';
import { esc, fmtInt } from './html';

interface Bucket {
  label: string;
  seconds: number;
  sql: string;
}

const BUCKETS: Bucket[] = [
  { label: '1 minute', seconds: 60, sql: '1 minute' },
  { label: '5 minutes', seconds: 300, sql: '5 minutes' },
  { label: '15 minutes', seconds: 900, sql: '15 minutes' },
  { label: '1 hour', seconds: 3600, sql: '1 hour' },
  { label: '3 hours', seconds: 10800, sql: '3 hours' },
  { label: '6 hours', seconds: 21600, sql: '6 hours' },
  { label: '12 hours', seconds: 43200, sql: '12 hours' },
  { label: '1 day', seconds: 86400, sql: '1 day' },
  { label: '7 days', seconds: 604800, sql: '7 days' },
  { label: '30 days', seconds: 2592000, sql: '30 days' },
];

const MAX_BARS = 120;

export interface TimelineFigure {
  svg: string;
  sql: string;
  bucket: string;
}

interface BucketRow {
  t: string;
  success: string;
  failure: string;
  other: string;
  [key: string]: unknown;
}

/** The bucket size that keeps the histogram under MAX_BARS bars for the case's span. */
function pickBucket(spanSeconds: number): Bucket {
  return BUCKETS.find((b) => spanSeconds / b.seconds <= MAX_BARS) ?? BUCKETS[BUCKETS.length - 1]!;
}

function utcLabel(ms: number, withTime: boolean): string {
  const iso = new Date(ms).toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/**
 * Sign-ins over time as a stacked SVG histogram (success / failure / other), drawn from
 * one DuckDB bucket query whose SQL is printed under the figure so it can be re-run.
 * `signIns` is what one row counts for (`coalesce(sign_in_count, 1)`: grouped rows are several).
 */
export async function timelineFigure(db: Database, signIns = '1'): Promise<TimelineFigure> {
  const span = await db.one<{ first: string | null; last: string | null }>(
    `SELECT epoch_ms(min(time_utc))::VARCHAR AS first, epoch_ms(max(time_utc))::VARCHAR AS last FROM ${SIGNINS_TABLE}`,
  );
  const first = span?.first ? Number(span.first) : null;
  const last = span?.last ? Number(span.last) : null;
  const bucket = pickBucket(first !== null && last !== null ? (last - first) / 1000 : 0);
  const sql = `SELECT time_bucket(INTERVAL '${bucket.sql}', time_utc) AS bucket_utc,
       coalesce(sum(${signIns}) FILTER (WHERE status = 'success'), 0) AS success,
       coalesce(sum(${signIns}) FILTER (WHERE status = 'failure'), 0) AS failure,
       coalesce(sum(${signIns}) FILTER (WHERE status IS NULL OR status NOT IN ('success', 'failure')), 0) AS other
FROM signins
WHERE time_utc IS NOT NULL
GROUP BY 1
ORDER BY 1`;
  const rows = await db.all<BucketRow>(
    `SELECT epoch_ms(bucket_utc)::VARCHAR AS t, success::VARCHAR AS success, failure::VARCHAR AS failure, other::VARCHAR AS other FROM (${sql})`,
  );
  return { svg: renderHistogram(rows, bucket), sql, bucket: bucket.label };
}

function renderHistogram(rows: BucketRow[], bucket: Bucket): string {
  const W = 960;
  const H = 260;
  const left = 56;
  const right = 12;
  const top = 14;
  const bottom = 40;
  if (!rows.length) {
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} 80" width="100%" role="img" aria-label="No sign-ins with a time"><text x="${W / 2}" y="44" text-anchor="middle" fill="#5b6470" font-size="14">No sign-ins with a time</text></svg>`;
  }
  // Fill empty buckets so gaps in activity show as gaps.
  const step = bucket.seconds * 1000;
  const byT = new Map(rows.map((r) => [Number(r.t), r]));
  const start = Number(rows[0]!.t);
  const end = Number(rows[rows.length - 1]!.t);
  const bars: { t: number; s: number; f: number; o: number }[] = [];
  for (let t = start; t <= end; t += step) {
    const r = byT.get(t);
    bars.push({ t, s: Number(r?.success ?? 0), f: Number(r?.failure ?? 0), o: Number(r?.other ?? 0) });
  }
  // time_bucket aligns months-free intervals on a fixed origin; a stray bucket not on the
  // step grid (only possible for 30-day buckets) is appended rather than lost.
  for (const r of rows) if (!bars.some((b) => b.t === Number(r.t))) bars.push({ t: Number(r.t), s: Number(r.success), f: Number(r.failure), o: Number(r.other) });
  bars.sort((a, b) => a.t - b.t);
  const max = Math.max(1, ...bars.map((b) => b.s + b.f + b.o));
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const bw = plotW / bars.length;
  const y = (v: number) => (v / max) * plotH;
  const parts: string[] = [];
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${W - right}" y2="${top + plotH}" stroke="#8a939d" stroke-width="1"/>`);
  for (const frac of [0.5, 1]) {
    const v = Math.round(max * frac);
    const yy = top + plotH - y(v);
    parts.push(`<line x1="${left}" y1="${yy.toFixed(1)}" x2="${W - right}" y2="${yy.toFixed(1)}" stroke="#d5dae0" stroke-width="1" stroke-dasharray="3 3"/>`);
    parts.push(`<text x="${left - 6}" y="${(yy + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#5b6470">${esc(fmtInt(v))}</text>`);
  }
  bars.forEach((b, i) => {
    const x = left + i * bw + Math.min(1, bw * 0.1);
    const w = Math.max(0.5, bw - Math.min(2, bw * 0.2));
    let base = top + plotH;
    const title = `${utcLabel(b.t, bucket.seconds < 86400)} UTC: ${b.s} success, ${b.f} failure, ${b.o} other`;
    const segs: string[] = [];
    for (const [v, color] of [
      [b.s, '#2e8b57'],
      [b.f, '#c0392b'],
      [b.o, '#d4a017'],
    ] as const) {
      if (!v) continue;
      const h = y(v);
      base -= h;
      segs.push(`<rect x="${x.toFixed(1)}" y="${base.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"/>`);
    }
    if (segs.length) parts.push(`<g><title>${esc(title, 'svg')}</title>${segs.join('')}</g>`);
  });
  const ticks = Math.min(6, bars.length);
  for (let k = 0; k < ticks; k++) {
    const i = ticks === 1 ? 0 : Math.round((k * (bars.length - 1)) / (ticks - 1));
    const b = bars[i]!;
    const x = left + i * bw + bw / 2;
    const anchor = k === 0 ? 'start' : k === ticks - 1 ? 'end' : 'middle';
    parts.push(`<text x="${x.toFixed(1)}" y="${H - bottom + 16}" text-anchor="${anchor}" font-size="11" fill="#5b6470">${esc(utcLabel(b.t, bucket.seconds < 86400))}</text>`);
  }
  const legend = [
    ['#2e8b57', 'success'],
    ['#c0392b', 'failure'],
    ['#d4a017', 'other'],
  ]
    .map(([c, l], i) => `<rect x="${left + i * 90}" y="${H - 14}" width="10" height="10" fill="${c}"/><text x="${left + i * 90 + 14}" y="${H - 5}" font-size="11" fill="#1b1f24">${l}</text>`)
    .join('');
  parts.push(legend);
  parts.push(`<text x="${W - right}" y="${H - 5}" text-anchor="end" font-size="11" fill="#5b6470">one bar = ${esc(bucket.label)} (UTC)</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Sign-ins over time, stacked by status">${parts.join('')}</svg>`;
}
