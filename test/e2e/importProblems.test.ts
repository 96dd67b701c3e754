import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, closeBrowser, sharedBrowser, startApp } from '../support/e2e';
import { startServe, type ServeChild } from '../support/serveChild';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { portalRow, signin } from '../support/fixtures/signinFixtures';

const roots: string[] = [];
const servers: ServeChild[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  await closeBrowser();
  for (const r of [...roots, ...servers.map((s) => s.dataDir)]) rmSync(r, { recursive: true, force: true });
});

const portal = (rows: ReturnType<typeof signin>[]): string => csvText(HEADER_57, rows.map((s) => portalRow(s)));

/** Three files: a clean export, one with three bad rows (two reasons), and a text file that is no export. */
function evidence(): { dir: string; good: string; bad: string; refused: string } {
  const dir = mkdtempSync(join(tmpdir(), 'signet-problems-'));
  roots.push(dir);
  const good = join(dir, 'InteractiveSignIns_good.csv');
  const bad = join(dir, 'InteractiveSignIns_bad.csv');
  const refused = join(dir, 'notes.txt');
  writeFileSync(good, portal([1, 2, 3, 4].map((i) => signin(i))));
  writeFileSync(bad, portal([signin(10), signin(11, { time: 'yesterday' }), signin(12, { time: 'soon' }), signin(13, { time: '' })]));
  writeFileSync(refused, 'meeting notes, not an export\n');
  return { dir, good, bad, refused };
}

async function checkPanel(page: Page, f: ReturnType<typeof evidence>): Promise<void> {
  const panel = page.getByRole('region', { name: 'Import problems', exact: true });
  await panel.waitFor({ timeout: 30_000 });
  const refused = panel.locator('li[data-outcome=refused]');
  await refused.waitFor({ timeout: 30_000 });
  assert.match((await refused.textContent()) ?? '', /notes\.txt/);
  assert.match((await refused.locator('.ip-reason').textContent()) ?? '', /notes\.txt: .+/);
  const bad = panel.locator('li[data-outcome=imported]');
  assert.equal(await bad.count(), 1, 'the clean file is not listed');
  assert.match((await bad.textContent()) ?? '', /InteractiveSignIns_bad\.csv.*read 4 = imported 1 \+ duplicates 0 \+ rejected 3/);
  const rows = await panel.getByRole('table', { name: 'Rejected records in InteractiveSignIns_bad.csv' }).locator('tbody tr').allTextContents();
  assert.deepEqual(rows.map((r) => r.replace(/record \d+$/, '').trim()), ['2unparseable time in Date (UTC)', '1no time in Date (UTC)']);
  void f;
}

test('a refused file and rejected rows of an import given on the command line are listed on the Case tab, with reasons and counts (light and dark)', { timeout: 300_000 }, async () => {
  const f = evidence();
  const serve = await startServe([f.good, f.bad, f.refused]);
  servers.push(serve);
  const context = await (await sharedBrowser()).newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  try {
    const page = await context.newPage();
    await page.goto(serve.url);
    await page.waitForFunction(() => document.querySelector('.case-name')?.textContent?.includes('5 sign-ins · 2 sources'), undefined, { timeout: 120_000 });
    await page.getByRole('tab', { name: 'Case' }).click();
    await checkPanel(page, f);
    // The refusal is in the audit log too, though no window asked for the import.
    await page.getByRole('region', { name: 'Audit log' }).getByText('import-refused', { exact: true }).waitFor();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.getByRole('region', { name: 'Import problems', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'import-problems-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'import-problems-dark.png') });
  } finally {
    await context.close();
  }
});

async function pickFiles(page: Page, dir: string, names: string[]): Promise<void> {
  await page.getByRole('button', { name: 'Open files…' }).click();
  const picker = page.getByRole('dialog', { name: 'Open files' });
  await picker.getByLabel('Folder or file path').fill(dir);
  await picker.getByRole('button', { name: 'Go', exact: true }).click();
  for (const n of names) await picker.getByLabel(new RegExp(n.replace('.', '\\.'))).check();
  await picker.getByRole('button', { name: /^Open \d+ files?$/ }).click();
}

test('several files ask for the case name (default: their folder); the name titles the page, is renamed on the Case tab and audited; an all-refused import keeps no case in Recent', { timeout: 300_000 }, async () => {
  const f = evidence();
  const app = await startApp({ colorScheme: 'light' });
  try {
    const page = app.page;
    // Every file refused: nothing imported, no case kept, nothing new in Recent.
    await pickFiles(page, f.dir, ['notes.txt']);
    const notice = page.getByRole('status', { name: 'Import summary' });
    await notice.getByText('Nothing was imported, so no case was kept.').waitFor({ timeout: 60_000 });
    assert.match((await notice.locator('li[data-outcome=refused]').textContent()) ?? '', /notes\.txt/);
    await page.getByRole('region', { name: 'Recent cases' }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Recent cases' }).locator('.recent-list li').count(), 0);
    assert.deepEqual(await app.engine.recentCases(), []);

    await pickFiles(page, f.dir, ['InteractiveSignIns_good.csv', 'InteractiveSignIns_bad.csv', 'notes.txt']);
    const ask = page.getByRole('dialog', { name: 'Name the new case' });
    assert.equal(await ask.getByLabel('Case name').inputValue(), basename(f.dir));
    await ask.getByLabel('Case name').fill('Contoso BEC');
    await ask.getByRole('button', { name: 'Import' }).click();
    await page.waitForFunction(() => document.querySelector('.case-name .case-title')?.textContent === 'Contoso BEC' && document.querySelector('.case-name .case-counts')?.textContent?.startsWith('5 sign-ins · 2 sources'), undefined, { timeout: 120_000 });
    assert.equal(await page.title(), 'Contoso BEC — Signet');
    // The import's own summary lists the same problems as the Case tab.
    await notice.locator('li[data-outcome=refused]').waitFor();
    assert.equal(await notice.locator('li[data-outcome=imported]').count(), 1);

    await page.getByRole('tab', { name: 'Case' }).click();
    await checkPanel(page, f);
    await page.getByRole('button', { name: 'Rename case' }).click();
    await page.locator('.cv-title').getByLabel('Case name').fill('Contoso BEC (final)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.cv-title h2', { hasText: 'Contoso BEC (final)' }).waitFor();
    await page.waitForFunction(() => document.title === 'Contoso BEC (final) — Signet', undefined, { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('.case-name .case-title')?.textContent === 'Contoso BEC (final)', undefined, { timeout: 15_000 });
    await page.getByRole('region', { name: 'Audit log' }).getByText('case-renamed', { exact: true }).waitFor();
    assert.equal((await app.engine.recentCases())[0]?.name, 'Contoso BEC (final)');
  } finally {
    await app.close();
  }
});
