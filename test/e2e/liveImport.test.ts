import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, closeBrowser, sharedBrowser } from '../support/e2e';
import { startServe, type ServeChild } from '../support/serveChild';
import { generateDataset } from '../../electron/engine/demo/generate';

const roots: string[] = [];
const servers: ServeChild[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  await closeBrowser();
  for (const r of [...roots, ...servers.map((s) => s.dataDir)]) rmSync(r, { recursive: true, force: true });
});

/** Records in a CSV as Python's csv module reads them (not the importer's own count). */
function csvRecords(file: string): number {
  const r = spawnSync('python3', ['-c', 'import csv,sys\nprint(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig"))))', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

/** The header's "N sign-ins · M source(s)" once it shows `rows`. */
async function waitForCase(page: Page, rows: number): Promise<void> {
  const want = `${rows.toLocaleString('en-US')} sign-ins · 1 source`;
  await page.waitForFunction((w) => document.querySelector('.case-name')?.textContent?.includes(w), want, { timeout: 300_000 });
}

async function gridFilled(page: Page, rows: number): Promise<void> {
  const want = `${rows.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} sign-ins`;
  await page.waitForFunction((w) => document.querySelector('[data-testid=row-count]')?.textContent?.includes(w), want, { timeout: 60_000 });
  for (const col of ['time_utc', 'user_principal_name', 'ip_address']) {
    await page.waitForSelector(`.ag-header-cell[col-id="${col}"]`, { timeout: 30_000 });
    const sel = `.ag-row[row-index="0"] .ag-cell[col-id="${col}"]`;
    await page.waitForFunction((q) => Boolean(document.querySelector(q)?.textContent?.trim()), sel, { timeout: 30_000 });
  }
}

test('a page opened while `serve FILE` imports shows the job (rows, rate, bytes, time left, cancel), then the filled grid without a reload; a second page sees the same', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-live-'));
  roots.push(root);
  const evidence = join(root, 'evidence');
  mkdirSync(evidence);
  // Large enough that the import outlasts opening two pages (tens of MB of Log Analytics CSV).
  await generateDataset({ outDir: evidence, rows: 25_000, shapes: ['la-csv'] });
  const file = join(evidence, readdirSync(evidence).find((n) => n.endsWith('.csv'))!);
  const expected = csvRecords(file);
  assert.ok(expected >= 20_000, `generated ${expected} records`);

  const serve = await startServe([file]);
  servers.push(serve);
  const context = await (await sharedBrowser()).newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  try {
    const first = await context.newPage();
    first.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    await first.goto(serve.url);
    const card = first.getByRole('group', { name: 'Import progress' });
    await card.waitFor({ timeout: 60_000 });
    // Another window opened during the import sees the same job.
    const second = await context.newPage();
    await second.emulateMedia({ colorScheme: 'dark' });
    await second.goto(serve.origin + '/');
    await second.getByRole('group', { name: 'Import progress' }).waitFor({ timeout: 60_000 });
    // Rows, rate, bytes and time left come in as the import reads.
    const factsLine = /[\d,]+ rows · [\d,]+ rows\/s · [\d.]+ [KMG]iB of [\d.]+ MiB · ([\d.]+ [KMG]iB\/s · )?(about .+ left|time left not known yet|finishing)/;
    for (const page of [first, second]) {
      await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('[data-testid=job-facts]')?.textContent ?? ''), factsLine.source, { timeout: 120_000 });
      assert.ok(await page.getByRole('group', { name: 'Import progress' }).getByRole('button', { name: 'Cancel' }).isEnabled());
    }
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await first.screenshot({ path: join(SCREENSHOT_DIR, 'live-import-progress-light.png') });
    await second.screenshot({ path: join(SCREENSHOT_DIR, 'live-import-progress-dark.png') });

    // The end reaches both pages: header counts, the grid with its columns, no reload.
    for (const page of [first, second]) {
      await waitForCase(page, expected);
      await page.getByRole('group', { name: 'Import progress' }).waitFor({ state: 'detached', timeout: 30_000 });
      await gridFilled(page, expected);
    }
    await first.screenshot({ path: join(SCREENSHOT_DIR, 'live-import-done-light.png') });
  } finally {
    await context.close();
  }
});
