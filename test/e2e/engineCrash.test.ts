import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { closeBrowser, startAppWithEngineProcess } from '../support/e2e';
import { makeSqlFixture, type SqlFixture } from '../unit/sqlFixture';
import { disposeConsole } from '../../electron/engine/sql/readOnlyQuery';

let fx: SqlFixture | null = null;
after(async () => {
  await closeBrowser();
  if (fx) rmSync(fx.root, { recursive: true, force: true });
});

/** Runs for minutes: the engine is always still inside it when it is killed. */
const SLOW_SQL = 'SELECT sum(hash(i)) FROM range(100000000000) t(i);';

test('the engine process killed in the middle of a console query: the page names the call and says the case is intact; the engine restarts with the case and the grid shows the same rows', { timeout: 240_000 }, async () => {
  fx = await makeSqlFixture(600);
  await disposeConsole(fx.session);
  fx.session.close();
  await fx.session.db.closed;
  const app = await startAppWithEngineProcess({ colorScheme: 'light' });
  try {
    const { page, client } = app;
    const opened = await client.invoke('openCase', { dir: fx.caseDir }, 'bridge');
    assert.ok(opened.ok, JSON.stringify(opened));
    // The start screen notices the case; the grid counts its rows.
    const rowCount = page.getByTestId('row-count');
    await rowCount.filter({ hasText: /600 of 600/ }).waitFor({ timeout: 30_000 });
    const firstCell = page.locator('.ag-row[row-index="0"] .ag-cell[col-id="request_id"]').first();
    await firstCell.waitFor({ timeout: 30_000 });
    const firstRequest = await firstCell.textContent();
    assert.ok(firstRequest, 'the first row has a request id');

    await page.getByRole('tab', { name: 'SQL' }).click({ timeout: 15_000 });
    await page.getByTestId('sql-schema').getByRole('button', { name: 'signins', exact: true }).waitFor({ timeout: 30_000 });
    const content = page.locator('[data-testid="sql-editor"] .cm-content');
    await content.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(SLOW_SQL, { delay: 2 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Enter');

    // Mid-query: the call has reached the engine process and DuckDB is working on it.
    const deadline = Date.now() + 30_000;
    while (!client.inFlight().includes('sqlRun')) {
      assert.ok(Date.now() < deadline, 'the query never reached the engine');
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 750));
    assert.deepEqual(client.inFlight(), ['sqlRun'], 'the query is still running when the engine is killed');
    const killed = client.pid!;
    process.kill(killed, 'SIGKILL');

    // The app-wide banner says it (whichever view made the call), and the console too.
    const alert = page.locator('.banner[role=alert]').filter({ hasText: /engine process stopped/ });
    await alert.waitFor({ timeout: 60_000 });
    const text = (await alert.textContent()) ?? '';
    await page.getByTestId('sql-editor').page().locator('.console-message[role=alert]').filter({ hasText: /while running sqlRun/ }).waitFor();
    assert.match(text, /stopped \(killed by SIGKILL\) while running sqlRun/, text);
    assert.match(text, /The case on disk is intact/, text);
    assert.ok(text.includes(fx.caseDir), `names the reopened case: ${text}`);
    await app.screenshot('engine-crash-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('engine-crash-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    assert.equal(client.restarts, 1);
    assert.notEqual(client.pid, killed, 'a new engine process');
    assert.equal(client.caseDir, fx.caseDir, 'the case is open again');

    // The next call works: the grid's page comes from the new engine, with the same rows.
    await page.getByRole('tab', { name: 'Sign-ins', exact: true }).click();
    await rowCount.filter({ hasText: /600 of 600/ }).waitFor({ timeout: 30_000 });
    await app.screenshot('engine-crash-after-light');
    await page.waitForFunction(
      (want) => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="request_id"]')?.textContent === want,
      firstRequest,
      { timeout: 30_000 },
    );
    const counted = await client.invoke('countRows', { filter: {} }, 'bridge');
    assert.ok(counted.ok && (counted.result as { total: number }).total === 600, JSON.stringify(counted));
  } finally {
    await app.close();
  }
});
