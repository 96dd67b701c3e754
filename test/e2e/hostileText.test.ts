import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, closeBrowser, foreignRequests } from '../support/e2e';

after(closeBrowser);

// A display name whose right-to-left override makes "gnp.exe" read as "exe.png", a UPN
// with a zero-width space, an app name wrapped in bidi isolates with a BOM at the end.
const NAME = 'admin\u202Egnp.exe';
const UPN = 'bob\u200B@contoso.com';
const APP = '\u2067evil\u2069 app\uFEFF';

test('bidi controls and zero-width characters show as marked placeholders in the grid and the detail pane; the data keeps them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-e2e-hostile-'));
  const file = 'InteractiveSignIns_hostile.csv';
  writeFileSync(
    join(dir, file),
    `Date (UTC),Request ID,User,Username,Application,Client app,Status,Sign-in error code\r\n` + `2026-10-01T10:00:00Z,req-hostile-1,${NAME},${UPN},${APP},Browser,Success,0\r\n`,
  );
  const app = await startApp({ colorScheme: 'light' });
  try {
    const { page } = app;
    await page.getByRole('button', { name: 'Open files…' }).click();
    const picker = page.getByRole('dialog', { name: 'Open files' });
    await picker.getByLabel('Folder or file path').fill(dir);
    await picker.getByRole('button', { name: 'Go' }).click();
    await picker.getByLabel(new RegExp(file.replace('.', '\\.'))).check();
    await picker.getByRole('button', { name: /Open 1 file/ }).click();
    const cell = page.locator('.ag-row[row-index="0"] .ag-cell[col-id="user_display_name"]');
    await cell.locator('.hidden-char').waitFor({ timeout: 60_000 });

    // The grid: the control is a placeholder, and nothing after it is reordered.
    assert.equal(await cell.textContent(), 'admin⟨RLO⟩gnp.exe');
    const order = await cell.evaluate((el) => {
      const mark = el.querySelector('.hidden-char')!;
      const after = mark.nextSibling!;
      const range = document.createRange();
      range.setStart(after, 0);
      range.setEnd(after, 3);
      return { mark: mark.getBoundingClientRect().right, gnp: range.getBoundingClientRect().left, gnpText: range.toString(), text: el.textContent ?? '' };
    });
    assert.equal(order.gnpText, 'gnp');
    assert.ok(order.gnp >= order.mark - 0.5, `"gnp" is drawn after the placeholder (${order.gnp} vs ${order.mark})`);
    assert.ok(!/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/.test(order.text), 'no control character reaches the page');
    // The placeholder is styled apart from the text around it.
    const style = await cell.locator('.hidden-char').evaluate((el) => {
      const s = getComputedStyle(el);
      return { border: s.borderTopStyle, color: s.color, parent: getComputedStyle(el.parentElement!).color };
    });
    assert.equal(style.border, 'dashed');
    assert.notEqual(style.color, style.parent);

    // The detail pane shows the same.
    await cell.click();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.detail .fields');
    const field = page.locator('.detail dd[data-field="user_display_name"] .val');
    assert.equal(await field.textContent(), 'admin⟨RLO⟩gnp.exe');
    assert.equal(await page.locator('.detail dd[data-field="user_principal_name"] .val').textContent(), 'bob⟨ZWSP⟩@contoso.com');
    assert.equal(await page.locator('.detail dd[data-field="app_display_name"] .val').textContent(), '⟨RLI⟩evil⟨PDI⟩ app⟨BOM⟩');
    await app.screenshot('hostile-text-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await app.screenshot('hostile-text-dark');

    // The data is stored exactly as in the evidence.
    const stored = await app.engine.requireCase().db.all(`SELECT user_display_name, user_principal_name, app_display_name FROM signins`);
    assert.deepEqual(stored, [{ user_display_name: NAME, user_principal_name: UPN, app_display_name: APP }]);
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});
