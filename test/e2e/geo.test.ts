import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startApp, closeBrowser, foreignRequests, type E2EApp } from '../support/e2e';
import { startDemoJob } from '../../electron/engine/demo/demoCase';
import type { Engine } from '../../electron/engine/engine';

after(closeBrowser);

async function openDemo(engine: Engine, rows: number): Promise<{ groundTruth: string }> {
  const id = startDemoJob(engine, rows);
  for (;;) {
    const s = engine.jobs.status(id);
    if (!s) throw new Error('demo job vanished');
    if (s.state === 'done') return s.result as { groundTruth: string };
    if (s.state !== 'running') throw new Error(`demo job ${s.state}: ${s.error}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function showMap(app: E2EApp): Promise<void> {
  await app.page.reload();
  await app.page.getByRole('tab', { name: 'Map' }).click();
  await app.page.waitForFunction(() => Number(document.querySelector('.geo-canvas')?.getAttribute('data-clusters') ?? 0) > 0, undefined, { timeout: 60_000 });
  // Let the canvas draw its frame.
  await app.page.waitForTimeout(300);
}

test('map of the demo case: clusters, country table, cluster click filters the grid, planted impossible travel, light and dark, nothing leaves 127.0.0.1', async () => {
  const app = await startApp({ colorScheme: 'light' });
  try {
    const { groundTruth } = await openDemo(app.engine, 6000);
    const truth = JSON.parse(readFileSync(groundTruth, 'utf8')) as { incidents: { kind: string; users: string[]; requestIds: string[] }[] };
    const planted = truth.incidents.find((i) => i.kind === 'impossible_travel');
    assert.ok(planted, 'the demo plants an impossible-travel pair');
    const victim = planted.users[0]!;

    await showMap(app);
    const page = app.page;
    const countries = page.locator('.geo-countries tbody tr');
    assert.ok((await countries.count()) >= 5, 'country table lists the countries');
    assert.match((await page.getByTestId('geo-total').innerText()).replace(/,/g, ''), /\d+ sign-ins/);
    await app.screenshot('geo-map-light');

    // Click the biggest cluster: the selection lists it and the shared filter narrows the grid.
    const top = await page.locator('.geo-canvas').getAttribute('data-top');
    assert.ok(top, 'a cluster is on screen');
    const [x, y] = top.split(',').map(Number) as [number, number];
    const box = (await page.locator('.geo-canvas').boundingBox())!;
    await page.mouse.move(box.x + x, box.y + y);
    await page.waitForSelector('.geo-tip');
    await app.screenshot('geo-map-hover-light');
    await page.mouse.click(box.x + x, box.y + y);
    await page.waitForSelector('.geo-selection li');
    // "Add to current filter" narrows the shared filter and stays on the map.
    await page.getByTestId('geo-add-rows').click();
    await page.waitForFunction(() => document.querySelectorAll('.geo-chip').length === 1);
    const selectedRows = Number(await page.getByTestId('geo-selection-count').getAttribute('data-rows'));
    assert.ok(selectedRows > 0);
    const members = await page.locator('.geo-selection li .geo-num').allInnerTexts();
    const clusterTotal = members.reduce((sum, m) => sum + Number(m.replace(/,/g, '')), 0);
    assert.equal(selectedRows, clusterTotal, 'the filter holds exactly the cluster’s rows');
    await page.waitForFunction((n) => document.querySelector('[data-testid="geo-total"]')?.textContent?.replace(/,/g, '').includes(`${n} sign-ins`), selectedRows);
    await page.getByRole('tab', { name: 'Sign-ins' }).click();
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('strong')].some((s) => s.textContent?.replace(/,/g, '') === String(n) && /of [\d,]+ sign-ins/.test(s.parentElement?.textContent ?? '')),
      selectedRows,
      { timeout: 20_000 },
    );

    // Travel: the planted pair appears for its user, as an impossible segment.
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await page.getByRole('tab', { name: 'Travel' }).click();
    await page.waitForSelector(`select[aria-label="Travel user"] option[value="${victim}"]`, { state: 'attached' });
    // All users: the planted pair is among the impossible segments.
    await page.waitForSelector('.geo-segments li.impossible');
    await page.selectOption('select[aria-label="Travel user"]', victim);
    const pair = page.locator('.geo-segments li.impossible', { hasText: 'Sydney' });
    await pair.first().waitFor();
    assert.match(await pair.first().innerText(), /Oslo/);
    await page.waitForTimeout(300);
    await app.screenshot('geo-travel-light');
    const fromRow = Number(await pair.first().getAttribute('data-from-row'));
    const toRow = Number(await pair.first().getAttribute('data-to-row'));
    const reqs = await app.engine.requireCase().db.all<{ request_id: string }>('SELECT request_id FROM signins WHERE row_id IN (?, ?) ORDER BY time_utc', [fromRow, toRow]);
    assert.deepEqual(
      reqs.map((r) => r.request_id).sort(),
      [...planted.requestIds].sort(),
      'the listed pair is the planted pair',
    );
    await pair.first().getByRole('button', { name: 'Add to filter' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="geo-total"]')?.textContent?.replace(/,/g, '').includes('2 sign-ins'));

    // The same views in dark mode.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('tab', { name: 'Sign-in locations' }).click();
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await page.waitForFunction(() => Number(document.querySelector('.geo-canvas')?.getAttribute('data-clusters') ?? 0) > 3);
    await page.waitForTimeout(300);
    await app.screenshot('geo-map-dark');
    await page.getByRole('tab', { name: 'Travel' }).click();
    await page.waitForSelector('.geo-segments li.impossible');
    await page.waitForTimeout(300);
    await app.screenshot('geo-travel-dark');

    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});
