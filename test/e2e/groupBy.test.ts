import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { closeBrowser, foreignRequests, startApp, type E2EApp, openCaseInPage } from '../support/e2e';
import { insertSyntheticRows } from '../support/gridFixture';

// Group the grid by user under a leftover search, sort by failures, open a group, make it
// the filter and come back: every count is read again with SQL through the engine.

const N = 2000;
let dir: string;
let app: E2EApp;
let page: Page;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signet-group-e2e-'));
  const s = await CaseSession.create(dir, 'test', 'Group e2e case');
  await insertSyntheticRows(s, N);
  // Uneven failures, so sorting by them means something: Eve fails a third of the time.
  await s.db.run(`UPDATE signins SET status = 'failure', error_code = 50126 WHERE user_principal_name = 'eve@contoso.example' AND row_id % 3 = 0`);
  await s.db.run(`UPDATE signins SET user_principal_name = NULL WHERE row_id % 97 = 0`);
  s.close();
  app = await startApp({ colorScheme: 'light' });
  page = app.page;
  await openCaseInPage(app, dir);
});

after(async () => {
  await app?.close();
  await closeBrowser();
});

async function sql<T extends Record<string, unknown>>(text: string, params: (string | number)[] = []): Promise<T[]> {
  return app.engine.requireCase().db.all<T>(text, params);
}
const digits = (s: string | null) => Number((s ?? '').replace(/[^0-9]/g, ''));

async function gridShows(n: number): Promise<void> {
  try {
    await page.waitForFunction((want) => (document.querySelector('[data-testid="row-count"] strong')?.textContent ?? '').replace(/,/g, '') === String(want), n, { timeout: 20000 });
  } catch (e) {
    await app.screenshot('group-by-failed');
    throw new Error(`grid shows "${await page.textContent('[data-testid="row-count"]')}", not ${n}; chips: ${await page.locator('.chips').textContent()}`, { cause: e });
  }
}

/** The group table as text cells, once it says `groups` groups. */
async function groupTable(groups: number): Promise<string[][]> {
  await page.waitForFunction((g) => new RegExp(`^${g} groups? ·`).test(document.querySelector('[data-testid="group-count"]')?.textContent ?? ''), groups, { timeout: 20000 });
  return page.$$eval('.group-table > tbody > tr:not(.group-rows)', (trs) => trs.map((tr) => [...tr.querySelectorAll(':scope > td')].map((td) => td.textContent ?? '')));
}

test('group by user under a search, sort by failures, open a group, make it the filter, Back restores', async () => {
  // A search left from earlier: groups are counted under it.
  const search = page.getByLabel('Search all text columns');
  await search.fill('Teams');
  await search.press('Enter');
  const underSearch = await sql<{ u: string | null; n: bigint | number; f: bigint | number; first: string; last: string }>(
    `SELECT user_principal_name AS u, count(*) AS n, count(*) FILTER (WHERE status = 'failure') AS f,
            strftime(min(time_utc), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(time_utc), '%Y-%m-%d %H:%M:%S') AS last
     FROM signins WHERE app_display_name = 'Microsoft Teams' GROUP BY 1`,
  );
  const total = underSearch.reduce((s, r) => s + Number(r.n), 0);
  await gridShows(total);

  await page.getByRole('button', { name: 'Group by…' }).click();
  let rows = await groupTable(underSearch.length);
  assert.match((await page.textContent('[data-testid="group-count"]')) ?? '', new RegExp(`${underSearch.length} groups · ${total.toLocaleString('en-US')} sign-ins`));
  // Every group's counts and times, as SQL counts them (cells: expand, user, rows, failures, first, last, action).
  const byUser = new Map(underSearch.map((r) => [r.u ?? '(empty)', r]));
  for (const cells of rows) {
    const want = byUser.get(cells[1]!);
    assert.ok(want, `group ${cells[1]} exists`);
    assert.deepEqual([digits(cells[2]!), digits(cells[3]!), cells[4], cells[5]], [Number(want.n), Number(want.f), want.first, want.last], cells[1]);
  }
  // Most rows first by default.
  const counts = rows.map((c) => digits(c[2]!));
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.equal(await page.getAttribute('.group-table th:has-text("Sign-ins")', 'aria-sort'), 'descending');

  // Sort by failures: Eve first.
  await page.click('.group-table th button:has-text("Failures")');
  await page.waitForFunction(() => document.querySelector('.group-table th:nth-child(4)')?.getAttribute('aria-sort') === 'descending');
  await page.waitForFunction(() => document.querySelector('.group-table > tbody > tr > td.key')?.textContent === 'eve@contoso.example');
  rows = await groupTable(underSearch.length);
  const failures = rows.map((c) => digits(c[3]!));
  assert.deepEqual(failures, [...failures].sort((a, b) => b - a));
  const eve = byUser.get('eve@contoso.example')!;
  assert.equal(failures[0], Number(eve.f));
  // Again: ascending.
  await page.click('.group-table th button:has-text("Failures")');
  await page.waitForFunction(() => document.querySelector('.group-table th:nth-child(4)')?.getAttribute('aria-sort') === 'ascending');
  await page.click('.group-table th button:has-text("Failures")');
  await page.waitForFunction(() => document.querySelector('.group-table > tbody > tr > td.key')?.textContent === 'eve@contoso.example');

  // Open Eve's group in place: her latest rows, newest first.
  await page.click('.group-table button[aria-label="Expand eve@contoso.example"]');
  await page.waitForSelector('.group-rows-box tbody tr');
  const latest = await sql<{ t: string }>(
    `SELECT strftime(time_utc, '%Y-%m-%d %H:%M:%S') AS t FROM signins WHERE app_display_name = 'Microsoft Teams' AND user_principal_name = 'eve@contoso.example' ORDER BY time_utc DESC LIMIT 50`,
  );
  const shownTimes = await page.$$eval('.group-rows-box tbody tr td.t', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(shownTimes, latest.map((r) => r.t));
  await app.screenshot('group-by-light');

  // Make Eve's group the filter: the grid shows exactly her rows under the search.
  const chipsBefore = await page.locator('.chips .chip').allInnerTexts();
  await page.click('.group-table > tbody > tr:first-child button:has-text("Show in grid")');
  await gridShows(Number(eve.n));
  await groupTable(1);
  const ids = await sql<{ n: bigint | number }>(`SELECT count(*) AS n FROM signins WHERE app_display_name = 'Microsoft Teams' AND user_principal_name = ?`, ['eve@contoso.example']);
  assert.equal(Number(ids[0]!.n), Number(eve.n));
  assert.match((await page.locator('.chips').textContent()) ?? '', /eve@contoso\.example/);

  // Back restores the filter before, chips and search included, and the groups with it.
  await page.getByRole('button', { name: 'Previous filter' }).click();
  await gridShows(total);
  await groupTable(underSearch.length);
  assert.deepEqual(await page.locator('.chips .chip').allInnerTexts(), chipsBefore);
  assert.equal(await search.inputValue(), 'Teams');
  // Forward goes to the group again.
  await page.keyboard.press('Alt+ArrowRight');
  await gridShows(Number(eve.n));
  await page.keyboard.press('Alt+ArrowLeft');
  await gridShows(total);
});

test('two columns, the missing value as its own group, and a group of it made the filter', async () => {
  await page.getByLabel('Search all text columns').fill('');
  await page.getByLabel('Search all text columns').press('Enter');
  await gridShows(N);
  await page.selectOption('select[aria-label="Then group by"]', 'status');
  const want = await sql<{ n: bigint | number }>(`SELECT count(*) AS n FROM (SELECT 1 FROM signins GROUP BY user_principal_name, status)`);
  await groupTable(Number(want[0]!.n));
  await page.click('.group-table th button:has-text("Username")');
  // Ascending by user: the missing user last; its failures group made the filter.
  await page.waitForFunction(() => document.querySelector('.group-table th:nth-child(2)')?.getAttribute('aria-sort') === 'ascending');
  const last = page.locator('.group-table > tbody > tr:not(.group-rows)').filter({ hasText: '(empty)' }).filter({ hasText: 'failure' });
  await last.locator('button:has-text("Show in grid")').click();
  const n = await sql<{ n: bigint | number }>(`SELECT count(*) AS n FROM signins WHERE user_principal_name IS NULL AND status = 'failure'`);
  assert.ok(Number(n[0]!.n) > 0);
  await gridShows(Number(n[0]!.n));
  await page.getByRole('button', { name: 'Previous filter' }).click();
  await gridShows(N);
  await page.getByRole('button', { name: 'Ungroup' }).first().click();
  await page.waitForSelector('.group-panel', { state: 'detached' });
  assert.deepEqual(foreignRequests(app.requests), []);
});

test('group view in dark mode', async () => {
  // One case can be open in one engine at a time: hand it over.
  app.engine.closeCase();
  const dark = await startApp({ colorScheme: 'dark' });
  try {
    await dark.engine.openCase(dir);
    await dark.page.reload();
    await dark.page.waitForSelector('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]', { timeout: 30000 });
    await dark.page.getByRole('button', { name: 'Group by…' }).click();
    await dark.page.waitForSelector('.group-table > tbody > tr td.key');
    await dark.page.click('.group-table th button:has-text("Failures")');
    await dark.page.click('.group-table > tbody > tr:first-child button[aria-label^="Expand"]');
    await dark.page.waitForSelector('.group-rows-box tbody tr');
    await dark.screenshot('group-by-dark');
  } finally {
    await dark.close();
  }
});
