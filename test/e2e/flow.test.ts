import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { closeBrowser, foreignRequests, startApp, type E2EApp } from '../support/e2e';
import { generateDataset } from '../../electron/engine/demo/generate';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { importFiles } from '../../electron/engine/import/importFiles';
import type { HistogramResult } from '../../electron/api/methods/timeline';
import { writeFileSync } from 'node:fs';
import { csvText } from '../support/fixtures/csvText';

/** Where the timeline chart draws its histogram (as test/e2e/timeline.test.ts reads it). */
const TIMELINE_LAYOUT = { left: 208, right: 28, histTop: 52, histHeight: 220 };

// Following a lead end to end: whatever filter is left from earlier, a finding, a map
// cluster or a timeline spike opens the grid with exactly its rows (counted again with
// SQL through the engine), and Back/Forward restore every earlier filter.

let work: string;
let caseDir: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'signet-flow-e2e-'));
  const truth = await generateDataset({ outDir: join(work, 'evidence'), rows: 3000, seed: 'signet', shapes: ['portal-csv'] });
  caseDir = join(work, 'case');
  const session = await CaseSession.create(caseDir, 'test', 'Flow e2e');
  await importFiles(session, truth.files.map((f) => f.path), { signal: new AbortController().signal, progress: () => undefined });
  session.close();
});

after(async () => {
  await closeBrowser();
  rmSync(work, { recursive: true, force: true });
});

const digits = (s: string | null) => Number((s ?? '').replace(/[^0-9]/g, ''));

async function gridCount(page: Page): Promise<number> {
  const strong = page.locator('[data-testid="row-count"] strong');
  await strong.waitFor();
  return digits(await strong.textContent());
}

/** Wait until the grid's filtered count is `n`. */
async function gridShows(page: Page, n: number): Promise<void> {
  await page.waitForFunction((want) => (document.querySelector('[data-testid="row-count"] strong')?.textContent ?? '').replace(/,/g, '') === String(want), n);
}

async function chipTexts(page: Page): Promise<string[]> {
  return page.locator('.chips .chip .chip-text').allInnerTexts();
}

async function sqlCount(app: E2EApp, sql: string, params: (string | number)[] = []): Promise<number> {
  return Number(await app.engine.requireCase().db.scalar(sql, params));
}

/** A leftover filter as a user leaves one: an IP chip from the cell menu and a search. */
async function leaveFilter(page: Page): Promise<{ count: number; chips: string[] }> {
  await page.getByRole('tab', { name: 'Sign-ins' }).click();
  const cell = page.locator('.ag-row[row-index="0"] .ag-cell[col-id="ip_address"]');
  await cell.waitFor();
  await gridCount(page);
  await page.waitForTimeout(500);
  await cell.click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^Filter to IP address =/ }).click();
  const search = page.getByLabel('Search all text columns');
  await search.fill('Windows');
  await search.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.chips .chip').length === 2);
  await page.waitForTimeout(400);
  return { count: await gridCount(page), chips: await chipTexts(page) };
}

describe('following a lead', () => {
  let app: E2EApp;
  before(async () => {
    app = await startApp({ colorScheme: 'light' });
    app.page.setDefaultTimeout(Number(process.env.FLOW_TIMEOUT ?? 90_000));
    await app.engine.openCase(caseDir);
    await app.page.reload();
    await app.page.getByRole('tab', { name: 'Sign-ins' }).waitFor();
  });
  after(async () => {
    assert.deepEqual(foreignRequests(app.requests), []);
    await app.close();
  });

  test('a finding followed with a leftover IP chip and search shows exactly its rows; Back and Forward restore each filter', async () => {
    const { page } = app;
    // The default columns show the UPN right beside the display name.
    await page.locator('.ag-header-cell[col-id="user_principal_name"]').waitFor();
    const headers = await page.locator('.ag-header-cell[col-id]').evaluateAll((els) =>
      els.sort((a, b) => Number(a.getAttribute('aria-colindex')) - Number(b.getAttribute('aria-colindex'))).map((e) => e.getAttribute('col-id')),
    );
    assert.equal(headers[headers.indexOf('user_display_name') + 1], 'user_principal_name', headers.join(','));
    const leftover = await leaveFilter(page);
    assert.equal(leftover.chips.length, 2, leftover.chips.join(' | '));

    await page.getByRole('tab', { name: 'Findings' }).click();
    const spray = page.locator('.fd-item[data-kind="password_spray"]').first();
    await spray.waitFor();
    const findingId = (await spray.getAttribute('data-finding-id'))!;
    await spray.click();
    await page.waitForFunction((id) => document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-finding-id') === id, findingId);
    const rowCount = digits(await page.getByTestId('finding-detail').getAttribute('data-row-count'));
    const expected = await sqlCount(app, 'SELECT count(*) FROM signins WHERE row_id IN (SELECT row_id FROM finding_rows WHERE finding_id = ?)', [findingId]);
    assert.ok(expected > 0);
    assert.equal(rowCount, expected);

    await page.getByTestId('show-rows').click();
    // The grid opens by itself, with the finding as the whole filter.
    await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Sign-ins' }).waitFor();
    await gridShows(page, expected);
    assert.deepEqual((await chipTexts(page)).map((t) => t.split(':')[0]), ['Finding']);
    assert.equal(await page.getByLabel('Search all text columns').inputValue(), '');
    await app.screenshot('flow-finding-grid-light');

    // Back restores the leftover filter exactly, chips and search included.
    await page.getByRole('button', { name: 'Previous filter' }).click();
    await gridShows(page, leftover.count);
    assert.deepEqual(await chipTexts(page), leftover.chips);
    assert.equal(await page.getByLabel('Search all text columns').inputValue(), 'Windows');
    // Alt+→ goes forward to the finding again.
    await page.keyboard.press('Alt+ArrowRight');
    await gridShows(page, expected);
    await page.keyboard.press('Alt+ArrowLeft');
    await gridShows(page, leftover.count);

    // "Add to current filter" keeps the leftover chips and narrows them to the finding.
    await page.getByRole('tab', { name: 'Findings' }).click();
    await page.getByTestId('add-rows').click();
    await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Sign-ins' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.chips .chip').length === 3);
    const added = await chipTexts(page);
    assert.deepEqual(added.slice(1, 2), leftover.chips.slice(1, 2));
    assert.ok(added.some((t) => t.startsWith('Finding')));
    await page.getByRole('button', { name: 'Clear all' }).click();
  });

  test('the kind filter never leaves a hidden finding in the detail pane', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Findings' }).click();
    await page.locator('.fd-item[data-kind="password_spray"]').first().click();
    const kinds = await page.locator('.fd-item').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-kind')))]);
    const other = kinds.find((k) => k !== 'password_spray');
    assert.ok(other, `more than one kind: ${kinds.join(', ')}`);
    await page.getByLabel('Filter by kind').selectOption(other);
    await page.waitForFunction((kind) => {
      const id = document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-finding-id');
      return id && document.querySelector(`.fd-item[data-finding-id="${id}"]`)?.getAttribute('data-kind') === kind;
    }, other);
    await page.getByLabel('Filter by kind').selectOption('all');
  });

  test('"Open SQL" hands the finding query to the console; its result goes back to the grid as a row filter', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Findings' }).click();
    const spray = page.locator('.fd-item[data-kind="password_spray"]').first();
    await spray.click();
    const findingId = (await spray.getAttribute('data-finding-id'))!;
    await page.waitForFunction((id) => document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-finding-id') === id, findingId);
    const expected = await sqlCount(app, 'SELECT count(*) FROM finding_rows WHERE finding_id = ?', [findingId]);
    await page.getByTestId('open-sql').click();
    await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'SQL' }).waitFor();
    await page.waitForFunction((id) => (document.querySelector('.cm-content')?.textContent ?? '').includes(id), findingId);
    await page.locator('.console-toolbar button.primary').click();
    await page.getByTestId('sql-status').waitFor().catch(async (e: unknown) => {
      await app.screenshot('flow-open-sql-failed');
      throw e;
    });
    assert.equal(digits(await page.getByTestId('sql-status').locator('strong').textContent()), expected);
    await app.screenshot('flow-open-sql-light');
    await page.getByRole('button', { name: 'Show these rows in the grid' }).click();
    await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Sign-ins' }).waitFor();
    await gridShows(page, expected);
    await page.getByRole('button', { name: 'Clear all' }).click();
  });

  test('a map cluster and a timeline spike followed with a leftover filter show exactly their rows', async () => {
    const { page } = app;
    await leaveFilter(page);
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.waitForFunction(() => Number(document.querySelector('.geo-canvas')?.getAttribute('data-clusters') ?? 0) > 0);
    await page.waitForTimeout(300);
    const top = (await page.locator('.geo-canvas').getAttribute('data-top'))!;
    const [x, y] = top.split(',').map(Number) as [number, number];
    const box = (await page.locator('.geo-canvas').boundingBox())!;
    await page.mouse.click(box.x + x, box.y + y);
    await page.getByTestId('geo-show-rows').waitFor();
    await app.screenshot('flow-map-selection-light');
    // Which clusters the click picked, counted straight from the location tables.
    const keys = await page.locator('.geo-selection li .geo-sel-place').allInnerTexts();
    assert.ok(keys.length > 0);
    const call = page.waitForResponse((r) => (r.request().postData() ?? '').includes('"method":"geoClusterRows"'));
    await page.getByTestId('geo-show-rows').click();
    const sent = JSON.parse((await call).request().postData() ?? '{}') as { args: { key: string } };
    await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Sign-ins' }).waitFor();
    // Every request the click sent: one per member cluster.
    const clusterKey = sent.args.key;
    const expected = await sqlCount(app, 'SELECT count(*) FROM geo_row_loc r JOIN geo_points p ON p.point_ix = r.point_ix WHERE p.key = ?', [clusterKey]);
    if (keys.length === 1) await gridShows(page, expected);
    else assert.ok((await gridCount(page)) >= expected);
    assert.deepEqual((await chipTexts(page)).length, 1);
    await app.screenshot('flow-map-grid-light');
    await page.getByRole('button', { name: 'Previous filter' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.chips .chip').length === 2);

    // A timeline bucket's rows, again over the leftover filter: click the bar, then "Show in grid".
    const histCall = page.waitForResponse((r) => (r.request().postData() ?? '').includes('"method":"timelineHistogram"'));
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const hist = ((await (await histCall).json()) as { result: HistogramResult }).result;
    await page.getByTestId('timeline-chart').waitFor();
    await page.waitForTimeout(500);
    const totals = hist.starts.map((_, i) => hist.counts.reduce((a, c) => a + c[i]!, 0));
    const i = totals.indexOf(Math.max(...totals));
    const chart = (await page.getByTestId('timeline-chart').boundingBox())!;
    const plot = chart.width - TIMELINE_LAYOUT.left - TIMELINE_LAYOUT.right;
    const at = (t: number) => chart.x + TIMELINE_LAYOUT.left + ((t - hist.extent!.from) / (hist.extent!.to - hist.extent!.from)) * plot;
    await page.mouse.click(at((hist.starts[i]! + hist.ends[i]!) / 2), chart.y + TIMELINE_LAYOUT.histTop + TIMELINE_LAYOUT.histHeight * 0.97);
    const chip = page.getByTestId('timeline-selection');
    await chip.waitFor();
    const from = (await chip.getAttribute('data-from'))!;
    const to = (await chip.getAttribute('data-to'))!;
    const bucketRows = await sqlCount(app, 'SELECT count(*) FROM signins WHERE time_utc >= CAST(? AS TIMESTAMP) AND time_utc < CAST(? AS TIMESTAMP)', [
      from.replace('T', ' ').replace('Z', ''),
      to.replace('T', ' ').replace('Z', ''),
    ]);
    assert.ok(bucketRows > 0);
    await app.screenshot('flow-timeline-selection-light');
    await page.getByTestId('timeline-show-rows').click();
    await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Sign-ins' }).waitFor();
    await gridShows(page, bucketRows);
    assert.equal((await chipTexts(page)).length, 1);
    await page.getByRole('button', { name: 'Previous filter' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.chips .chip').length === 3);
    await page.getByRole('button', { name: 'Clear all' }).click();
  });

  test('ip: is exact and takes CIDR blocks; IP addresses sort as numbers', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Sign-ins' }).click();
    const db = app.engine.requireCase().db;
    // An address that is also the start of a longer one is the case that went wrong (82.0.175.14 found 82.0.175.149).
    const pick = await db.one<{ ip: string }>(
      `SELECT a.ip_address AS ip FROM signins a WHERE a.ip_address LIKE '%.%' GROUP BY 1
       ORDER BY (SELECT count(*) FROM signins b WHERE b.ip_address LIKE a.ip_address || '_%') DESC, 1 LIMIT 1`,
    );
    const ip = pick!.ip;
    const longer = await sqlCount(app, `SELECT count(*) FROM signins WHERE ip_address LIKE ? || '_%'`, [ip]);
    const exact = await sqlCount(app, `SELECT count(*) FROM signins WHERE ip_address = ?`, [ip]);
    const search = page.getByLabel('Search all text columns');
    await search.fill(`ip:${ip}`);
    await search.press('Enter');
    await gridShows(page, exact);
    process.stderr.write(`ip:${ip} -> ${exact} rows (${longer} rows hold a longer address starting with it)\n`);
    // A /16 on an octet boundary is the same set as the text prefix "a.b.": counted that way.
    const [a, b] = ip.split('.');
    const block = await sqlCount(app, `SELECT count(*) FROM signins WHERE ip_address LIKE ?`, [`${a}.${b}.%`]);
    await search.fill(`ip:${a}.${b}.0.0/16`);
    await search.press('Enter');
    await gridShows(page, block);
    await app.screenshot('flow-ip-cidr-light');
    await search.fill('');
    await search.press('Enter');
    // Sorting by IP address: numeric, so 9.x comes before 10.x and 100.x after 99.x.
    await page.click('.ag-header-cell[col-id="ip_address"] .hdr-label');
    const first = await db.all<{ ip: string }>(`SELECT ip_address AS ip FROM signins WHERE ip_address IS NOT NULL`);
    const toNum = (v: string) => (/^\d+\.\d+\.\d+\.\d+$/.test(v) ? v.split('.').reduce((n, o) => n * 256 + Number(o), 0) : Number.POSITIVE_INFINITY);
    const lowest = first.map((r) => r.ip).sort((x, y) => toNum(x) - toNum(y))[0]!;
    await page.waitForFunction((want) => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="ip_address"]')?.textContent === want, lowest);
    await page.click('.ag-header-cell[col-id="time_utc"] .hdr-label');
  });

  test('"Around this sign-in" sorts by time and keeps the anchor row in view, highlighted', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Sign-ins' }).click();
    // A row deep in the default (newest first) order.
    const host = page.locator('.grid-host');
    const hb = (await host.boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await gridCount(page);
    await page.waitForTimeout(500);
    for (let tries = 0; tries < 10; tries++) {
      await page.mouse.wheel(0, 30 * 200);
      await page.waitForTimeout(700);
      const deepest = await page.locator('.ag-row[row-index]').evaluateAll((els) => Math.max(...els.map((e) => Number(e.getAttribute('row-index')))));
      if (deepest > 150) break;
    }
    const indexes = (await page.locator('.ag-row[row-index]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('row-index'))))).sort((a, b) => a - b);
    const index = indexes[Math.floor(indexes.length / 2)]!;
    assert.ok(index > 50, `scrolled deep: row ${index}`);
    const cell = page.locator(`.ag-row[row-index="${index}"] .ag-cell[col-id="time_utc"]`);
    await cell.waitFor();
    const rowId = await page.locator(`.ag-row[row-index="${index}"]`).first().getAttribute('row-id');
    await cell.click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Around this sign-in ± 60 min/ }).click();
    const anchored = page.locator(`.ag-row.anchor-row[row-id="${rowId}"] .ag-cell[col-id="time_utc"]`);
    await anchored.waitFor();
    const hostBox = (await host.boundingBox())!;
    const rowBox = (await anchored.boundingBox())!;
    assert.ok(rowBox.y >= hostBox.y && rowBox.y + rowBox.height <= hostBox.y + hostBox.height, 'the anchor row is on screen');
    assert.equal(await page.locator('.ag-header-cell[col-id="time_utc"]').getAttribute('aria-sort'), 'ascending');
    await app.screenshot('flow-around-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('flow-around-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});

test('the map and travel views render a case whose only export has no time column', async () => {
  const header = ['Category', 'ResultType', 'CorrelationId', 'AppDisplayName', 'Id', 'IPAddress', 'LocationDetails_string', 'UserPrincipalName', 'Type'];
  const rows = Array.from({ length: 12 }, (_, i) => ({
    Category: 'SignInLogs',
    ResultType: i % 3 ? '0' : '50126',
    CorrelationId: `c-${i}`,
    AppDisplayName: 'Azure Portal',
    Id: `la-${i}`,
    IPAddress: `198.51.100.${i}`,
    LocationDetails_string: i % 2 ? '{"city":"Oslo","countryOrRegion":"NO","geoCoordinates":{"latitude":59.91,"longitude":10.75}}' : '{"city":"Sydney","countryOrRegion":"AU","geoCoordinates":{"latitude":-33.87,"longitude":151.21}}',
    UserPrincipalName: `u${i % 2}@contoso.example`,
    Type: 'SigninLogs',
  }));
  const file = join(work, 'la-no-time.csv');
  writeFileSync(file, csvText(header, rows, '\r\n', false));
  const dir = join(work, 'case-no-time');
  const session = await CaseSession.create(dir, 'test', 'No times');
  const [s] = await importFiles(session, [file], { signal: new AbortController().signal, progress: () => undefined });
  assert.equal(s!.imported, 12);
  assert.equal(Number(await session.db.scalar('SELECT count(*) FROM signins WHERE time_utc IS NULL')), 12);
  session.close();
  const app = await startApp({ colorScheme: 'light' });
  try {
    const { page } = app;
    page.setDefaultTimeout(Number(process.env.FLOW_TIMEOUT ?? 90_000));
    await app.engine.openCase(dir);
    await page.reload();
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.waitForFunction(() => Number(document.querySelector('.geo-canvas')?.getAttribute('data-clusters') ?? 0) === 2);
    assert.equal(await page.locator('.geo-error').count(), 0);
    assert.equal(await page.locator('.geo-countries tbody tr').count(), 2);
    assert.match(await page.locator('.geo-countries tbody tr').first().innerText(), /–/);
    await page.waitForTimeout(300);
    await app.screenshot('flow-map-no-times-light');
    await page.getByRole('tab', { name: 'Travel' }).click();
    await page.waitForTimeout(1000);
    assert.equal(await page.locator('.geo-error').count(), 0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('tab', { name: 'Sign-in locations' }).click();
    await page.waitForTimeout(500);
    await app.screenshot('flow-map-no-times-dark');
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});
