import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { closeBrowser, foreignRequests, startApp, type E2EApp } from '../support/e2e';
import { generateDataset } from '../../electron/engine/demo/generate';
import type { GroundTruth } from '../../electron/engine/demo/truth';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { importFiles } from '../../electron/engine/import/importFiles';
import type { HistogramResult, LanesResult } from '../../electron/api/methods/timeline';

// The timeline end to end on the demo tenant: brush a range and watch the grid's count
// follow, switch the stacking, and open lanes for the planted spray and MFA-fatigue users.

const LAYOUT = { left: 208, right: 28, histTop: 52, histHeight: 220 };

let work: string;
let caseDir: string;
let truth: GroundTruth;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'signet-timeline-e2e-'));
  truth = await generateDataset({ outDir: join(work, 'evidence'), rows: 4000, seed: 'signet', shapes: ['portal-csv'] });
  caseDir = join(work, 'case');
  const session = await CaseSession.create(caseDir, 'test', 'Timeline e2e');
  const ac = new AbortController();
  await importFiles(session, truth.files.map((f) => f.path), { signal: ac.signal, progress: () => undefined });
  session.close();
});

after(async () => {
  await closeBrowser();
  rmSync(work, { recursive: true, force: true });
});

/** The result of the next engine call of `method` whose arguments contain `needle`. */
async function nextCall<T>(page: Page, method: string, needle: string, action: () => Promise<unknown>): Promise<T> {
  const wait = page.waitForResponse((r: Response) => r.url().endsWith('/api/call') && (r.request().postData() ?? '').includes(`"method":"${method}"`) && (r.request().postData() ?? '').includes(needle), { timeout: 90_000 });
  await action();
  const body = (await (await wait).json()) as { ok: boolean; result: T; error?: { message: string } };
  assert.ok(body.ok, body.error?.message);
  return body.result;
}

async function openTimeline(app: E2EApp): Promise<HistogramResult> {
  await app.engine.openCase(caseDir);
  return nextCall<HistogramResult>(app.page, 'timelineHistogram', '"stackBy":"status"', async () => {
    await app.page.reload();
    await app.page.getByRole('tab', { name: 'Timeline' }).click();
  });
}

/** Pixel x inside the chart of a UTC instant, from the axis the chart draws (UTC display zone). */
async function xOf(page: Page, hist: HistogramResult, t: number): Promise<number> {
  const box = (await page.getByTestId('timeline-chart').boundingBox())!;
  const plot = box.width - LAYOUT.left - LAYOUT.right;
  const { from, to } = hist.extent!;
  return box.x + LAYOUT.left + ((t - from) / (to - from)) * plot;
}

/** Pixel x of a UTC instant when the chart shows `window` (after a zoom). */
async function xIn(page: Page, window: { from: number; to: number }, t: number): Promise<number> {
  const box = (await page.getByTestId('timeline-chart').boundingBox())!;
  return box.x + LAYOUT.left + ((t - window.from) / (window.to - window.from)) * (box.width - LAYOUT.left - LAYOUT.right);
}

async function chartY(page: Page, fraction: number): Promise<number> {
  const box = (await page.getByTestId('timeline-chart').boundingBox())!;
  return box.y + LAYOUT.histTop + LAYOUT.histHeight * fraction;
}

async function drag(page: Page, x0: number, x1: number, y: number): Promise<void> {
  await page.mouse.move(x0, y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(x0 + ((x1 - x0) * i) / 8, y);
  await page.mouse.up();
}

async function countSql(app: E2EApp, from: string, to: string): Promise<number> {
  const session = app.engine.requireCase();
  const n = await session.db.scalar(`SELECT count(*) FROM signins WHERE time_utc >= CAST(? AS TIMESTAMP) AND time_utc < CAST(? AS TIMESTAMP)`, [
    from.replace('T', ' ').replace('Z', ''),
    to.replace('T', ' ').replace('Z', ''),
  ]);
  return Number(n);
}

const digits = (s: string | null) => Number((s ?? '').replace(/[^0-9]/g, ''));

for (const scheme of ['light', 'dark'] as const) {
  describe(`timeline (${scheme})`, () => {
    let app: E2EApp;
    let hist: HistogramResult;
    before(async () => {
      app = await startApp({ colorScheme: scheme });
      // Generous waits: the suite shares two cores with everything else running.
      app.page.setDefaultTimeout(90_000);
      hist = await openTimeline(app);
    });
    after(async () => {
      assert.deepEqual(foreignRequests(app.requests), []);
      await app.close();
    });

    test('draws every sign-in of the case in buckets, axis in the display zone', async () => {
      const total = Number(await app.engine.requireCase().db.scalar('SELECT count(*) FROM signins'));
      assert.equal(hist.counts.flat().reduce((a, b) => a + b, 0), total);
      assert.equal(digits(await app.page.getByTestId('timeline-shown').textContent()), total);
      assert.equal(hist.zone, 'UTC');
      assert.equal(hist.bucket.id, '6h', 'a month in 6-hour buckets');
      await app.screenshot(`timeline-overview-${scheme}`);
    });

    test('hovering a bucket shows its counts per series', async () => {
      const i = hist.counts[0]!.indexOf(Math.max(...hist.counts[0]!));
      const x = await xOf(app.page, hist, (hist.starts[i]! + hist.ends[i]!) / 2);
      await app.page.mouse.move(x, await chartY(app.page, 0.9));
      const card = app.page.getByTestId('timeline-hover');
      await card.waitFor();
      const total = hist.counts.reduce((a, c) => a + c[i]!, 0);
      assert.match((await card.textContent()) ?? '', new RegExp(`Total${total.toLocaleString('en-US')}`));
      await app.screenshot(`timeline-hover-${scheme}`);
      await app.page.mouse.move(5, 5);
    });

    test('brushing a range sets the shared time filter; the grid count follows exactly', async () => {
      const { from, to } = hist.extent!;
      const x0 = await xOf(app.page, hist, from + (to - from) * 0.3);
      const x1 = await xOf(app.page, hist, from + (to - from) * 0.46);
      await drag(app.page, x0, x1, await chartY(app.page, 0.5));
      const chip = app.page.getByTestId('timeline-selection');
      await chip.waitFor();
      const selFrom = (await chip.getAttribute('data-from'))!;
      const selTo = (await chip.getAttribute('data-to'))!;
      // The brush snaps outward to whole buckets.
      assert.ok(hist.starts.includes(Date.parse(selFrom)), `${selFrom} is a bucket start`);
      assert.ok(hist.ends.includes(Date.parse(selTo)), `${selTo} is a bucket end`);
      const expected = await countSql(app, selFrom, selTo);
      assert.ok(expected > 0);
      const bucketSum = hist.starts.reduce((sum, s, i) => (s >= Date.parse(selFrom) && hist.ends[i]! <= Date.parse(selTo) ? sum + hist.counts.reduce((a, c) => a + c[i]!, 0) : sum), 0);
      assert.equal(bucketSum, expected, 'the selection holds exactly the bars under it');
      await app.page.waitForFunction((n) => document.querySelector('[data-testid="timeline-selected-count"]')?.textContent?.replace(/\D/g, '') === String(n), expected);
      await app.page.mouse.move(5, 5);
      await app.screenshot(`timeline-brushed-${scheme}`);

      if (scheme === 'dark') return; // the rest is colour-independent; the light run covers it

      // A second brush replaces the first: still one condition on time_utc.
      const y0 = await xOf(app.page, hist, from + (to - from) * 0.6);
      const y1 = await xOf(app.page, hist, from + (to - from) * 0.7);
      await drag(app.page, y0, y1, await chartY(app.page, 0.5));
      await app.page.waitForFunction((prev) => document.querySelector('[data-testid="timeline-selection"]')?.getAttribute('data-from') !== prev, selFrom);
      const from2 = (await chip.getAttribute('data-from'))!;
      const to2 = (await chip.getAttribute('data-to'))!;
      const expected2 = await countSql(app, from2, to2);
      await app.page.waitForFunction((n) => document.querySelector('[data-testid="timeline-selected-count"]')?.textContent?.replace(/\D/g, '') === String(n), expected2);

      // The Sign-ins grid reads the same shared filter.
      await app.page.getByRole('tab', { name: 'Sign-ins' }).click();
      const total = Number(await app.engine.requireCase().db.scalar('SELECT count(*) FROM signins'));
      await app.page.waitForFunction(
        ([n, m]) => {
          const t = document.querySelector('[data-testid="row-count"]')?.textContent ?? '';
          return t.replace(/,/g, '').includes(`${n} of ${m}`);
        },
        [expected2, total] as const,
      );
      await app.screenshot(`timeline-grid-follows-${scheme}`);
      await app.page.getByRole('tab', { name: 'Timeline' }).click();
      await app.page.getByTestId('timeline-chart').waitFor();
    });

    test('switching the stacking to top users puts the rest in "other"', async () => {
      const h = await nextCall<HistogramResult>(app.page, 'timelineHistogram', '"stackBy":"user"', () => app.page.getByLabel('Stack by').selectOption('user'));
      const top = await app.engine
        .requireCase()
        .db.all<{ u: string | null }>(`SELECT user_principal_name AS u FROM signins GROUP BY 1 ORDER BY count(*) DESC, u NULLS LAST LIMIT 8`);
      assert.deepEqual(
        h.series.filter((s) => s.kind === 'value').map((s) => s.key),
        top.map((r) => r.u),
      );
      assert.equal(h.series.at(-1)!.kind, 'other');
      const total = Number(await app.engine.requireCase().db.scalar('SELECT count(*) FROM signins'));
      assert.equal(h.counts.flat().reduce((a, b) => a + b, 0), total);
      await app.page.getByTestId('timeline-chart').locator('canvas').first().waitFor();
      await app.page.waitForTimeout(300);
      await app.screenshot(`timeline-stack-users-${scheme}`);
      const byLog = await nextCall<HistogramResult>(app.page, 'timelineHistogram', '"stackBy":"log_type"', () => app.page.getByLabel('Stack by').selectOption('log_type'));
      assert.ok(byLog.series.some((s) => s.key === 'noninteractive'));
      await nextCall<HistogramResult>(app.page, 'timelineHistogram', '"stackBy":"status"', () => app.page.getByLabel('Stack by').selectOption('status'));
    });

    test('lanes for the planted MFA-fatigue and password-spray users show the loop and the success', async () => {
      const fatigue = truth.incidents.find((i) => i.kind === 'mfa_fatigue')!;
      const spray = truth.incidents.find((i) => i.kind === 'password_spray')!;
      const victim = fatigue.users[0]!;
      const sprayedUsers = spray.users.slice(0, 2);
      const picker = app.page.getByLabel('Pick users for lanes');
      for (const u of [victim, ...sprayedUsers]) {
        const res = nextCall<LanesResult>(app.page, 'timelineLanes', JSON.stringify(u), async () => {
          await picker.fill(u);
          await app.page.waitForTimeout(250);
          await picker.press('Enter');
        });
        await res;
      }
      await app.page.keyboard.press('Escape');

      // Zoom onto the fatigue incident: brush around it, then "Zoom to selection".
      const session = app.engine.requireCase();
      const span = await session.db.one<{ lo: number; hi: number }>(
        `SELECT CAST(epoch_ms(min(time_utc)) AS DOUBLE) AS lo, CAST(epoch_ms(max(time_utc)) AS DOUBLE) AS hi FROM signins WHERE request_id IN (SELECT unnest(CAST(? AS VARCHAR[])))`,
        [`[${fatigue.requestIds.join(',')}]`],
      );
      const lo = Number(span!.lo);
      const hi = Number(span!.hi);
      await drag(app.page, await xOf(app.page, hist, lo - 3_600_000), await xOf(app.page, hist, hi + 3_600_000), await chartY(app.page, 0.5));
      await app.page.getByTestId('timeline-selection').waitFor();
      const sixHours = await nextCall<LanesResult>(app.page, 'timelineLanes', '"range"', () => app.page.getByRole('button', { name: 'Zoom to selection' }).click());
      // Closer: brush ten minutes either side of the loop in the zoomed view, zoom again.
      await app.page.waitForTimeout(300);
      await drag(app.page, await xIn(app.page, sixHours.window!, lo - 600_000), await xIn(app.page, sixHours.window!, hi + 600_000), await chartY(app.page, 0.5));
      await app.page.waitForFunction((w) => Date.parse(document.querySelector('[data-testid="timeline-selection"]')?.getAttribute('data-from') ?? '0') > w, sixHours.window!.from);
      const zoomed = await nextCall<LanesResult>(app.page, 'timelineLanes', '"range"', () => app.page.getByRole('button', { name: 'Zoom to selection' }).click());
      assert.ok(zoomed.window!.to - zoomed.window!.from < 3_600_000, 'zoomed to well under an hour');
      assert.deepEqual(zoomed.lanes.map((l) => l.key), [victim, ...sprayedUsers]);
      const lane = zoomed.lanes[0]!;
      assert.ok(lane.failure + lane.interrupted >= 12, `the fatigue loop: ${lane.failure} failures, ${lane.interrupted} interrupted`);
      assert.ok(lane.success >= 1, 'the moment the user gave in');
      assert.equal(lane.aggregated, false, 'every prompt is its own mark');
      const marks = zoomed.marks.lane.flatMap((l, i) => (l === 0 ? [i] : []));
      const lastAttack = marks.filter((i) => zoomed.marks.t[i]! <= hi);
      assert.equal(zoomed.marks.status[lastAttack.at(-1)!], 0, 'the loop ends in a success');
      await app.page.waitForTimeout(400);
      await app.screenshot(`timeline-lanes-fatigue-${scheme}`);

      // Click the success mark: its row becomes the shared selection.
      const successIdx = lastAttack.at(-1)!;
      const box = (await app.page.getByTestId('timeline-chart').boundingBox())!;
      const laneTop = box.y + 52 + 220 + 44 + 22 + 40;
      const mx = await xIn(app.page, zoomed.window!, zoomed.marks.t[successIdx]!);
      await app.page.mouse.move(mx, laneTop + 12);
      await app.page.getByTestId('timeline-hover').getByText('IP', { exact: true }).waitFor();
      await app.screenshot(`timeline-lane-hover-${scheme}`);
      await app.page.mouse.click(mx, laneTop + 12);
      await app.page.getByTestId('timeline-rows-selection').waitFor();
      await app.page.waitForFunction(() => document.querySelector('[data-testid="timeline-selected-count"]')?.textContent === '1');

      // Spray: an IP lane for the attacker shows many users failing from one address.
      const ipLanes = await nextCall<LanesResult>(app.page, 'timelineLanes', '"by":"ip"', () => app.page.getByLabel('Lanes', { exact: true }).selectOption('ip'));
      assert.ok(ipLanes.lanes.length > 0);
      const sprayIp = spray.ips[0]!;
      const sprayLane = await nextCall<LanesResult>(app.page, 'timelineLanes', JSON.stringify(sprayIp), async () => {
        await app.page.getByLabel('Pick IP addresses for lanes').fill(sprayIp);
        await app.page.waitForTimeout(250);
        await app.page.getByLabel('Pick IP addresses for lanes').press('Enter');
      });
      assert.equal(sprayLane.lanes[0]!.key, sprayIp);
      await app.page.keyboard.press('Escape');
      const sprayed = await session.db.one<{ lo: number; hi: number }>(
        `SELECT CAST(epoch_ms(min(time_utc)) AS DOUBLE) AS lo, CAST(epoch_ms(max(time_utc)) AS DOUBLE) AS hi FROM signins WHERE request_id IN (SELECT unnest(CAST(? AS VARCHAR[])))`,
        [`[${spray.requestIds.join(',')}]`],
      );
      await app.page.getByRole('button', { name: 'Reset zoom' }).click();
      await app.page.waitForTimeout(500);
      await drag(app.page, await xOf(app.page, hist, Number(sprayed!.lo) - 3_600_000), await xOf(app.page, hist, Number(sprayed!.hi) + 3_600_000), await chartY(app.page, 0.5));
      await app.page.waitForTimeout(300);
      // The histogram comes with the lanes; either one arriving closes an open hover card.
      const sprayHist = app.page.waitForResponse((r: Response) => r.url().endsWith('/api/call') && /"method":"timelineHistogram".*"range"/.test(r.request().postData() ?? ''), { timeout: 90_000 });
      const sprayView = await nextCall<LanesResult>(app.page, 'timelineLanes', '"range"', () => app.page.getByRole('button', { name: 'Zoom to selection' }).click());
      await sprayHist;
      const ipLane = sprayView.lanes[0]!;
      assert.ok(ipLane.failure >= spray.users.length - 3, `${ipLane.failure} failures from the spray address`);
      assert.ok(ipLane.success >= 1, 'one sprayed password worked');
      // The lane's card counts the distinct users behind the address when it opens.
      const chart = (await app.page.getByTestId('timeline-chart').boundingBox())!;
      const distinct = await nextCall<{ distinct: number }>(app.page, 'timelineLaneDistinct', JSON.stringify(sprayIp), () =>
        app.page.mouse.move(chart.x + LAYOUT.left - 40, chart.y + 52 + 220 + 44 + 22 + 40 + 12),
      );
      assert.ok(distinct.distinct >= spray.users.length, `${distinct.distinct} users from one address`);
      const shown = app.page.getByTestId('timeline-hover').getByTestId('timeline-lane-distinct');
      await app.page.waitForFunction((n) => document.querySelector('[data-testid="timeline-lane-distinct"]')?.textContent === n, distinct.distinct.toLocaleString('en-US'));
      assert.equal(await shown.textContent(), distinct.distinct.toLocaleString('en-US'));
      await app.screenshot(`timeline-lane-card-${scheme}`);
      await app.page.mouse.move(chart.x + 4, chart.y + 4);
      await app.page.waitForTimeout(300);
      await app.screenshot(`timeline-lanes-spray-ip-${scheme}`);
      assert.equal(await app.page.getByTestId('timeline-rows-selection').count(), 0, 'a new range replaces the mark selection');
      await app.page.getByRole('button', { name: 'Clear time selection' }).click();
      await app.page.waitForFunction(() => !document.querySelector('[data-testid="timeline-selection"]'));
    });

    test('the display zone follows the app setting: Europe/Oslo day parts, zone on the axis', async () => {
      const oslo = await nextCall<HistogramResult>(app.page, 'timelineHistogram', '"timeZone":"Europe/Oslo"', () => app.page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Oslo'));
      assert.equal(oslo.zone, 'Europe/Oslo');
      assert.equal(oslo.bucket.id, '6h');
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      for (const s of oslo.starts) assert.match(parts.format(new Date(s)), /^(00|06|12|18):00$/, new Date(s).toISOString());
      assert.equal(oslo.counts.flat().reduce((a, b) => a + b, 0), hist.counts.flat().reduce((a, b) => a + b, 0));
      await app.page.locator('.tl-status').getByText('Europe/Oslo', { exact: true }).waitFor();
      await app.page.waitForTimeout(300);
      await app.screenshot(`timeline-oslo-${scheme}`);
      await app.page.getByLabel('Time zone', { exact: true }).selectOption('UTC');
    });
  });
}
