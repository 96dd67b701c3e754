import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { closeBrowser, foreignRequests, openCaseInPage, startApp, type E2EApp } from '../support/e2e';
import { insertSyntheticRows } from '../support/gridFixture';

// Following a lead opens the grid afresh each time. What the grid asks the engine then is
// what stands between the click and the painted rows: the case's columns (a count over
// every column and row) are asked once per data version, and no metadata twice.

let work: string;
let app: E2EApp;
let page: Page;
let methods: string[] = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'signet-roundtrips-e2e-'));
  const s = await CaseSession.create(join(work, 'case'), 'test', 'Round trips');
  await insertSyntheticRows(s, 800);
  s.close();
  app = await startApp({ colorScheme: 'light' });
  page = app.page;
  page.setDefaultTimeout(60_000);
  page.on('request', (r) => {
    if (!r.url().endsWith('/api/call')) return;
    const m = /"method":"([^"]+)"/.exec(r.postData() ?? '');
    if (m && m[1] !== 'liveState' && m[1] !== 'jobStatus') methods.push(m[1]!);
  });
  await openCaseInPage(app, join(work, 'case'));
});

after(async () => {
  assert.deepEqual(foreignRequests(app.requests), []);
  await app.close();
  await closeBrowser();
  rmSync(work, { recursive: true, force: true });
});

const count = (name: string) => methods.filter((m) => m === name).length;

test('opening the grid again asks no column census and each piece of metadata once', async () => {
  await page.getByRole('tab', { name: 'Map' }).click();
  await page.locator('.geo-canvas').waitFor();
  methods = [];
  // A country row follows the lead into a freshly drawn grid.
  await page.locator('.geo-countries tbody tr').first().click();
  await page.waitForFunction(() => (document.querySelector('[data-testid="row-count"] strong')?.textContent ?? '') !== '' && Boolean(document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]')?.textContent?.trim()));
  await page.waitForTimeout(500);
  assert.equal(count('columns'), 0, `columns asked again on the same data: ${methods.join(', ')}`);
  assert.equal(count('listTags'), 1, `tags asked once: ${methods.join(', ')}`);
  assert.equal(count('listColourRules'), 1, `colour rules asked once: ${methods.join(', ')}`);
  assert.ok(count('getRows') >= 1, 'the rows were asked');

  // New data (a tag added bumps the data version): the next opening asks the columns again.
  await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Bookmark/ }).click();
  await page.getByText(/^Tagged \d+ row/).waitFor();
  await page.getByRole('tab', { name: 'Map' }).click();
  await page.locator('.geo-canvas').waitFor();
  methods = [];
  await page.getByRole('tab', { name: 'Sign-ins' }).click();
  await page.waitForFunction(() => Boolean(document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]')?.textContent?.trim()));
  await page.waitForTimeout(500);
  assert.equal(count('columns'), 1, `columns asked again after the data changed: ${methods.join(', ')}`);
});
