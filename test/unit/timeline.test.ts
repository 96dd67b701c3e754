import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { bucketById, chooseBucket, BUCKET_SIZES, type BucketId } from '../../electron/engine/timeline/buckets';
import { fineStepFor } from '../../electron/engine/timeline/bucketSql';
import { findGapCandidates, findSpikes } from '../../electron/engine/timeline/anomalies';
import { timelineFor } from '../../electron/engine/timeline/timelineQuery';
import { histogram } from '../../electron/engine/timeline/histogram';
import { laneDistinct, laneRowIds, lanes } from '../../electron/engine/timeline/lanes';
import type { FilterState } from '../../electron/api/schemas/filter';

const H = 3_600_000;
const M = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

interface Row {
  t: number;
  status?: string;
  user?: string | null;
  ip?: string;
  app?: string;
  country?: string;
  logType?: string;
}

async function caseWith(rows: Row[]): Promise<{ session: CaseSession; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'signet-timeline-'));
  const session = await CaseSession.create(dir, 'test');
  let id = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await session.db.run(
      `INSERT INTO signins (row_id, time_utc, status, user_principal_name, ip_address, app_display_name, country, log_type)
       VALUES ${chunk.map(() => '(?, CAST(? AS TIMESTAMP), ?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((r) => [
        ++id,
        iso(r.t),
        r.status ?? 'success',
        r.user === undefined ? 'alice@contoso.com' : r.user,
        r.ip ?? '198.51.100.7',
        r.app ?? 'Office 365',
        r.country ?? 'NO',
        r.logType ?? 'interactive',
      ]),
    );
  }
  session.changed();
  return { session, dir };
}

const NO_FILTER: FilterState = { conditions: [] };
const sum = (xs: number[][]) => xs.flat().reduce((a, b) => a + b, 0);

describe('bucket choice', () => {
  test('picks the smallest size that keeps the bar count at or under 400', () => {
    assert.equal(chooseBucket(2 * H).id, '1m');
    assert.equal(chooseBucket(6 * H).id, '1m');
    assert.equal(chooseBucket(7 * H).id, '5m');
    assert.equal(chooseBucket(24 * H).id, '5m');
    assert.equal(chooseBucket(3 * 24 * H).id, '15m');
    assert.equal(chooseBucket(7 * 24 * H).id, '1h');
    assert.equal(chooseBucket(30 * 24 * H).id, '6h');
    assert.equal(chooseBucket(90 * 24 * H).id, '6h');
    assert.equal(chooseBucket(120 * 24 * H).id, '1d');
    assert.equal(chooseBucket(5 * 365 * 24 * H).id, '1d', 'a day is the coarsest size');
  });
  test('keeps roughly 65-400 bars across every span from an hour to a year', () => {
    for (let span = H / 2; span <= 365 * 24 * H; span *= 1.37) {
      const b = chooseBucket(span);
      const n = span / b.ms;
      assert.ok(n <= 400, `${span} ms → ${b.id} gives ${n} bars`);
      if (b !== BUCKET_SIZES[0] && span <= 400 * 24 * H) assert.ok(n > 400 / 6, `${span} ms → ${b.id} gives only ${n} bars`);
    }
  });
});

describe('spikes and gaps (pure)', () => {
  test('a burst against a quiet baseline is one spike, at its peak', () => {
    const totals = Array.from({ length: 60 }, (_, i) => (i === 30 ? 90 : i === 31 ? 40 : 4));
    const spikes = findSpikes(totals);
    assert.equal(spikes.length, 1);
    assert.equal(spikes[0]!.index, 30);
    assert.equal(spikes[0]!.median, 4);
  });
  test('a daily rhythm is not a spike, even at the first bucket', () => {
    // 6-hour buckets of working days: night, morning peak, afternoon, evening.
    const day = [50, 330, 130, 50];
    const totals = Array.from({ length: 60 }, (_, i) => day[i % 4]!);
    assert.deepEqual(findSpikes(totals), []);
  });
  test('steady traffic has no spikes', () => {
    assert.deepEqual(findSpikes(Array.from({ length: 50 }, (_, i) => 10 + (i % 3))), []);
  });
  test('the longest empty runs come first', () => {
    const totals = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0, 1];
    const starts = totals.map((_, i) => i * 10);
    const ends = starts.map((s) => s + 10);
    assert.deepEqual(findGapCandidates(totals, starts, ends), [
      { before: 4, after: 11 },
      { before: 0, after: 4 },
    ]);
  });
});

describe('histogram', () => {
  const t0 = Date.UTC(2024, 2, 1, 0, 0, 0);
  let ctx: { session: CaseSession; dir: string };
  const rows: Row[] = [];
  before(async () => {
    // Ten days of background traffic from five users, plus a spray burst on day 5.
    for (let i = 0; i < 2400; i++) {
      rows.push({
        t: t0 + i * 6 * M + ((i * 7919) % 300) * 1000,
        status: i % 10 === 0 ? 'failure' : i % 37 === 0 ? 'interrupted' : 'success',
        user: `user${i % 5}@contoso.com`,
        ip: `10.0.0.${i % 7}`,
        app: i % 3 ? 'Office 365' : 'Azure Portal',
        country: i % 4 ? 'NO' : 'SE',
        logType: i % 2 ? 'interactive' : 'noninteractive',
      });
    }
    for (let i = 0; i < 300; i++) rows.push({ t: t0 + 5 * 24 * H + 13 * H + i * 1000, status: 'failure', user: `victim${i % 60}@contoso.com`, ip: '203.0.113.9', country: 'RU' });
    // Silence for 30 hours, then one late sign-in.
    rows.push({ t: t0 + 10 * 24 * H + 6 * H, status: 'success', user: 'late@contoso.com' });
    ctx = await caseWith(rows);
  });
  after(() => {
    ctx.session.close();
    rmSync(ctx.dir, { recursive: true, force: true });
  });

  test('bucket counts add up to the filtered count, under any filter', async () => {
    const q = timelineFor(ctx.session);
    const filters: FilterState[] = [
      NO_FILTER,
      { conditions: [{ kind: 'values', column: 'status', values: ['failure'] }] },
      { conditions: [{ kind: 'text', column: 'user_principal_name', op: 'startsWith', value: 'victim' }] },
      { conditions: [], search: 'Azure' },
    ];
    for (const filter of filters) {
      const h = await histogram(q, { filter, timeZone: 'UTC', stackBy: 'status', topN: 5 });
      const expected = Number(await ctx.session.pager.count(filter));
      assert.equal(sum(h.counts), expected, JSON.stringify(filter));
      assert.equal(h.total, expected);
      assert.equal(h.starts.length, h.ends.length);
      assert.ok(h.starts.length <= 400);
      for (let i = 1; i < h.starts.length; i++) assert.equal(h.starts[i], h.ends[i - 1], 'buckets are contiguous');
    }
  });

  test('status stacking splits success, failure and interrupted exactly', async () => {
    const h = await histogram(timelineFor(ctx.session), { filter: NO_FILTER, timeZone: 'UTC', stackBy: 'status', topN: 5 });
    assert.deepEqual(h.series.map((s) => s.label), ['success', 'failure', 'interrupted']);
    const byStatus = (s: string) => rows.filter((r) => r.status === s).length;
    assert.deepEqual(h.counts.map((c) => c.reduce((a, b) => a + b, 0)), [byStatus('success'), byStatus('failure'), byStatus('interrupted')]);
    assert.equal(h.bucket.id, '1h', 'ten days in hours');
  });

  test('a visible window re-buckets finer and counts only that window', async () => {
    const q = timelineFor(ctx.session);
    const from = t0 + 5 * 24 * H + 12 * H;
    const to = from + 3 * H;
    const h = await histogram(q, { filter: NO_FILTER, timeZone: 'UTC', range: { from, to }, stackBy: 'status', topN: 5 });
    assert.equal(h.bucket.id, '1m');
    assert.equal(h.window!.from, from);
    assert.equal(h.window!.to, to);
    assert.equal(sum(h.counts), rows.filter((r) => r.t >= from && r.t < to).length);
    assert.ok(h.spikes.length >= 1, 'the spray burst is a spike');
    const spike = h.spikes[0]!;
    assert.ok(spike.start >= t0 + 5 * 24 * H + 13 * H && spike.start < t0 + 5 * 24 * H + 13 * H + 5 * M, 'spike sits on the burst');
  });

  test('gaps are reported from the last sign-in before to the first after', async () => {
    const h = await histogram(timelineFor(ctx.session), { filter: NO_FILTER, timeZone: 'UTC', stackBy: 'status', topN: 5 });
    const lastBackground = Math.max(...rows.filter((r) => r.user?.startsWith('user')).map((r) => r.t));
    assert.deepEqual(h.gaps[0], { from: lastBackground, to: t0 + 10 * 24 * H + 6 * H });
  });

  test('top-N stacking keeps the N largest and puts the rest in "other"', async () => {
    const q = timelineFor(ctx.session);
    const h = await histogram(q, { filter: NO_FILTER, timeZone: 'UTC', stackBy: 'ip', topN: 2 });
    assert.deepEqual(h.series.map((s) => s.label), ['10.0.0.0', '10.0.0.1', 'other']);
    assert.equal(h.series[2]!.kind, 'other');
    const totals = h.counts.map((c) => c.reduce((a, b) => a + b, 0));
    assert.equal(totals[0], rows.filter((r) => r.ip === '10.0.0.0').length);
    assert.equal(totals[2], rows.length - totals[0]! - totals[1]!);
    const countries = await histogram(q, { filter: NO_FILTER, timeZone: 'UTC', stackBy: 'country', topN: 5 });
    assert.deepEqual(countries.series.map((s) => s.label), ['NO', 'SE', 'RU'], 'no "other" series when nothing is left over');
    const logTypes = await histogram(q, { filter: NO_FILTER, timeZone: 'UTC', stackBy: 'log_type', topN: 1 });
    assert.deepEqual(logTypes.series.map((s) => s.label).sort(), ['interactive', 'noninteractive']);
  });

  test('tags and findings become marks on their buckets; absent or empty tables give none', async () => {
    const q = timelineFor(ctx.session);
    const h0 = await histogram(q, { filter: NO_FILTER, timeZone: 'UTC', stackBy: 'status', topN: 5 });
    assert.deepEqual(h0.tagged, []);
    assert.deepEqual(h0.findings, []);
    await ctx.session.db.run(`INSERT INTO tags VALUES (1, 'suspicious', '#f00', now())`);
    await ctx.session.db.run(`INSERT INTO row_tags SELECT row_id, 1, now() FROM signins WHERE ip_address = '203.0.113.9' AND row_id % 2 = 0`);
    await ctx.session.db.run(`INSERT INTO finding_rows SELECT 'spray-1', row_id FROM signins WHERE ip_address = '203.0.113.9'`);
    ctx.session.changed();
    const h = await histogram(q, { filter: NO_FILTER, timeZone: 'UTC', stackBy: 'status', topN: 5 });
    assert.equal(h.tagged.reduce((a, m) => a + m.count, 0), 150);
    assert.equal(h.findings.reduce((a, m) => a + m.count, 0), 300);
    const tagFilter: FilterState = { conditions: [{ kind: 'tag', tagIds: [1] }] };
    const tagged = await histogram(q, { filter: tagFilter, timeZone: 'UTC', stackBy: 'status', topN: 5 });
    assert.equal(sum(tagged.counts), 150, 'a tag filter narrows the timeline');
    const finding = await histogram(q, { filter: { conditions: [{ kind: 'finding', findingId: 'spray-1' }] }, timeZone: 'UTC', stackBy: 'status', topN: 5 });
    assert.equal(sum(finding.counts), 300, 'a finding filter narrows the timeline');
    await ctx.session.db.run(`DELETE FROM row_tags`);
    await ctx.session.db.run(`DELETE FROM finding_rows`);
    ctx.session.changed();
  });

  test('the timeline CLI prints the same buckets as TSV, refusing bad arguments', async () => {
    const { timelineCommand } = await import('../../electron/cli/commands/timeline');
    const { UsageError } = await import('../../electron/cli/command');
    const lines: string[] = [];
    const log = console.log;
    const err = console.error;
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    console.error = () => undefined;
    let code: number;
    try {
      ctx.session.close();
      code = await timelineCommand.run(['--case', ctx.dir, '--zone', 'Europe/Oslo', '--stack', 'country', '--top', '2']);
    } finally {
      console.log = log;
      console.error = err;
      ctx.session = await CaseSession.open(ctx.dir);
    }
    assert.equal(code, 0);
    assert.deepEqual(lines[0]!.split('\t'), ['bucket_start_utc', 'bucket_end_utc', 'NO', 'SE', 'other', 'total']);
    const total = lines.slice(1).reduce((a, l) => a + Number(l.split('\t').at(-1)), 0);
    assert.equal(total, rows.length);
    await assert.rejects(timelineCommand.run(['--case', ctx.dir, '--stack', 'nonsense']), UsageError);
    await assert.rejects(timelineCommand.run(['--case', ctx.dir, '--from', '2024-01-01T00:00:00Z']), UsageError);
  });

  test('an empty result and an unknown zone are handled', async () => {
    const q = timelineFor(ctx.session);
    const none = await histogram(q, { filter: { conditions: [{ kind: 'values', column: 'status', values: ['nothing'] }] }, timeZone: 'UTC', stackBy: 'status', topN: 5 });
    assert.equal(none.extent, null);
    assert.deepEqual(none.starts, []);
    await assert.rejects(histogram(q, { filter: NO_FILTER, timeZone: 'Mars/Olympus_Mons', stackBy: 'status', topN: 5 }), /Unknown time zone/);
  });
});

describe('zoned buckets', () => {
  let ctx: { session: CaseSession; dir: string };
  // Around the spring DST change in Oslo (2024-03-31 01:00 UTC): CET +1 before, CEST +2 after.
  const times = [
    Date.UTC(2024, 2, 30, 22, 59), // 23:59 Oslo, Mar 30
    Date.UTC(2024, 2, 30, 23, 0), // 00:00 Oslo, Mar 31
    Date.UTC(2024, 2, 31, 21, 59), // 23:59 Oslo, Mar 31 (CEST)
    Date.UTC(2024, 2, 31, 22, 0), // 00:00 Oslo, Apr 1
    Date.UTC(2024, 3, 1, 12, 0),
  ];
  before(async () => {
    ctx = await caseWith(times.map((t) => ({ t })));
  });
  after(() => {
    ctx.session.close();
    rmSync(ctx.dir, { recursive: true, force: true });
  });

  test('day buckets start at local midnight in Europe/Oslo, and the DST day is 23 hours', async () => {
    const h = await histogram(timelineFor(ctx.session), { filter: NO_FILTER, timeZone: 'Europe/Oslo', stackBy: 'status', topN: 5, bucket: '1d' });
    assert.deepEqual(h.starts, [Date.UTC(2024, 2, 29, 23), Date.UTC(2024, 2, 30, 23), Date.UTC(2024, 2, 31, 22)]);
    assert.deepEqual(h.ends, [Date.UTC(2024, 2, 30, 23), Date.UTC(2024, 2, 31, 22), Date.UTC(2024, 3, 1, 22)]);
    assert.equal(h.ends[1]! - h.starts[1]!, 23 * H);
    assert.deepEqual(h.counts[0], [1, 2, 2]);
    assert.equal(h.zone, 'Europe/Oslo');
  });

  test('the same rows in UTC fall on UTC midnights', async () => {
    const h = await histogram(timelineFor(ctx.session), { filter: NO_FILTER, timeZone: 'UTC', stackBy: 'status', topN: 5, bucket: '1d' });
    assert.deepEqual(h.starts, [Date.UTC(2024, 2, 30), Date.UTC(2024, 2, 31), Date.UTC(2024, 3, 1)]);
    assert.deepEqual(h.counts[0], [2, 2, 1]);
  });

  test('6-hour buckets start at local 00/06/12/18 in Oslo on both sides of the DST change', async () => {
    const h = await histogram(timelineFor(ctx.session), { filter: NO_FILTER, timeZone: 'Europe/Oslo', stackBy: 'status', topN: 5, bucket: '6h' });
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (const s of h.starts) assert.match(local.format(new Date(s)), /^(00|06|12|18):00$/, new Date(s).toISOString());
    assert.ok(h.starts.includes(Date.UTC(2024, 2, 31, 22)), 'Apr 1 00:00 CEST');
    assert.ok(h.starts.includes(Date.UTC(2024, 2, 30, 23)), 'Mar 31 00:00 CET');
    assert.equal(h.ends[h.starts.indexOf(Date.UTC(2024, 2, 30, 23))]! - Date.UTC(2024, 2, 30, 23), 5 * H, 'the DST night bucket is 5 hours');
    assert.equal(sum(h.counts), times.length);
  });

  test('6-hour buckets follow a half-hour zone (Asia/Kolkata, +05:30)', async () => {
    const h = await histogram(timelineFor(ctx.session), { filter: NO_FILTER, timeZone: 'Asia/Kolkata', stackBy: 'status', topN: 5, bucket: '6h' });
    for (const s of h.starts) assert.equal((s + 5.5 * H) % (6 * H), 0, `${new Date(s).toISOString()} is a local 00/06/12/18`);
    assert.equal(sum(h.counts), times.length);
  });

  test('whole-hour zones are cut from hours, others from quarter hours', async () => {
    const q = timelineFor(ctx.session);
    const step = (zone: string, bucket: BucketId, from = times[0]!, to = times[4]!) =>
      q.onCubeConnection(async (run) => fineStepFor(run, bucketById(bucket), await q.zone(zone), from, to));
    assert.equal(await step('Europe/Oslo', '1d'), H, 'CET and CEST, across the change');
    assert.equal(await step('Europe/Oslo', '6h'), H);
    assert.equal(await step('Asia/Kolkata', '1d'), 15 * M);
    assert.equal(await step('Australia/Lord_Howe', '1d', Date.UTC(2024, 3, 1), Date.UTC(2024, 3, 30)), 15 * M, 'a half-hour DST shift');
    assert.equal(await step('Europe/Oslo', '15m'), 15 * M, 'zone-independent sizes keep their own step');
  });
});

describe('lanes', () => {
  let ctx: { session: CaseSession; dir: string };
  const t0 = Date.UTC(2024, 4, 2, 8, 0);
  before(async () => {
    const rows: Row[] = [];
    // MFA fatigue: 40 interrupted prompts a minute apart, then a success.
    for (let i = 0; i < 40; i++) rows.push({ t: t0 + i * M, status: 'interrupted', user: 'fatigued@contoso.com', ip: '203.0.113.50' });
    rows.push({ t: t0 + 40 * M, status: 'success', user: 'fatigued@contoso.com', ip: '203.0.113.50' });
    // Spray: one IP, 30 users, one failure each.
    for (let i = 0; i < 30; i++) rows.push({ t: t0 + 2 * H + i * 2000, status: 'failure', user: `sprayed${i}@contoso.com`, ip: '198.51.100.66' });
    for (let i = 0; i < 20; i++) rows.push({ t: t0 + i * 7 * M, status: 'success', user: 'busy@contoso.com', ip: `10.1.0.${i % 3}` });
    rows.push({ t: t0 + 3 * H, status: 'success', user: null, ip: '10.9.9.9' });
    ctx = await caseWith(rows);
  });
  after(() => {
    ctx.session.close();
    rmSync(ctx.dir, { recursive: true, force: true });
  });

  test('top users by sign-ins, each sign-in a mark with its status', async () => {
    const l = await lanes(timelineFor(ctx.session), { filter: NO_FILTER, timeZone: 'UTC', by: 'user', topN: 2, maxMarksPerLane: 600 });
    assert.deepEqual(l.lanes.map((x) => x.label), ['fatigued@contoso.com', 'busy@contoso.com']);
    const fat = l.lanes[0]!;
    assert.equal(fat.total, 41);
    assert.equal(fat.interrupted, 40);
    assert.equal(fat.success, 1);
    assert.equal(fat.aggregated, false);
    const marks0 = l.marks.lane.map((lane, i) => ({ lane, i })).filter((m) => m.lane === 0).map((m) => m.i);
    assert.equal(marks0.length, 41);
    assert.equal(l.marks.status[marks0[40]!], 0, 'the last mark is the success');
    assert.equal(l.marks.t[marks0[40]!], t0 + 40 * M);
    assert.equal(l.marks.rowId[marks0[0]!], 1, 'the first prompt is row 1');
  });

  test('an IP lane shows the spray; named lanes keep their order and include missing users', async () => {
    const q = timelineFor(ctx.session);
    const ip = await lanes(q, { filter: NO_FILTER, timeZone: 'UTC', by: 'ip', topN: 1, values: ['198.51.100.66'], maxMarksPerLane: 600 });
    assert.equal(ip.lanes[0]!.total, 30);
    assert.equal(ip.lanes[0]!.failure, 30);
    const named = await lanes(q, { filter: NO_FILTER, timeZone: 'UTC', by: 'user', topN: 5, values: ['busy@contoso.com', 'nobody@contoso.com', null], maxMarksPerLane: 600 });
    assert.deepEqual(named.lanes.map((x) => [x.label, x.total]), [['busy@contoso.com', 20], ['nobody@contoso.com', 0], ['(none)', 1]]);
    const twice = await lanes(q, { filter: NO_FILTER, timeZone: 'UTC', by: 'user', topN: 5, values: ['busy@contoso.com', 'busy@contoso.com'], maxMarksPerLane: 600 });
    assert.deepEqual(twice.lanes.map((x) => x.total), [20, 0], 'a lane named twice fills its first place only');
    assert.equal(twice.marks.t.length, 20);
  });

  test("a lane card's distinct count is exact for its lane, filter and window", async () => {
    const q = timelineFor(ctx.session);
    const whole = { from: t0, to: t0 + 4 * H };
    const distinct = (by: 'user' | 'ip', value: string | null, range = whole, filter = NO_FILTER) =>
      laneDistinct(q, { filter, by, value, ...range }).then((r) => r.distinct);
    assert.equal(await distinct('user', 'fatigued@contoso.com'), 1, 'one IP behind the prompts');
    assert.equal(await distinct('ip', '198.51.100.66'), 30, 'thirty distinct users from one IP');
    assert.equal(await distinct('user', 'busy@contoso.com'), 3);
    assert.equal(await distinct('user', 'busy@contoso.com', { from: t0, to: t0 + 7 * M }), 1, 'the window holds one of its sign-ins');
    assert.equal(await distinct('ip', '198.51.100.66', { from: t0 + 2 * H, to: t0 + 2 * H + 10_000 }), 5, 'five sprayed users in ten seconds');
    assert.equal(await distinct('user', null), 1, 'the lane of sign-ins without a user');
    assert.equal(await distinct('user', 'nobody@contoso.com'), 0);
    const failures: FilterState = { conditions: [{ kind: 'values', column: 'status', values: ['failure'] }] };
    assert.equal(await distinct('user', 'busy@contoso.com', whole, failures), 0, 'under the filter');
    assert.equal(await distinct('ip', '198.51.100.66', whole, failures), 30);
    // The window a lanes result reports holds all of its lanes' sign-ins: the card asks for that.
    const l = await lanes(q, { filter: NO_FILTER, timeZone: 'UTC', by: 'user', topN: 2, maxMarksPerLane: 600 });
    assert.equal(await distinct('user', 'busy@contoso.com', l.window!), 3);
  });

  test('without a window the top lanes add their status counts up from the marks', async () => {
    const q = timelineFor(ctx.session);
    const top = await lanes(q, { filter: NO_FILTER, timeZone: 'UTC', by: 'user', topN: 3, maxMarksPerLane: 10 });
    const named = await lanes(q, { filter: NO_FILTER, timeZone: 'UTC', by: 'user', topN: 3, maxMarksPerLane: 10, values: top.lanes.map((x) => x.key) });
    assert.deepEqual(top, named, 'the same figures as the per-lane pass over the named lanes');
    assert.deepEqual(
      top.lanes.map((x) => [x.label, x.total, x.success, x.failure, x.interrupted, x.aggregated]),
      [
        ['fatigued@contoso.com', 41, 1, 0, 40, true],
        ['busy@contoso.com', 20, 20, 0, 0, true],
        ['sprayed0@contoso.com', 1, 0, 1, 0, false],
      ],
    );
    assert.deepEqual([top.lanes[0]!.firstSeen, top.lanes[0]!.lastSeen], [t0, t0 + 40 * M]);
  });

  test('dense lanes in a zone are cut on its wall clock', async () => {
    const q = timelineFor(ctx.session);
    const range = { from: t0 - 24 * H, to: t0 + 48 * H };
    const l = await lanes(q, { filter: NO_FILTER, timeZone: 'Europe/Oslo', by: 'user', topN: 1, maxMarksPerLane: 10, range });
    assert.equal(l.bucketMs, 24 * H);
    // Oslo is UTC+2 in May: the day holding 08:00 UTC on 2 May starts at 22:00 UTC on 1 May.
    assert.deepEqual([...new Set(l.marks.t)], [Date.UTC(2024, 4, 1, 22, 0)]);
    assert.deepEqual(l.marks.end, l.marks.t.map((t) => t + 24 * H));
    assert.equal(l.marks.n.reduce((a, b) => a + b, 0), 41);
  });

  test('dense lanes aggregate into buckets whose counts add up', async () => {
    const l = await lanes(timelineFor(ctx.session), { filter: NO_FILTER, timeZone: 'UTC', by: 'user', topN: 1, maxMarksPerLane: 10 });
    assert.equal(l.lanes[0]!.aggregated, true);
    assert.equal(l.marks.n.reduce((a, b) => a + b, 0), 41);
    assert.equal(l.bucketMs, 5 * M, "the lane's own 41 minutes in at most ten buckets");
    assert.ok(l.marks.t.length <= 10, `${l.marks.t.length} aggregate marks`);
    const wide = await lanes(timelineFor(ctx.session), { filter: NO_FILTER, timeZone: 'UTC', by: 'user', topN: 1, maxMarksPerLane: 10, range: { from: t0, to: t0 + 3 * H } });
    assert.equal(wide.bucketMs, H, 'a three-hour window in at most ten buckets');
    assert.deepEqual([wide.marks.status, wide.marks.n], [[0, 2], [1, 40]], 'one aggregate per status in the hour');
    const interruptedMarks = l.marks.status.map((s, i) => (s === 2 ? l.marks.n[i]! : 0)).reduce((a, b) => a + b, 0);
    assert.equal(interruptedMarks, 40);
  });

  test('row ids behind an aggregate mark select exactly that lane, window and status', async () => {
    const q = timelineFor(ctx.session);
    const ids = await laneRowIds(q, { filter: NO_FILTER, from: t0, to: t0 + 10 * M, lane: { by: 'user', value: 'fatigued@contoso.com' }, status: 2, limit: 1000 });
    assert.equal(ids.rowIds.length, 10);
    assert.equal(ids.truncated, false);
    const capped = await laneRowIds(q, { filter: NO_FILTER, from: t0, to: t0 + 4 * H, limit: 5 });
    assert.equal(capped.rowIds.length, 5);
    assert.equal(capped.truncated, true);
  });

  test('the first view (read from the sign-ins) and later zooms (from the lanes\' table) agree', async () => {
    const q = timelineFor(ctx.session);
    ctx.session.changed();
    const reqs = [
      { filter: NO_FILTER, timeZone: 'Europe/Oslo', by: 'user' as const, topN: 3, maxMarksPerLane: 10 },
      { filter: NO_FILTER, timeZone: 'UTC', by: 'user' as const, topN: 3, maxMarksPerLane: 10, range: { from: t0, to: t0 + 3 * H } },
      { filter: NO_FILTER, timeZone: 'UTC', by: 'ip' as const, topN: 2, maxMarksPerLane: 600, values: ['198.51.100.66', null] },
    ];
    for (const req of reqs) {
      const first = await lanes(q, req);
      // The lanes' table is built behind the first view, once requests pause.
      await q.backgroundSettled();
      assert.deepEqual(await lanes(q, req), first, JSON.stringify(req));
    }
  });

  test('a background build made stale by a data change is interrupted by the next request', async () => {
    const q = timelineFor(ctx.session);
    // A build that runs for many seconds: only an interrupt lets the request below through quickly.
    q.prepareCube(['slow build'], (name) => ({ sql: `CREATE TEMP TABLE ${name} AS SELECT sum(hash(md5(CAST(range AS VARCHAR)))) AS h FROM range(50000000)`, params: [] }));
    await new Promise((r) => setTimeout(r, 1000)); // past the pause: the build is running
    ctx.session.changed();
    const t = performance.now();
    assert.deepEqual((await q.onCubeConnection((run) => run('SELECT 1 AS x'))).x, [1]);
    assert.ok(performance.now() - t < 3000, `the cube connection answered after ${Math.round(performance.now() - t)} ms`);
    await q.backgroundSettled();
  });

  test('lanes follow the shared filter', async () => {
    const filter: FilterState = { conditions: [{ kind: 'values', column: 'status', values: ['success'] }] };
    const l = await lanes(timelineFor(ctx.session), { filter, timeZone: 'UTC', by: 'user', topN: 5, maxMarksPerLane: 600 });
    assert.equal(l.lanes[0]!.label, 'busy@contoso.com');
    assert.ok(l.marks.status.every((s) => s === 0));
  });
});
