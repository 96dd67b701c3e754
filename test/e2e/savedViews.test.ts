import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, closeBrowser, foreignRequests } from '../support/e2e';
import { freshCase, importInto, workDir, writeEvidence } from '../support/fixtures/importHarness';
import { graphObject, signin } from '../support/fixtures/signinFixtures';
import { readAuditDb } from '../../electron/engine/custody/audit';
import type { Page } from 'playwright-core';

after(async () => {
  await closeBrowser();
});

const headers = (page: Page) => page.locator('.ag-header-cell[col-id]').evaluateAll((els) => els.map((e) => e.getAttribute('col-id')).filter((c) => c !== '_tags'));
const waitCount = (page: Page, n: number) =>
  page.waitForFunction((want) => (document.querySelector('[data-testid="row-count"] strong')?.textContent ?? '').replace(/,/g, '') === String(want), n, { timeout: 20_000 });
const firstUpn = (page: Page) => page.locator('.ag-row[row-index="0"] .ag-cell[col-id="user_principal_name"]').textContent();

// Save a view (search, sort, a hidden and a moved column, a time zone), change all of it,
// bring the view back and find the grid as it was; rename it, reload the page, delete it.
test('saved views: save, change everything, restore (count, sort, columns, zone), rename, survive a reload, delete; each audited', async () => {
  const dir = workDir('e2e-views');
  const records = Array.from({ length: 40 }, (_, i) =>
    graphObject(signin(i + 1, { errorCode: i % 4 === 0 ? 50126 : 0, failureReason: i % 4 === 0 ? 'Invalid username or password.' : '', upn: `user${(i * 7) % 40}@contoso.example` })),
  );
  const failed = records.filter((r) => (r.status as { errorCode: number }).errorCode !== 0);
  const firstFailedUpn = failed.map((r) => String(r.userPrincipalName)).sort()[0]!;
  const file = writeEvidence(dir, 'signins.json', JSON.stringify({ value: records }));
  const session = await freshCase(dir);
  await importInto(session, [file]);
  session.close();

  for (const scheme of ['light', 'dark'] as const) {
    const app = await startApp({ colorScheme: scheme });
    try {
      const page = app.page;
      await app.engine.openCase(join(dir, 'case'));
      await page.getByRole('tab', { name: 'Sign-ins' }).waitFor({ timeout: 20_000 });
      await waitCount(page, records.length);
      if (scheme === 'dark') {
        // The view saved in the light run is still in the case.
        await page.getByRole('button', { name: 'Views ▾' }).click();
        await page.getByRole('list', { name: 'Saved views' }).getByText('Failed logins by user').waitFor();
        await app.screenshot('saved-views-dark');
        break;
      }
      const before = headers(page);
      // The view: a search, a sort, a hidden column, a moved column, a zone.
      await page.getByRole('searchbox').first().fill('Invalid');
      await waitCount(page, failed.length);
      await page.click('.ag-header-cell[col-id="user_principal_name"] .hdr-label');
      await page.waitForFunction((u) => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="user_principal_name"]')?.textContent === u, firstFailedUpn, { timeout: 20_000 });
      await page.click('button[aria-label^="Columns:"]');
      await page.uncheck('input[aria-label="Show IP address"]');
      await page.click('button[aria-label="Move Username up"]');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('.ag-header-cell[col-id="ip_address"]'));
      await page.selectOption('select[aria-label="Time zone"]', 'Europe/Berlin');
      const saved = await headers(page);
      assert.ok(!saved.includes('ip_address'));
      assert.ok(saved.indexOf('user_principal_name') < saved.indexOf('user_display_name'), saved.join(','));
      assert.notDeepEqual(saved, await before);

      await page.getByRole('button', { name: 'Views ▾' }).click();
      await page.fill('input[aria-label="Name of the new view"]', 'Failed sign-ins by user');
      await page.getByRole('button', { name: 'Save current view' }).click();
      await page.getByRole('list', { name: 'Saved views' }).getByText('Failed sign-ins by user').waitFor();
      await app.screenshot('saved-views-light');
      await page.keyboard.press('Escape');

      // Change everything.
      await page.getByRole('searchbox').first().fill('');
      await waitCount(page, records.length);
      await page.click('.ag-header-cell[col-id="time_utc"] .hdr-label');
      await page.click('button[aria-label^="Columns:"]');
      await page.check('input[aria-label="Show IP address"]');
      await page.click('button[aria-label="Move Username down"]');
      await page.keyboard.press('Escape');
      await page.waitForSelector('.ag-header-cell[col-id="ip_address"]');
      await page.selectOption('select[aria-label="Time zone"]', 'UTC');
      assert.notDeepEqual(await headers(page), saved);

      // Restore.
      await page.getByRole('button', { name: 'Views ▾' }).click();
      await page.getByRole('button', { name: 'Apply Failed sign-ins by user' }).click();
      await waitCount(page, failed.length);
      await page.waitForFunction(() => !document.querySelector('.ag-header-cell[col-id="ip_address"]'));
      await page.waitForFunction((u) => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="user_principal_name"]')?.textContent === u, firstFailedUpn, { timeout: 20_000 });
      assert.equal(await firstUpn(page), firstFailedUpn);
      assert.deepEqual(await headers(page), saved);
      assert.equal(await page.getByRole('searchbox').first().inputValue(), 'Invalid');
      assert.equal(await page.locator('select[aria-label="Time zone"]').inputValue(), 'Europe/Berlin');
      assert.equal(await page.locator('.ag-header-cell[col-id="user_principal_name"]').getAttribute('aria-sort'), 'ascending');
      await app.screenshot('saved-views-restored-light');

      // Rename.
      await page.getByRole('button', { name: 'Views ▾' }).click();
      await page.getByRole('button', { name: 'Rename Failed sign-ins by user' }).click();
      await page.fill('input[aria-label="New name for Failed sign-ins by user"]', 'Failed logins by user');
      await page.getByRole('button', { name: 'Rename', exact: true }).click();
      await page.getByRole('list', { name: 'Saved views' }).getByText('Failed logins by user').waitFor();
      assert.equal(await page.getByRole('list', { name: 'Saved views' }).getByText('Failed sign-ins by user').count(), 0);

      // A reload keeps it (it is in the case, not the page).
      await page.reload();
      await page.getByRole('tab', { name: 'Sign-ins' }).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Views ▾' }).click();
      await page.getByRole('list', { name: 'Saved views' }).getByText('Failed logins by user').waitFor();
      await page.keyboard.press('Escape');

      const actions = (await readAuditDb(app.engine.requireCase())).map((a) => a.action).filter((a) => a.startsWith('view.'));
      assert.deepEqual(actions, ['view.save', 'view.apply', 'view.rename']);
      assert.deepEqual(foreignRequests(app.requests), []);
    } finally {
      await app.close();
    }
  }
  // Delete, in a last run, so the dark run above could still see the view.
  const app = await startApp();
  try {
    const page = app.page;
    await app.engine.openCase(join(dir, 'case'));
    await page.getByRole('tab', { name: 'Sign-ins' }).waitFor({ timeout: 20_000 });
    page.on('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Views ▾' }).click();
    await page.getByRole('button', { name: 'Delete Failed logins by user' }).click();
    await page.getByText('No saved views yet').waitFor();
    const actions = (await readAuditDb(app.engine.requireCase())).map((a) => a.action).filter((a) => a.startsWith('view.'));
    assert.deepEqual(actions, ['view.save', 'view.apply', 'view.rename', 'view.delete']);
  } finally {
    await app.close();
  }
});
