import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeBrowser, foreignRequests, startApp } from '../support/e2e';
import { FINDING_KINDS } from '../../electron/api/methods/findings';

// The findings panel end to end: open the demo case from the start screen, see the
// planted findings, select one, and follow it to exactly its rows in the grid.

after(async () => {
  await closeBrowser();
});

const PLANTED_KINDS: readonly string[] = FINDING_KINDS;

test('demo case: planted findings listed; "Show rows" filters the grid to exactly the finding', { timeout: 600_000 }, async () => {
  const app = await startApp({ colorScheme: 'light', viewport: { width: 1440, height: 900 } });
  try {
    const { page } = app;
    await page.getByRole('button', { name: 'Open demo case' }).click();
    await page.getByRole('tab', { name: 'Findings' }).waitFor({ timeout: 400_000 });
    await page.getByRole('tab', { name: 'Findings' }).click();
    const items = page.locator('.fd-item');
    await items.first().waitFor({ timeout: 120_000 });
    const kinds = new Set(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))));
    for (const k of PLANTED_KINDS) assert.ok(kinds.has(k), `planted ${k} is listed`);

    const spray = page.locator('.fd-item[data-kind="password_spray"]').first();
    const sprayId = (await spray.getAttribute('data-finding-id')) ?? '';
    await spray.click();
    const detail = page.getByTestId('finding-detail');
    await page.waitForFunction((id) => document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-finding-id') === id, sprayId);
    const rowCount = Number(await detail.getAttribute('data-row-count'));
    assert.ok(rowCount >= 20, `spray rows ${rowCount}`);
    await assert.doesNotReject(detail.getByText(/failed to sign in \d+ times against \d+ different accounts/).waitFor());
    await app.screenshot('findings-light');

    // The SQL behind it is shown, read-only and copyable.
    await page.getByRole('button', { name: 'View SQL' }).click();
    const sql = await page.getByTestId('finding-sql').textContent();
    assert.match(sql ?? '', /FROM signins/);
    await app.screenshot('findings-sql-light');
    await page.getByRole('button', { name: 'Close', exact: true }).last().click();

    // Review with a note; the list shows the state.
    await page.getByLabel('Review note').fill('Attacker infrastructure; accounts reset');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.fd-item.selected .fd-review-confirmed').waitFor();

    // Show rows → the grid's filtered count is exactly the finding's rows.
    await page.getByTestId('show-rows').click();
    await page.getByRole('tab', { name: 'Sign-ins' }).click();
    const count = page.getByTestId('row-count');
    await page.waitForFunction(
      (n) => (document.querySelector('[data-testid="row-count"] strong')?.textContent ?? '').replace(/,/g, '') === String(n),
      rowCount,
      { timeout: 60_000 },
    );
    assert.equal(Number(((await count.locator('strong').textContent()) ?? '').replace(/,/g, '')), rowCount);
    // Same count straight from the engine with the same filter, in page context.
    const viaApi = await page.evaluate(async (findingId) => {
      const token = sessionStorage.getItem('signet.token') ?? '';
      const res = await fetch('/api/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signet-token': token },
        body: JSON.stringify({ method: 'getFinding', args: { id: findingId } }),
      });
      return ((await res.json()) as { result: { requestIds: string[] } }).result.requestIds.length;
    }, sprayId);
    assert.equal(viaApi, rowCount);
    await app.screenshot('findings-grid-filtered-light');

    // Dark theme of the panel.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('tab', { name: 'Findings' }).click();
    await page.locator('.fd-item[data-kind="impossible_travel"]').first().click();
    await detail.getByText(/km\/h/).waitFor();
    await page.getByRole('button', { name: 'Thresholds' }).click();
    await page.getByRole('region', { name: 'Detection thresholds' }).waitFor();
    await app.screenshot('findings-dark');

    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});
