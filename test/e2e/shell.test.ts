import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startApp, closeBrowser, foreignRequests, type E2EApp } from '../support/e2e';
import { generateDataset } from '../../electron/engine/demo/generate';

after(closeBrowser);

async function startScreenVisible(app: E2EApp) {
  const { page } = app;
  await page.getByRole('button', { name: 'Open files…' }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Open demo case' }).waitFor();
  await page.getByRole('region', { name: 'Recent cases' }).waitFor();
}

test('start screen: open files, demo case and recent cases, in light and dark', async () => {
  for (const scheme of ['light', 'dark'] as const) {
    const app = await startApp({ colorScheme: scheme });
    try {
      await startScreenVisible(app);
      assert.match(await app.page.getByRole('region', { name: 'Recent cases' }).innerText(), /No cases yet/);
      const bg = await app.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, scheme === 'dark' ? 'rgb(22, 25, 29)' : 'rgb(255, 255, 255)');
      await app.screenshot(`shell-start-${scheme}`);
      assert.deepEqual(foreignRequests(app.requests), []);
    } finally {
      await app.close();
    }
  }
});

test('browser-mode file picker lists a folder, names a non-export file in a clear error, and opens a real export', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-e2e-picker-'));
  await generateDataset({ outDir: dir, rows: 300, shapes: ['portal-csv'], incidents: false });
  writeFileSync(join(dir, 'meeting-notes.txt'), 'These are not sign-in logs.\nJust notes.\n');
  const csv = readdirSync(dir).find((n) => n.endsWith('.csv'));
  assert.ok(csv, 'the generator wrote a portal CSV');
  const app = await startApp();
  try {
    const { page } = app;
    await startScreenVisible(app);
    await page.getByRole('button', { name: 'Open files…' }).click();
    const picker = page.getByRole('dialog', { name: 'Open files' });
    await picker.getByLabel('Folder or file path').fill(dir);
    await picker.getByRole('button', { name: 'Go' }).click();
    await picker.getByText('meeting-notes.txt').waitFor();
    await picker.getByText(csv).waitFor();
    await app.screenshot('shell-picker');

    // Not a sign-in export: the error names the file.
    await picker.getByLabel(/meeting-notes\.txt/).check();
    await picker.getByRole('button', { name: /Open 1 file/ }).click();
    const problem = page.locator('[role=alert], [aria-label="Import summary"]').filter({ hasText: 'meeting-notes.txt' });
    await problem.first().waitFor({ timeout: 30_000 });
    assert.match(await problem.first().innerText(), /meeting-notes\.txt[\s\S]*(not|no) [\s\S]*sign-in/i);
    await app.screenshot('shell-not-an-export');

    // A real portal export opens into a case with its rows (from the start screen again).
    const close = page.getByRole('button', { name: 'Close case' });
    if (await close.isVisible()) await close.click();
    await page.getByRole('button', { name: 'Open files…' }).click();
    const p2 = page.getByRole('dialog', { name: 'Open files' });
    await p2.getByLabel('Folder or file path').fill(dir);
    await p2.getByRole('button', { name: 'Go' }).click();
    await p2.getByLabel(new RegExp(csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).check();
    await p2.getByRole('button', { name: /Open 1 file/ }).click();
    await page.locator('.case-name').filter({ hasText: /[1-9][\d,]* sign-ins/ }).waitFor({ timeout: 60_000 });
    await page.locator('.ag-row[row-index="0"]').waitFor({ timeout: 30_000 });
    await app.screenshot('shell-opened-export');
    const info = await app.engine.current?.db.scalar('SELECT count(*) FROM signins');
    assert.ok(Number(info) > 0, 'rows were imported');

    // Closed, the case is listed under Recent and opens again from there.
    const caseDir = app.engine.current!.dir;
    await page.getByRole('button', { name: 'Close case' }).click();
    const recent = page.getByRole('region', { name: 'Recent cases' });
    await recent.getByRole('button', { name: new RegExp(csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first().waitFor();
    await app.screenshot('shell-start-recent');
    await recent.getByRole('button', { name: new RegExp(csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first().click();
    await page.locator('.case-name').filter({ hasText: /[1-9][\d,]* sign-ins/ }).waitFor({ timeout: 30_000 });
    assert.equal(app.engine.current?.dir, caseDir);
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

test('settings persist in the profile and apply the theme; About lists versions and data licences', async () => {
  const app = await startApp({ colorScheme: 'light' });
  try {
    const { page } = app;
    await startScreenVisible(app);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByText(/Stored in .*settings\.json/).waitFor();
    await dialog.getByLabel('Time zone').selectOption('Europe/Amsterdam');
    await dialog.getByText('Dark', { exact: true }).click();
    await dialog.getByLabel('DuckDB memory limit').fill('1024');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // Save saves and closes the dialog.
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await app.screenshot('shell-settings-dark');
    const saved = JSON.parse(readFileSync(join(app.engine.options.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(saved, { timeZone: 'Europe/Amsterdam', theme: 'dark', defaultCaseFolder: null, duckdbMemoryLimitMb: 1024 });

    // Reloading keeps the theme: it comes from the profile, not the page.
    await page.reload();
    await startScreenVisible(app);
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');

    await page.getByRole('button', { name: 'About Signet' }).click();
    const about = page.getByRole('dialog', { name: 'About Signet' });
    await about.getByText('DuckDB', { exact: true }).waitFor();
    const text = await about.innerText();
    assert.match(text, /Node\.js\s+\d+\.\d+/);
    assert.match(text, /Browser \(Chromium\)\s+\d+\./);
    assert.match(text, /Public domain/);
    assert.match(text, /CC BY 4\.0/);
    assert.match(text, /AADSTS/);
    await app.screenshot('shell-about-dark');
    await page.keyboard.press('Escape');
    await about.waitFor({ state: 'detached' });
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

/**
 * The desktop renderer paths (menu commands, drops with real paths) in Chromium: a
 * stand-in for the preload's window.signet that forwards calls to the bridge, as IPC
 * would to the same handler table.
 */
const FAKE_DESKTOP = `
  window.__paths = {};
  window.__menu = [];
  window.signet = {
    call: async (method, args) => {
      const token = sessionStorage.getItem('signet.token') || '';
      const r = await fetch('/api/call', { method: 'POST', headers: { 'content-type': 'application/json', 'x-signet-token': token }, body: JSON.stringify({ method, args }) });
      return r.json();
    },
    pickFiles: async () => [],
    pickFolder: async () => null,
    pathForFile: (file) => window.__paths[file.name] || '',
    onMenu: (listener) => {
      window.__menu.push(listener);
      return () => { window.__menu = window.__menu.filter((l) => l !== listener); };
    },
  };
`;

test('desktop renderer: a dropped folder imports its exports; menu commands open About and Settings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-e2e-drop-'));
  await generateDataset({ outDir: dir, rows: 200, shapes: ['graph-json'], incidents: false });
  const app = await startApp();
  try {
    const { page } = app;
    await startScreenVisible(app);
    await page.addInitScript(FAKE_DESKTOP);
    await page.reload();
    await startScreenVisible(app);
    assert.equal(await page.evaluate(() => typeof (window as unknown as { signet?: unknown }).signet), 'object');
    await page.getByText('Drop export files or folders here').waitFor();

    await page.evaluate((folder) => {
      (window as unknown as { __paths: Record<string, string> }).__paths['exports'] = folder;
      const dt = new DataTransfer();
      dt.items.add(new File([''], 'exports'));
      document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }));
    }, dir);
    await page.locator('.drop-overlay').waitFor();
    await app.screenshot('shell-drop-overlay');
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([''], 'exports'));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    // The folder's exports start a new case: its name is asked, the folder's by default.
    const naming = page.getByRole('dialog', { name: 'Name the new case' });
    await naming.waitFor({ timeout: 30_000 });
    assert.equal(await naming.getByLabel('Case name').inputValue(), basename(dir));
    await naming.getByRole('button', { name: 'Import' }).click();
    await page.locator('.case-name').filter({ hasText: /[1-9][\d,]* sign-ins/ }).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.case-name .case-title').textContent(), basename(dir));
    assert.equal(await page.locator('.drop-overlay').count(), 0);

    await page.evaluate(() => (window as unknown as { __menu: ((c: string) => void)[] }).__menu.forEach((l) => l('about')));
    const about = page.getByRole('dialog', { name: 'About Signet' });
    await about.getByText('DuckDB', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.evaluate(() => (window as unknown as { __menu: ((c: string) => void)[] }).__menu.forEach((l) => l('settings')));
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('button', { name: 'Open Findings…' }).waitFor();
    await settings.getByRole('button', { name: 'Browse…' }).waitFor();
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

test('browser mode: a dropped file is not opened by the browser; the banner says what to do', async () => {
  const app = await startApp();
  try {
    const { page } = app;
    await startScreenVisible(app);
    const notCancelled = await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'InteractiveSignIns.csv'));
      return document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    assert.equal(notCancelled, false, 'the drop was cancelled, so the browser does not navigate to the file');
    await page.getByRole('alert').filter({ hasText: 'Use Open files…' }).waitFor();
  } finally {
    await app.close();
  }
});
