import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { CaseSession } from '../../electron/engine/case/caseSession';
import type { HistogramResult, LanesResult } from '../../electron/api/methods/timeline';
import { closeBrowser, foreignRequests, openCaseInPage, startApp, type E2EApp } from '../support/e2e';
import { insertSyntheticRows } from '../support/gridFixture';

// A timeline hover card or a grid header tooltip never lingers over a popover, a menu or a
// dialog: opening one (by pointer or by key) takes the card away, and it does not come back
// while the popover is open.

const N = 1500;
/** The chart's layout (timelineOption.ts): plot inset, histogram and the first lane's row. */
const LAYOUT = { left: 208, right: 28, firstLaneY: 52 + 220 + 44 + 22 + 40 + 12 };

let work: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'signet-hover-e2e-'));
  const s = await CaseSession.create(join(work, 'case'), 'test', 'Hover e2e case');
  await insertSyntheticRows(s, N);
  s.close();
});

after(async () => {
  await closeBrowser();
  rmSync(work, { recursive: true, force: true });
});

/** The result of the next engine call of `method`, caused by `action`. */
async function nextCall<T>(page: Page, method: string, action: () => Promise<unknown>): Promise<T> {
  const wait = page.waitForResponse((r: Response) => r.url().endsWith('/api/call') && (r.request().postData() ?? '').includes(`"method":"${method}"`), { timeout: 90_000 });
  await action();
  const body = (await (await wait).json()) as { ok: boolean; result: T; error?: { message: string } };
  assert.ok(body.ok, body.error?.message);
  return body.result;
}

/** Hover cards and header tooltips drawn on the page right now (present and not hidden). */
const cardsShown = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('[data-testid="timeline-hover"], .ag-tooltip, .ag-tooltip-custom')].filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && Number(getComputedStyle(e).opacity) > 0).length);

/** The card is gone now and stays gone for a while (no timer or late event brings it back). */
async function staysGone(page: Page, what: string): Promise<void> {
  // A moment for a fade-out to end; a card still there after it lingers.
  for (let i = 0; i < 5 && (await cardsShown(page)) > 0; i++) await page.waitForTimeout(200);
  for (let i = 0; i < 6; i++) {
    assert.equal(await cardsShown(page), 0, `${what}: no hover card or tooltip over it (check ${i + 1})`);
    await page.waitForTimeout(200);
  }
}

/** Put the pointer on a single-sign-in mark of the first lane and wait for its card. */
async function hoverMark(page: Page, hist: HistogramResult, lanes: LanesResult): Promise<void> {
  const box = (await page.getByTestId('timeline-chart').boundingBox())!;
  const { from, to } = hist.extent!;
  const plot = box.width - LAYOUT.left - LAYOUT.right;
  const marks = lanes.marks.lane.flatMap((l, i) => (l === 0 && lanes.marks.n[i] === 1 ? [i] : []));
  assert.ok(marks.length > 10, 'the first lane has single-sign-in marks');
  const y = box.y + LAYOUT.firstLaneY;
  for (const i of marks.slice(Math.floor(marks.length / 2))) {
    const x = box.x + LAYOUT.left + ((lanes.marks.t[i]! - from) / (to - from)) * plot;
    await page.mouse.move(x, y);
    const shown = await page
      .getByTestId('timeline-hover')
      .getByText(/click to select it/)
      .waitFor({ timeout: 1500 })
      .then(() => true, () => false);
    if (shown) return;
  }
  throw new Error('no mark card appeared over the first lane');
}

async function hoverHeader(page: Page, column: string): Promise<void> {
  await page.locator(`.ag-header-cell[col-id="${column}"] .ag-header-cell-text`).hover();
  await page.locator('.ag-tooltip, .ag-tooltip-custom').first().waitFor({ timeout: 10_000 });
}

for (const scheme of ['light', 'dark'] as const) {
  describe(`hover cards and tooltips give way to popovers (${scheme})`, () => {
    let app: E2EApp;
    let page: Page;
    before(async () => {
      app = await startApp({ colorScheme: scheme, viewport: { width: 1440, height: 900 } });
      page = app.page;
      page.setDefaultTimeout(60_000);
      await openCaseInPage(app, join(work, 'case'));
    });
    after(async () => {
      assert.deepEqual(foreignRequests(app.requests), []);
      await app.close();
    });

    test('a timeline mark card goes when a popover opens, by pointer or by key, and stays gone', async () => {
      const histP = page.waitForResponse((r) => r.url().endsWith('/api/call') && (r.request().postData() ?? '').includes('"method":"timelineHistogram"'), { timeout: 90_000 });
      const lanes = await nextCall<LanesResult>(page, 'timelineLanes', () => page.getByRole('tab', { name: 'Timeline' }).click());
      const hist = ((await (await histP).json()) as { result: HistogramResult }).result;
      await page.waitForTimeout(300);

      // By key, the pointer resting on the mark: the help dialog opens over the chart.
      await hoverMark(page, hist, lanes);
      await app.screenshot(`hover-timeline-card-${scheme}`);
      await page.keyboard.press('F1');
      await page.getByRole('dialog').first().waitFor();
      await staysGone(page, 'help dialog opened by key over a timeline mark');
      await app.screenshot(`hover-timeline-help-${scheme}`);
      // The pointer moves off the chart inside the dialog; closing it does not bring the card back.
      await page.mouse.move(30, 860, { steps: 4 });
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').first().waitFor({ state: 'detached' });
      await staysGone(page, 'help dialog closed with the pointer away from the chart');

      // By pointer: from the mark to the lane picker, whose list drops down over the chart.
      await hoverMark(page, hist, lanes);
      const picker = page.getByLabel('Pick users for lanes');
      await picker.click();
      await picker.fill('a');
      await page.locator('.tl-options').waitFor();
      await staysGone(page, 'lane picker list opened from a timeline mark');
      // The pointer goes down into the list, over the chart: still no card.
      const list = (await page.locator('.tl-options').boundingBox())!;
      await page.mouse.move(list.x + list.width / 2, list.y + list.height - 6, { steps: 4 });
      await staysGone(page, 'pointer inside the lane picker list over the chart');
      await app.screenshot(`hover-timeline-picker-${scheme}`);
      // Back onto the chart beside the open list: no card comes up while the list is open.
      const box = (await page.getByTestId('timeline-chart').boundingBox())!;
      await page.mouse.move(list.x + list.width + 40, box.y + LAYOUT.firstLaneY, { steps: 6 });
      await page.mouse.move(list.x + list.width + 60, box.y + LAYOUT.firstLaneY + 23, { steps: 3 });
      await staysGone(page, 'pointer back on the lanes while the lane picker list is open');
      await page.keyboard.press('Escape');
    });

    test('a grid header tooltip goes when the column popover or a menu opens, and stays gone', async () => {
      // Nothing left open by the test before.
      for (let i = 0; i < 3 && (await page.locator('.overlay, .popover').count()); i++) await page.keyboard.press('Escape');
      await page.getByRole('tab', { name: 'Sign-ins' }).click();
      await page.waitForSelector('.ag-row[row-index="0"] .ag-cell[col-id="ip_address"]');

      // The values popover, opened from the same header.
      await hoverHeader(page, 'ip_address');
      await app.screenshot(`hover-grid-tooltip-${scheme}`);
      await page.locator('[data-filter-column="ip_address"]').click();
      await page.locator('.filter-pop .values-list li').first().waitFor();
      await staysGone(page, 'values popover of the IP address column');
      await app.screenshot(`hover-grid-values-${scheme}`);
      await page.keyboard.press('Escape');
      await page.locator('.filter-pop').waitFor({ state: 'detached' });

      // A quick click on the header's filter button, before the tooltip's delay has run out:
      // the tooltip does not turn up afterwards over the open popover.
      await page.mouse.move(5, 300);
      await page.waitForTimeout(300);
      await page.locator('.ag-header-cell[col-id="user_principal_name"] .ag-header-cell-text').hover();
      await page.locator('[data-filter-column="user_principal_name"]').click();
      await page.locator('.filter-pop').waitFor();
      await staysGone(page, 'values popover opened before the header tooltip was due');
      await page.keyboard.press('Escape');
      await page.locator('.filter-pop').waitFor({ state: 'detached' });

      // The help dialog, opened by key with the pointer still on a header.
      await hoverHeader(page, 'user_principal_name');
      await page.keyboard.press('F1');
      await page.getByRole('dialog').first().waitFor();
      await staysGone(page, 'help dialog opened by key over a header');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').first().waitFor({ state: 'detached' });

      // The Columns menu of the toolbar, reached from a header.
      await hoverHeader(page, 'app_display_name');
      await page.getByRole('button', { name: /^Columns:/ }).click();
      await page.locator('.popover').first().waitFor();
      await staysGone(page, 'Columns menu opened after a header tooltip');
      await page.keyboard.press('Escape');
    });
  });
}
