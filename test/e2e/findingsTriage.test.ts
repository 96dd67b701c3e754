import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, closeBrowser } from '../support/e2e';
import { freshCase, importInto, workDir } from '../support/fixtures/importHarness';
import { generateDataset } from '../../electron/engine/demo/generate';
import { recomputeFindings } from '../../electron/engine/findings/compute';

after(async () => {
  await closeBrowser();
});

// Triage as a responder does it: the list grouped by kind with counts, the spray on top,
// two findings confirmed at once with one note, and a kind suppressed, shown on request
// and restored.
test('Findings triage: grouped by kind, highest score first, bulk confirm, suppress and restore a kind; light and dark', { timeout: 600_000 }, async () => {
  const dir = workDir('e2e-triage');
  const truth = await generateDataset({ outDir: join(dir, 'evidence'), rows: 6000, seed: 'triage-e2e', shapes: ['mixed'] });
  const session = await freshCase(dir);
  await importInto(session, truth.files.map((f) => f.path));
  await recomputeFindings(session);
  const total = Number(await session.db.scalar('SELECT count(*) FROM findings'));
  const newCountry = Number(await session.db.scalar(`SELECT count(*) FROM findings WHERE kind = 'new_country'`));
  session.close();
  assert.ok(newCountry > 0);
  for (const scheme of ['light', 'dark'] as const) {
    const app = await startApp({ colorScheme: scheme });
    try {
      const page = app.page;
      await app.engine.openCase(join(dir, 'case'));
      await page.getByRole('tab', { name: 'Findings' }).click();
      const items = page.locator('.fd-item');
      await items.first().waitFor({ timeout: 60_000 });
      // Grouped by kind, each group with its count; the first finding is the spray (highest score).
      const heads = await page.locator('.fd-group-head').allTextContents();
      assert.ok(heads.some((h) => /New country\s*\d+/.test(h)), heads.join(' | '));
      assert.equal(await items.first().getAttribute('data-kind'), 'password_spray');
      assert.equal(await items.count(), total);
      if (scheme === 'light') {
        // Two findings confirmed at once with one note.
        const picks = page.locator('.fd-pick');
        await picks.nth(0).check();
        await picks.nth(1).check();
        await page.getByLabel('Note for the selected findings').fill('incident 7');
        await page.getByRole('button', { name: 'Confirm all' }).click();
        await page.waitForFunction(() => document.querySelectorAll('.fd-item .fd-review-confirmed').length === 2);
        // Suppress every new-country finding from one of them; they leave the list until shown.
        await page.locator('.fd-item[data-kind="new_country"]').first().click();
        await page.getByRole('button', { name: /^Suppress all New country/ }).click();
        await page.waitForFunction((n) => document.querySelectorAll('.fd-item').length === n, total - newCountry);
        assert.equal(await page.locator('.fd-item[data-kind="new_country"]').count(), 0);
        await page.getByText(`Show suppressed (${newCountry})`).click();
        await page.waitForFunction((n) => document.querySelectorAll('.fd-item').length === n, total);
        await page.getByRole('button', { name: 'Suppressions (1)' }).click();
        await app.screenshot(`findings-triage-suppressed-${scheme}`);
        await page.getByRole('region', { name: 'Suppressions' }).getByRole('button', { name: 'Remove' }).click();
        await page.getByRole('button', { name: 'Suppressions (0)' }).waitFor();
        await page.getByText('Show suppressed (0)').waitFor();
      }
      await page.locator('.fd-item').first().click();
      await app.screenshot(`findings-triage-${scheme}`);
    } finally {
      await app.close();
    }
  }
});
