import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { startApp, closeBrowser, foreignRequests, type E2EApp } from '../support/e2e';
import { workDir, writeEvidence } from '../support/fixtures/importHarness';
import { csvText } from '../support/fixtures/csvText';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { portalRow, signin } from '../support/fixtures/signinFixtures';

after(closeBrowser);

// A file whose log type or date order cannot be told is refused by the engine with a typed
// reason; the UI asks the user and imports that file again with the answer.

const LA_HEADER = ['CreatedDateTime [UTC]', 'Id', 'UserPrincipalName', 'UserId', 'AppId', 'ResultType', 'IPAddress', 'SignInEventTypes', 'IsInteractive'];
const laRow = (i: number, time: string) => ({ 'CreatedDateTime [UTC]': time, Id: `la-${i}`, UserPrincipalName: `u${i}@contoso.example`, UserId: `uid-${i}`, AppId: 'app', ResultType: '0', IPAddress: '192.0.2.1', SignInEventTypes: '["interactiveUser"]', IsInteractive: 'true' });

async function openThroughPicker(app: E2EApp, path: string): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: 'Open files…' }).click();
  const picker = page.getByRole('dialog', { name: 'Open files' });
  await picker.getByLabel('Folder or file path').fill(path.slice(0, path.length - basename(path).length));
  await picker.getByRole('button', { name: 'Go' }).click();
  await picker.getByLabel(new RegExp(basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).check();
  await picker.getByRole('button', { name: /Open 1 file/ }).click();
}

test('an ambiguous portal download and an ambiguous day/month Log Analytics file: the UI asks, and the answer imports them, light and dark', async () => {
  for (const scheme of ['light', 'dark'] as const) {
    const dir = workDir(`e2e-choice-${scheme}`);
    const portal = writeEvidence(dir, 'export.csv', csvText(HEADER_57, [1, 2, 3].map((i) => portalRow(signin(i)))));
    const la = writeEvidence(dir, 'query_data.csv', csvText(LA_HEADER, [laRow(1, '12/10/2026, 23:25:30.000'), laRow(2, '11/10/2026, 08:00:00.000'), laRow(3, '3/4/2026, 09:15:00.000')]));
    const app = await startApp({ colorScheme: scheme });
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Open files…' }).waitFor({ timeout: 20_000 });

      // The portal's two user downloads share a header and the name says nothing.
      await openThroughPicker(app, portal);
      const ask = page.getByRole('dialog', { name: 'Which sign-in log is this file?' });
      await ask.waitFor({ timeout: 60_000 });
      assert.match(await ask.innerText(), /export\.csv/);
      const offered = await ask.getByRole('radio').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
      assert.deepEqual(offered, ['interactive', 'noninteractive']);
      assert.equal(await ask.getByRole('button', { name: 'Import with this choice' }).isDisabled(), true);
      await ask.getByText('Non-interactive', { exact: true }).click();
      await app.screenshot(`import-choice-logtype-${scheme}`);
      await ask.getByRole('button', { name: 'Import with this choice' }).click();
      await page.locator('.case-name .case-counts').filter({ hasText: /^3 sign-ins/ }).waitFor({ timeout: 60_000 });
      assert.equal(await ask.count(), 0, 'the dialog closed');
      assert.deepEqual(await app.engine.current!.db.all(`SELECT log_type, count(*)::INT AS n FROM signins GROUP BY 1`), [{ log_type: 'noninteractive', n: 3 }]);
      // The grid's rows say so too (detail pane of the first row).
      const logTypeShown = page.locator('.detail').getByText('noninteractive', { exact: true }).first();
      // The grid may still be settling from the import under load: ask again until the pane opens.
      for (let i = 0; i < 6 && !(await logTypeShown.isVisible()); i++) {
        await page.dblclick('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]', { timeout: 30_000 });
        await logTypeShown.waitFor({ timeout: 5_000 }).catch(() => undefined);
      }
      await logTypeShown.waitFor({ timeout: 20_000 });

      // Log Analytics times written with no day above 12: day first or month first?
      await page.getByRole('button', { name: 'Close case' }).click();
      await openThroughPicker(app, la);
      const dates = page.getByRole('dialog', { name: 'Which date order does this file use?' });
      await dates.waitFor({ timeout: 60_000 });
      const text = await dates.innerText();
      assert.match(text, /query_data\.csv/);
      // Two of the file's values, each read both ways.
      assert.match(text, /3\/4\/2026, 09:15:00\.000 is 3 April 2026/);
      assert.match(text, /11\/10\/2026, 08:00:00\.000 is 11 October 2026/);
      assert.match(text, /3\/4\/2026, 09:15:00\.000 is 4 March 2026/);
      assert.match(text, /11\/10\/2026, 08:00:00\.000 is 10 November 2026/);
      await dates.getByText('Day first (dd/mm/yyyy)').click();
      await app.screenshot(`import-choice-dateorder-${scheme}`);
      await dates.getByRole('button', { name: 'Import with this choice' }).click();
      await page.locator('.case-name .case-counts').filter({ hasText: /^3 sign-ins/ }).waitFor({ timeout: 60_000 });
      assert.deepEqual(await app.engine.current!.db.all(`SELECT request_id, strftime(time_utc, '%Y-%m-%d %H:%M') AS t FROM signins ORDER BY 1`), [
        { request_id: 'la-1', t: '2026-10-12 23:25' },
        { request_id: 'la-2', t: '2026-10-11 08:00' },
        { request_id: 'la-3', t: '2026-04-03 09:15' },
      ]);
      assert.match(app.engine.current!.manifest.sources.at(-1)!.logTypeReason ?? '', /SignInEventTypes/);
      assert.deepEqual(foreignRequests(app.requests), []);
    } finally {
      await app.close();
    }
  }
});
