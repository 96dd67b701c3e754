import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { startApp, closeBrowser, foreignRequests, type E2EApp } from '../support/e2e';
import { makeSqlFixture, type SqlFixture } from '../unit/sqlFixture';
import { disposeConsole } from '../../electron/engine/sql/readOnlyQuery';

let fx: SqlFixture | null = null;
after(async () => {
  await closeBrowser();
  if (fx) rmSync(fx.root, { recursive: true, force: true });
});

async function fixtureCase(): Promise<SqlFixture> {
  if (!fx) {
    fx = await makeSqlFixture(600);
    await disposeConsole(fx.session);
    fx.session.close();
  }
  return fx;
}

async function openSqlTab(app: E2EApp, caseDir: string): Promise<void> {
  await app.engine.openCase(caseDir);
  // The start screen notices a case opened outside the UI.
  await app.page.getByRole('tab', { name: 'SQL' }).click({ timeout: 15_000 });
  await app.page.getByTestId('sql-schema').getByRole('button', { name: 'signins', exact: true }).waitFor({ timeout: 30_000 });
}

/** Type at the end of the editor's text (one line, so no completion swallows an Enter). */
async function typeAtEnd(app: E2EApp, text: string, closeCompletion = true): Promise<void> {
  const content = app.page.locator('[data-testid="sql-editor"] .cm-content');
  await content.click();
  await app.page.keyboard.press('Control+End');
  await app.page.keyboard.press('Enter');
  await app.page.keyboard.type(text, { delay: 2 });
  if (closeCompletion) await app.page.keyboard.press('Escape');
}

test('SQL tab: write, run with Ctrl+Enter, see rows and count, save, refusals, positions, reopen → history and saved', async () => {
  const f = await fixtureCase();
  const app = await startApp({ colorScheme: 'light' });
  try {
    const page = app.page;
    await openSqlTab(app, f.caseDir);
    await typeAtEnd(app, "SELECT user_principal_name, count(*) AS sign_ins FROM signins GROUP BY 1 ORDER BY sign_ins DESC, 1;");
    await page.keyboard.press('Control+Enter');
    const status = page.getByTestId('sql-status');
    await status.filter({ hasText: /^5 rows/ }).waitFor({ timeout: 30_000 });
    const grid = page.getByTestId('sql-results');
    await grid.locator('.ag-header-cell-text', { hasText: 'sign_ins' }).waitFor();
    await grid.locator('.ag-row[row-index="4"]').waitFor();
    assert.equal(await grid.locator('.ag-row[row-index="0"] .ag-cell[col-id="c0"]').textContent(), 'alice@contoso.com');
    assert.equal(await grid.locator('.ag-row[row-index="0"] .ag-cell[col-id="c1"]').textContent(), '120');
    // Sorting by a result column goes through the engine.
    await grid.locator('.ag-header-cell[col-id="c0"] .ag-header-cell-label').click();
    await grid.locator('.ag-header-cell[col-id="c0"] .ag-header-cell-label').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="sql-results"] .ag-row[row-index="0"] .ag-cell[col-id="c0"]')?.textContent === 'eve@contoso.com');
    await app.screenshot('console-light');

    // Save it with the case.
    await page.getByRole('button', { name: 'Save…' }).click();
    await page.getByLabel('Saved query name').fill('Failures per user');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('sql-saved').getByText('Failures per user').waitFor();

    // A hostile statement is refused with a clear message.
    await typeAtEnd(app, "COPY signins TO '/tmp/signet-e2e-pwned.csv';");
    await page.keyboard.press('Control+Enter');
    const failure = page.getByTestId('sql-failure');
    await failure.getByText(/Refused: the console cannot read or write files outside the case/).waitFor();
    assert.equal(existsSync('/tmp/signet-e2e-pwned.csv'), false);
    await typeAtEnd(app, 'DROP TABLE signins;');
    await page.keyboard.press('Control+Enter');
    await failure.getByText(/Refused: the console is read-only; DROP would change the case/).waitFor();
    await app.screenshot('console-refused-light');

    // An error names its line and column and marks them in the editor.
    await typeAtEnd(app, 'SELECT nosuchcolumn FROM signins;');
    await page.keyboard.press('Control+Enter');
    // The line depends on how many statements are above it; the mark pins the exact spot.
    await failure.getByText(/Line \d+, column 8/).waitFor();
    assert.equal(await page.locator('.cm-sql-error').textContent(), 'nosuchcolumn');
    await app.screenshot('console-error-light');

    // Close the case, reopen it from the start screen: history and saved queries are still there.
    await page.getByRole('button', { name: 'Close case' }).click();
    await page.getByRole('button', { name: 'sql fixture' }).first().click({ timeout: 15_000 });
    await page.getByRole('tab', { name: 'SQL' }).click({ timeout: 15_000 });
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByTestId('sql-history');
    await history.locator('.console-item', { hasText: 'SELECT user_principal_name, count(*) AS sign_ins FROM signins GROUP BY 1 ORDER BY sign_ins DESC, 1' }).locator('.console-badge.ok').waitFor();
    await history.locator('.console-badge.refused').first().waitFor();
    await page.getByRole('tab', { name: 'Saved' }).click();
    await page.getByTestId('sql-saved').getByText('Failures per user').click();
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('sql-status').filter({ hasText: /^5 rows/ }).waitFor({ timeout: 30_000 });
    await app.screenshot('console-reopened-light');
    assert.deepEqual(foreignRequests(app.requests), []);
  } catch (err) {
    await app.screenshot('console-failure');
    throw err;
  } finally {
    await app.close();
  }
});

test('SQL tab in dark mode: example query (PIVOT) from the side panel, plan view', async () => {
  const f = await fixtureCase();
  const app = await startApp({ colorScheme: 'dark' });
  try {
    const page = app.page;
    await openSqlTab(app, f.caseDir);
    await page.getByTestId('sql-schema').getByRole('button', { name: 'Collapse signins' }).waitFor();
    await app.screenshot('console-schema-dark');
    await page.getByRole('tab', { name: 'Examples' }).click();
    await page.getByTestId('sql-examples').getByText('Sign-ins per country per day').click();
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('sql-status').filter({ hasText: /rows/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('sql-results').locator('.ag-header-cell-text', { hasText: 'US' }).waitFor();
    await app.screenshot('console-dark');

    // Completion knows the case's tables and DuckDB's functions.
    await typeAtEnd(app, 'SELECT regexp_ma', false);
    await page.locator('.cm-tooltip-autocomplete .cm-completionLabel', { hasText: /^regexp_matches$/ }).first().waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.type(' FROM sig');
    await page.locator('.cm-tooltip-autocomplete .cm-completionLabel', { hasText: /^signins$/ }).first().waitFor();
    await app.screenshot('console-completion-dark');
    await page.keyboard.press('Escape');

    // Run selection: only the selected text runs.
    await typeAtEnd(app, 'SELECT 41 + 1 AS answer, 0 AS other;');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    for (let i = 0; i < ', 0 AS other;'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.getByRole('button', { name: /Run/ }).first().click();
    await page.getByTestId('sql-status').filter({ hasText: /^1 row/ }).waitFor();
    await page.getByTestId('sql-results').locator('.ag-header-cell-text', { hasText: 'answer' }).waitFor();
    assert.equal(await page.getByTestId('sql-results').locator('.ag-header-cell-text', { hasText: 'other' }).count(), 0);

    // A long query can be cancelled from the toolbar.
    await typeAtEnd(app, 'SELECT sum(hash(i)) FROM range(40000000000) t(i);');
    await page.keyboard.press('Control+Enter');
    const cancel = page.getByRole('button', { name: 'Cancel query' });
    await page.waitForFunction(() => !(document.querySelector('[aria-label="Cancel query"]') as HTMLButtonElement | null)?.disabled);
    await cancel.click();
    await page.getByTestId('sql-failure').getByText('Cancelled.').waitFor({ timeout: 15_000 });
    assert.deepEqual(foreignRequests(app.requests), []);
  } catch (err) {
    await app.screenshot('console-failure-dark');
    throw err;
  } finally {
    await app.close();
  }
});
