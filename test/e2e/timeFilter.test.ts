import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { closeBrowser, foreignRequests, startApp, type E2EApp, openCaseInPage } from '../support/e2e';
import { insertSyntheticRows } from '../support/gridFixture';

// The time filter as a responder in Oslo types it (ISO, 24-hour, across the night summer
// time ends), its presets relative to the case, and every time label in the chosen zone.
// Expected counts come from the fixture's own times and Python's zoneinfo, not the app.

const N = 600;
const START = Date.UTC(2026, 9, 23); // 2026-10-23 00:00 UTC; Oslo falls back on 2026-10-25 at 01:00 UTC
const STEP = 13 * 60_000;
/** Mixed precision: whole seconds, tenths and microseconds in turn. */
const FRACTION_US = [0, 500_000, 123_456];
/** Row i's time in ms (microseconds floored; no bound below falls inside a millisecond). */
const timeMs = (i: number) => START + i * STEP + Math.floor(FRACTION_US[i % 3]! / 1000);
const TIMES = Array.from({ length: N }, (_, k) => timeMs(k + 1));
const countIn = (from: number, to: number) => TIMES.filter((t) => t >= from && t < to).length;

let dir: string;
let app: E2EApp;
let page: Page;

/** Wall times in a zone → UTC ms, by Python's zoneinfo (first instant in a fold). */
function zoneinfo(zone: string, walls: string[]): number[] {
  const py = String.raw`
import json, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
zone, walls = json.loads(sys.stdin.read())
z = ZoneInfo(zone)
print(json.dumps([datetime.strptime(w, '%Y-%m-%d %H:%M:%S').replace(tzinfo=z, fold=0).astimezone(timezone.utc).timestamp() * 1000 for w in walls]))
`;
  const r = spawnSync('python3', ['-c', py], { input: JSON.stringify([zone, walls]), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as number[];
}

/** UTC ms → the Oslo wall clock, by zoneinfo. */
function osloWall(ms: number): string {
  const py = `import sys\nfrom datetime import datetime, timezone\nfrom zoneinfo import ZoneInfo\nprint(datetime.fromtimestamp(${ms} / 1000, timezone.utc).astimezone(ZoneInfo('Europe/Oslo')).strftime('%Y-%m-%d %H:%M:%S'))`;
  const r = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signet-time-e2e-'));
  const s = await CaseSession.create(dir, 'test', 'Time e2e case');
  await insertSyntheticRows(s, N);
  await s.db.run(
    `UPDATE signins SET time_utc = TIMESTAMP '2026-10-23 00:00:00' + to_microseconds(row_id * ${STEP * 1000} + [0, 500000, 123456][1 + row_id % 3])`,
  );
  s.close();
  app = await startApp({ colorScheme: 'light' });
  page = app.page;
  await openCaseInPage(app, dir);
});

after(async () => {
  await app?.close();
  await closeBrowser();
});

async function gridShows(n: number): Promise<void> {
  try {
    await page.waitForFunction((want) => (document.querySelector('[data-testid="row-count"] strong')?.textContent ?? '').replace(/,/g, '') === String(want), n, { timeout: 20000 });
  } catch (e) {
    throw new Error(`grid shows "${await page.textContent('[data-testid="row-count"]')}", not ${n}; chips: ${await page.locator('.chips').textContent()}`, { cause: e });
  }
}
async function openTimeFilter(): Promise<void> {
  await page.locator('.ag-header-cell[col-id="time_utc"]').hover();
  await page.click('[data-filter-column="time_utc"]');
  await page.waitForSelector('.filter-pop .time-range');
}
async function clearAll(): Promise<void> {
  if (await page.locator('.clear-all').count()) await page.click('.clear-all');
  await gridShows(N);
}

test('labels follow the zone: grid header, sort in the status bar, filter, chooser, detail pane, case tab', async () => {
  await page.selectOption('select[aria-label="Time zone"]', 'Europe/Oslo');
  await page.waitForSelector('.ag-header-cell[col-id="time_utc"]:has-text("Date (Europe/Oslo)")');
  const status = (await page.textContent('.statusbar')) ?? '';
  assert.match(status, /Sorted by Date \(Europe\/Oslo\) ↓/);
  assert.match(status, /Times in Europe\/Oslo/);
  assert.doesNotMatch(status, /UTC/, 'no UTC label left in the status bar');
  // The newest row, shown on Oslo's wall clock (CET after the change).
  const newest = TIMES[N - 1]!;
  // The grid redraws its rows after the switch; wait for the redrawn cell rather than read a row mid-redraw.
  const want = osloWall(newest);
  await page.waitForFunction((w) => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]')?.textContent?.startsWith(w), want, { timeout: 15000 });
  const cell = await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]').textContent();
  assert.equal(cell?.slice(0, 19), want);
  // The filter's title and the column chooser.
  await openTimeFilter();
  assert.match((await page.textContent('.filter-pop .filter-head')) ?? '', /Date \(Europe\/Oslo\)/);
  await page.keyboard.press('Escape');
  await page.click('button[aria-label^="Columns:"]');
  assert.match((await page.textContent('.chooser')) ?? '', /Date \(Europe\/Oslo\)/);
  assert.doesNotMatch((await page.textContent('.chooser')) ?? '', /Date \(UTC\)/);
  await page.keyboard.press('Escape');
  // The detail pane.
  await page.dblclick('.ag-row[row-index="0"] .ag-cell[col-id="user_display_name"]');
  await page.waitForSelector('.detail .fields');
  const pane = (await page.textContent('.detail')) ?? '';
  assert.match(pane, /Date \(Europe\/Oslo\)/);
  assert.doesNotMatch(pane, /\(UTC\)/);
  await page.click('.detail .close');
  // The Case tab's time span, in the zone.
  await page.getByRole('tab', { name: 'Case' }).click();
  await page.waitForSelector('dt:has-text("First (Europe/Oslo)")');
  assert.match((await page.textContent('.content')) ?? '', new RegExp(`Last \\(Europe/Oslo\\)${osloWall(newest)}`));
  await page.getByRole('tab', { name: 'Sign-ins' }).click();
  await page.waitForSelector('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]');
});

test('mixed precision: whole seconds, tenths and microseconds never end in an ellipsis', async () => {
  await page.waitForSelector('.ag-row[row-index="12"] .ag-cell[col-id="time_utc"]', { timeout: 20000 });
  await page.waitForFunction(() => /\d/.test(document.querySelector('.ag-row[row-index="12"] .ag-cell[col-id="time_utc"]')?.textContent ?? ''));
  const cells = await page.$$eval('.ag-row .ag-cell[col-id="time_utc"]', (els) =>
    els.map((el) => {
      const inner = (el.querySelector('.ag-cell-value') ?? el) as HTMLElement;
      return { text: el.textContent ?? '', fits: inner.scrollWidth <= inner.clientWidth && el.scrollWidth <= el.clientWidth };
    }),
  );
  assert.ok(cells.length >= 10, `${cells.length} time cells on screen`);
  assert.ok(cells.some((c) => /\.123456$/.test(c.text)), 'a microsecond time is on screen');
  assert.ok(cells.some((c) => /\.500$/.test(c.text)), 'a tenth-second time is on screen');
  assert.ok(cells.some((c) => /:\d\d$/.test(c.text)), 'a whole-second time is on screen');
  for (const c of cells) assert.ok(c.fits, `"${c.text}" fits its cell`);
  assert.ok(cells.every((c) => !c.text.includes('…')));
});

test('a range typed in Europe/Oslo across the end of summer time filters exactly its rows', async () => {
  await openTimeFilter();
  assert.equal(await page.locator('.filter-pop input[type="datetime-local"]').count(), 0, 'no native date picker');
  await page.fill('.filter-pop input[aria-label="From (Europe/Oslo)"]', '2026-10-25 01:30');
  await page.fill('.filter-pop input[aria-label="To (Europe/Oslo)"]', '2026-10-25T03:30:00');
  // The UTC the typed time stands for is shown as it is typed.
  assert.match((await page.textContent('.filter-pop')) ?? '', /= 2026-10-24 23:30:00 UTC/);
  assert.match((await page.textContent('.filter-pop')) ?? '', /= 2026-10-25 02:30:00 UTC/);
  await app.screenshot('time-filter-light');
  await page.click('.filter-pop button:has-text("Apply")');
  const [from, to] = zoneinfo('Europe/Oslo', ['2026-10-25 01:30:00', '2026-10-25 03:30:00']);
  assert.equal(to! - from!, 3 * 3_600_000, 'three hours: the clocks went back in between');
  await gridShows(countIn(from!, to!));
  assert.match((await page.textContent('.chips')) ?? '', /Date \(Europe\/Oslo\) 2026-10-25 01:30:00 → 2026-10-25 03:30:00 \(Europe\/Oslo\)/);
  await clearAll();
});

test('bad input is refused with a message that says what is wrong', async () => {
  await openTimeFilter();
  await page.fill('.filter-pop input[aria-label="From (Europe/Oslo)"]', '10/25/2026 2:30 PM');
  assert.match((await page.textContent('.filter-pop')) ?? '', /From: "10\/25\/2026 2:30 PM" is not YYYY-MM-DD HH:MM\[:SS\]\. Type it without AM\/PM/);
  await page.fill('.filter-pop input[aria-label="From (Europe/Oslo)"]', '2026-10-32 10:00');
  await page.click('.filter-pop button:has-text("Apply")');
  await page.waitForSelector('.filter-pop [role="alert"]:has-text("2026-10 has no day 32 (it has 31)")');
  await page.fill('.filter-pop input[aria-label="From (Europe/Oslo)"]', '2026-03-29 02:30');
  await page.click('.filter-pop button:has-text("Apply")');
  await page.waitForSelector('.filter-pop [role="alert"]:has-text("does not exist in Europe/Oslo")');
  await page.fill('.filter-pop input[aria-label="From (Europe/Oslo)"]', '2026-10-25 12:00');
  await page.fill('.filter-pop input[aria-label="To (Europe/Oslo)"]', '2026-10-25 11:00');
  await page.click('.filter-pop button:has-text("Apply")');
  await page.waitForSelector('.filter-pop [role="alert"]:has-text("To must be after From")');
  await app.screenshot('time-filter-error-light');
  await page.keyboard.press('Escape');
  await gridShows(N);
  assert.equal(await page.locator('.chips .chip').count(), 0, 'nothing was applied');
});

test('presets: the last 1 h / 24 h / 7 d of the case and this day, relative to the data', async () => {
  const latest = Math.max(...TIMES);
  const end = Math.floor(latest / 1000) * 1000 + 1000;
  for (const [name, span] of [
    ['Last 1 h', 3_600_000],
    ['Last 24 h', 86_400_000],
    ['Last 7 d', 7 * 86_400_000],
  ] as const) {
    await openTimeFilter();
    await page.click(`.filter-pop .time-presets button:has-text("${name}")`);
    await gridShows(countIn(end - span, end));
    assert.match((await page.textContent('.chips')) ?? '', new RegExp(`${name} of the case: .* \\(Europe/Oslo\\)`));
  }
  await clearAll();
  // This day: the selected row's day on Oslo's clock (25 October has 25 hours there).
  const [noon] = zoneinfo('Europe/Oslo', ['2026-10-25 12:00:00']);
  const pick = TIMES.findIndex((t) => t >= noon!);
  assert.ok(pick >= 0);
  const search = page.getByLabel('Search all text columns');
  await search.fill(`req-${String(pick + 1).padStart(8, '0')}`);
  await search.press('Enter');
  await gridShows(1);
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="user_display_name"]');
  await search.fill('');
  await search.press('Enter');
  await gridShows(N);
  await openTimeFilter();
  await page.click('.filter-pop .time-presets button:has-text("This day")');
  const [dayFrom, dayTo] = zoneinfo('Europe/Oslo', ['2026-10-25 00:00:00', '2026-10-26 00:00:00']);
  assert.equal(dayTo! - dayFrom!, 25 * 3_600_000);
  await gridShows(countIn(dayFrom!, dayTo!));
  assert.match((await page.textContent('.chips')) ?? '', /This day \(selected row\): 2026-10-25 00:00:00 → 2026-10-26 00:00:00 \(Europe\/Oslo\)/);
  await clearAll();
});

test('the map and the timeline name the zone too; UTC comes back', async () => {
  await page.getByRole('tab', { name: 'Map' }).click();
  await page.waitForSelector('.geo-time[title*="(Europe/Oslo)"]', { timeout: 30000 });
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.waitForSelector('[title="Display time zone"]:has-text("Europe/Oslo")', { timeout: 30000 });
  await page.getByRole('tab', { name: 'Sign-ins' }).click();
  await page.selectOption('select[aria-label="Time zone"]', 'UTC');
  await page.waitForSelector('.ag-header-cell[col-id="time_utc"]:has-text("Date (UTC)")');
  assert.match((await page.textContent('.statusbar')) ?? '', /Sorted by Date \(UTC\) ↓.*Times in UTC/);
  assert.deepEqual(foreignRequests(app.requests), []);
});

test('date filter in dark mode', async () => {
  app.engine.closeCase();
  const dark = await startApp({ colorScheme: 'dark' });
  try {
    await dark.engine.openCase(dir);
    await dark.page.reload();
    await dark.page.selectOption('select[aria-label="Time zone"]', 'Europe/Oslo');
    await dark.page.waitForSelector('.ag-header-cell[col-id="time_utc"]:has-text("Date (Europe/Oslo)")', { timeout: 30000 });
    await dark.page.locator('.ag-header-cell[col-id="time_utc"]').hover();
    await dark.page.click('[data-filter-column="time_utc"]');
    await dark.page.fill('.filter-pop input[aria-label="From (Europe/Oslo)"]', '2026-10-25 01:30');
    await dark.page.fill('.filter-pop input[aria-label="To (Europe/Oslo)"]', '2026-10-25 25:00');
    await dark.page.waitForSelector('.filter-pop :text("hour 25 is past 23")');
    await dark.screenshot('time-filter-dark');
  } finally {
    await dark.close();
  }
});
