import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { startApp, closeBrowser, type E2EApp, openCaseInPage } from '../support/e2e';
import { insertSyntheticRows } from '../support/gridFixture';

const N = 2000;
let app: E2EApp;
let page: Page;

async function makeCase(rows: number, name: string): Promise<string> {
  const d = mkdtempSync(join(tmpdir(), 'signet-feel-e2e-'));
  const s = await CaseSession.create(d, 'test', name);
  await insertSyntheticRows(s, rows);
  s.close();
  return d;
}

async function shoot(name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForTimeout(150);
  await app.screenshot(`${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(150);
  await app.screenshot(`${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

async function tab(name: string): Promise<void> {
  await page.click(`[role=tab]:text-is("${name}")`);
}

before(async () => {
  const dir = await makeCase(N, 'Feel e2e case');
  app = await startApp({ colorScheme: 'light' });
  page = app.page;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.bridge.url.replace(/\/\?.*$/, '').replace(/\/$/, '') });
  await openCaseInPage(app, dir);
});

after(async () => {
  await app?.close();
  await closeBrowser();
});

test('F1 and "?" open the help: search syntax, shortcuts and every finding kind; "?" typed in the search box does not', async () => {
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]');
  await page.keyboard.press('F1');
  const help = page.locator('[role=dialog][aria-label="Help"]');
  await help.waitFor({ timeout: 10000 });
  const text = (await help.textContent()) ?? '';
  for (const want of ['ip:10.0.0.0/8', 'ip:203.0.113.7', 'ip:10.1.*', 'field:value', '"two words"', '-word', 'Ctrl+A', 'Ctrl+End', 'Alt+← / Alt+→', 'F1 or ?', 'Password spray', 'Impossible travel', 'Interactive flag mismatch'])
    assert.ok(text.includes(want), `help mentions ${want}`);
  assert.equal(await help.locator('table[aria-label="Finding kinds"] tr').count(), 12, 'every finding kind is explained');
  await shoot('help');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });

  await page.fill('input[aria-label="Search all text columns"]', '');
  await page.focus('input[aria-label="Search all text columns"]');
  await page.keyboard.type('?');
  await page.waitForTimeout(300);
  assert.equal(await help.count(), 0, '"?" typed into a field is text');
  await page.fill('input[aria-label="Search all text columns"]', '');
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]');
  await page.keyboard.press('Shift+Slash');
  await help.waitFor({ timeout: 10000 });
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
});

test('Ctrl+A selects every filtered row and says how many; Ctrl+End goes to the last row', async () => {
  await page.click('.ag-row[row-index="2"] .ag-cell[col-id="time_utc"]');
  await page.keyboard.press('Control+a');
  await page.waitForFunction(() => document.querySelector('[aria-label="Grid status"]')?.textContent?.includes('All 2,000 filtered rows selected'), null, { timeout: 10000 });
  await page.keyboard.press('Control+End');
  await page.waitForFunction((last) => document.querySelector(`.ag-row[row-index="${last}"] .ag-cell-focus`) !== null, N - 1, { timeout: 15000 });
  // Rows paged in after Ctrl+A are selected too.
  await page.waitForSelector(`.ag-row[row-index="${N - 1}"].ag-row-selected`, { timeout: 10000 });
  await shoot('grid-select-all');
  await page.keyboard.press('Control+c');
  await page.waitForFunction(() => document.querySelector('.notice')?.textContent?.includes('Copied 2000 row(s)'), null, { timeout: 20000 });
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied.trim().split('\n').length, N + 1, 'every filtered row and the header are on the clipboard');
  await page.keyboard.press('Control+Home');
  await page.waitForFunction(() => document.querySelector('.ag-row[row-index="0"] .ag-cell-focus') !== null, null, { timeout: 15000 });
  // A click selects one row again.
  await page.click('.ag-row[row-index="1"] .ag-cell[col-id="time_utc"]');
  await page.waitForFunction(() => document.querySelector('[aria-label="Grid status"]')?.textContent?.includes('1 selected'), null, { timeout: 10000 });
});

test('Settings "Save" saves and closes the dialog', async () => {
  await page.click('button[aria-label="Settings"]');
  const dlg = page.locator('[role=dialog][aria-label="Settings"]');
  await dlg.waitFor();
  await dlg.locator('button.primary:text-is("Save")').click();
  await dlg.waitFor({ state: 'detached', timeout: 10000 });
});

test('SQL console: a failed statement clears the earlier result; running closes the completion list', async () => {
  await tab('SQL');
  await page.getByTestId('sql-schema').getByRole('button', { name: 'signins', exact: true }).waitFor({ timeout: 30_000 });
  const content = page.locator('[data-testid="sql-editor"] .cm-content');
  const typeLine = async (text: string) => {
    await content.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(text, { delay: 2 });
  };
  await typeLine('SELECT 42 AS answer;');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
  const results = page.getByTestId('sql-results');
  await results.locator('.ag-header-cell-text', { hasText: 'answer' }).waitFor({ timeout: 30_000 });

  await typeLine('SELECT no_such_column FROM signins;');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('sql-failure').waitFor({ timeout: 30_000 });
  assert.equal(await results.count(), 0, "the earlier statement's rows are not shown under the error");
  await shoot('console-failure');

  await typeLine('SELECT count(*) FROM sign');
  const completion = page.locator('.cm-tooltip-autocomplete');
  await completion.waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+Enter');
  await completion.waitFor({ state: 'detached', timeout: 10_000 });
});

test('a header tooltip does not stay over the filter popover opened from that header', async () => {
  await tab('Sign-ins');
  await page.waitForSelector('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]', { timeout: 30000 });
  await page.keyboard.press('Escape');
  const header = page.locator('.ag-header-cell[col-id="ip_address"] .ag-header-cell-text');
  await header.hover();
  await page.locator('.ag-tooltip').first().waitFor({ state: 'visible', timeout: 10000 });
  await page.click('[data-filter-column="ip_address"]');
  await page.waitForSelector('.filter-pop');
  await page.waitForTimeout(800);
  const shown = await page.$$eval('.ag-tooltip', (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null && getComputedStyle(e).display !== 'none').length);
  await shoot('filter-popover-no-tooltip');
  assert.equal(shown, 0, 'the tooltip is gone while the popover is open');
  await page.keyboard.press('Escape');
});

test('export: the selected rows, column titles as headers, tags and notes, and a browser download beside the hashed copy', async () => {
  await tab('Sign-ins');
  await page.waitForSelector('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]', { timeout: 30000 });
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]');
  await page.click('.ag-row[row-index="2"] .ag-cell[col-id="time_utc"]', { modifiers: ['Control'] });
  await page.waitForFunction(() => document.querySelector('[data-testid=selection]')?.textContent?.includes('2 selected'), null, { timeout: 10000 });
  await page.click('button:text-is("Export…")');
  const dlg = page.locator('[role=dialog][aria-label="Export the current view"]');
  await dlg.waitFor();
  assert.ok(await dlg.locator('input[name=only]').nth(1).isChecked(), 'with rows selected, the export offers just them');
  await dlg.locator('label:has-text("Column titles as headers") input').check();
  await dlg.locator('label:has-text("Tags and notes") input').check();
  await shoot('export-options');
  const download = page.waitForEvent('download', { timeout: 60000 });
  await dlg.locator('button.primary:text-is("Export")').click();
  const file = await download;
  await dlg.locator('[aria-label="Export result"]').waitFor({ timeout: 30000 });
  const text = await (async () => {
    const chunks: Buffer[] = [];
    for await (const c of (await file.createReadStream())!) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  })();
  const lines = text.replace(/^\ufeff/, '').trim().split('\r\n');
  assert.equal(lines.length, 3, 'the header and the two selected rows');
  assert.match(lines[0]!, /^Date \(UTC\),Request ID,.*,Tags,Notes$/);
  const onDisk = (await dlg.locator('[data-export-file]').getAttribute('data-export-file'))!;
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(onDisk, 'utf8'), text, 'the download is the hashed file kept in the case');
  await dlg.locator('button:text-is("Close")').click();
});
