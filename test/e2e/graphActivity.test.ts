import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, closeBrowser, foreignRequests } from '../support/e2e';
import { freshCase, importInto, workDir } from '../support/fixtures/importHarness';
import { graphActivityFixture } from '../support/fixtures/graphActivityFixture';

after(async () => {
  await closeBrowser();
});

const rowCount = (page: import('playwright-core').Page, id: string, pattern: RegExp) =>
  page.waitForFunction(([sel, src]) => new RegExp(src).test(document.querySelector(`[data-testid=${sel}]`)?.textContent ?? ''), [id, pattern.source] as const, { timeout: 20_000 });

test('Graph activity: from a sign-in to its Graph calls and from a call back to the sign-in whose token made it, light and dark', async () => {
  const dir = workDir('e2e-graph');
  const fx = await graphActivityFixture(dir);
  const session = await freshCase(dir);
  const out = await importInto(session, [fx.signins, fx.activity]);
  const signins = out[0]!.imported;
  const calls = out[1]!.imported;
  session.close();
  const uti = fx.linkedUtis[3]!; // made 4 calls
  for (const scheme of ['light', 'dark'] as const) {
    const app = await startApp({ colorScheme: scheme, viewport: { width: 1920, height: 1000 } });
    try {
      const page = app.page;
      await app.engine.openCase(join(dir, 'case'));
      await page.getByRole('tab', { name: 'Sign-ins' }).waitFor({ timeout: 20_000 });
      // The sign-in grid counts each sign-in's Graph calls.
      await page.locator('.ag-header-cell[col-id="graph_calls"]').waitFor({ timeout: 20_000 });
      await page.getByRole('searchbox').first().fill(uti);
      await rowCount(page, 'row-count', /\b1 of /);
      await page.waitForFunction(() => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="graph_calls"]')?.textContent === '4');
      // Sign-in → its calls.
      await page.dblclick('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]');
      await page.getByRole('tab', { name: 'Graph activity (4)' }).click();
      await app.screenshot(`graph-signin-detail-${scheme}`);
      await page.getByRole('button', { name: 'Open these 4 calls in Graph activity' }).click();
      await page.getByRole('tab', { name: 'Graph activity', exact: true, selected: true }).waitFor();
      await rowCount(page, 'graph-row-count', new RegExp(`^4 of ${calls} Graph requests`));
      await page.getByLabel('Graph activity filters').getByText(`Sign-in activity ID = ${uti}`).waitFor();
      await page.waitForFunction((u) => document.querySelectorAll('.ag-row .ag-cell[col-id="sign_in_activity_id"]').length === 4 && [...document.querySelectorAll('.ag-row .ag-cell[col-id="sign_in_activity_id"]')].every((c) => c.textContent === u), uti);
      // Filters and search in the view.
      await page.getByLabel('Filter by Method').selectOption('POST');
      await rowCount(page, 'graph-row-count', new RegExp(`^1 of ${calls}`));
      await page.getByLabel('Filter by Method').selectOption('');
      await page.getByRole('button', { name: 'Clear all' }).click();
      await rowCount(page, 'graph-row-count', new RegExp(`^${calls} of ${calls}`));
      await page.getByLabel('Search Graph activity').fill('no-such-token');
      await rowCount(page, 'graph-row-count', new RegExp(`^2 of ${calls}`));
      await page.click('.ag-row[row-index="0"] .ag-cell[col-id="request_uri"]');
      await page.getByText(/No sign-in in this case has unique token identifier no-such-token/).waitFor();
      // Call → the sign-in whose token made it.
      await page.getByLabel('Search Graph activity').fill(uti);
      await rowCount(page, 'graph-row-count', new RegExp(`^4 of ${calls}`));
      await page.click('.ag-row[row-index="0"] .ag-cell[col-id="request_uri"]');
      const detail = page.getByRole('complementary', { name: 'Graph request details' });
      await detail.getByText('Raw record').waitFor();
      await app.screenshot(`graph-activity-${scheme}`);
      await detail.getByRole('button', { name: 'Open the sign-in that issued this token' }).click();
      await page.getByRole('tab', { name: 'Sign-ins', selected: true }).waitFor();
      await rowCount(page, 'row-count', new RegExp(`\\b1 of ${signins} sign-ins`));
      await page.waitForFunction(() => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="graph_calls"]')?.textContent === '4');
      await page.getByText(/Sign-in of Graph request gr-3-/).waitFor();
      await app.screenshot(`graph-back-to-signin-${scheme}`);
      assert.deepEqual(foreignRequests(app.requests), []);
    } finally {
      await app.close();
    }
  }
});
