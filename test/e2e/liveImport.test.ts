import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

/** The header's "N sign-ins · M source(s)" once it shows `rows` of `sources` files. */
async function waitForCase(page: Page, rows: number, sources: number): Promise<void> {
  const want = `${rows.toLocaleString('en-US')} sign-ins · ${sources} source${sources === 1 ? '' : 's'}`;
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

/** Split a CSV into two files of whole records (Python's csv module decides what a record is), each with the header. */
function splitCsv(file: string, outA: string, outB: string): void {
  const py = [
    'import csv,sys',
    'rows=list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))',
    'h,body=rows[0],rows[1:]',
    'for out,part in ((sys.argv[2],body[:len(body)//2]),(sys.argv[3],body[len(body)//2:])):',
    '  w=csv.writer(open(out,"w",newline="",encoding="utf-8")); w.writerow(h); w.writerows(part)',
  ].join('\n');
  const r = spawnSync('python3', ['-c', py, file, outA, outB], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('a page opened while `serve FILE…` imports shows the job (rows, rate, bytes, time left, cancel), then the filled grid without a reload; a second page sees the same', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'signet-live-'));
  roots.push(root);
  const generated = join(root, 'generated');
  const evidence = join(root, 'evidence');
  mkdirSync(generated);
  mkdirSync(evidence);
  await generateDataset({ outDir: generated, rows: 20_000, shapes: ['la-csv'] });
  const whole = join(generated, readdirSync(generated).find((n) => n.endsWith('.csv'))!);
  const files = [join(evidence, 'part-1.csv'), join(evidence, 'part-2.csv')];
  splitCsv(whole, files[0]!, files[1]!);
  const first1 = csvRecords(files[0]!);
  const expected = first1 + csvRecords(files[1]!);
  assert.equal(expected, csvRecords(whole));

  // The engine holds the second file's read until the gate exists: the pages see the import
  // at a known point (one file read, one to go) however quick the machine is.
  const gate = join(root, 'gate');
  const serve = await startServe(files, 90_000, { SIGNET_TEST: '1', SIGNET_TEST_IMPORT_GATE: gate });
  servers.push(serve);
  const context = await (await sharedBrowser()).newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  try {
    const first = await context.newPage();
    first.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    await first.goto(serve.url);
    await first.getByRole('group', { name: 'Import progress' }).waitFor({ timeout: 60_000 });
    // Another window opened during the import sees the same job.
    const second = await context.newPage();
    await second.emulateMedia({ colorScheme: 'dark' });
    await second.goto(serve.origin + '/');
    await second.getByRole('group', { name: 'Import progress' }).waitFor({ timeout: 60_000 });
    // Rows, rate, bytes and time left of the first file read.
    const rowsRead = first1.toLocaleString('en-US');
    const factsLine = new RegExp(`^${rowsRead} rows · [\\d,]+ rows/s · [\\d.]+ MiB of [\\d.]+ MiB · ([\\d.]+ [KMG]iB/s · )?(about .+ left|time left not known yet)`);
    for (const page of [first, second]) {
      await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('[data-testid=job-facts]')?.textContent ?? ''), factsLine.source, { timeout: 120_000 });
      assert.ok(await page.getByRole('group', { name: 'Import progress' }).getByRole('button', { name: 'Cancel' }).isEnabled());
    }
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await first.screenshot({ path: join(SCREENSHOT_DIR, 'live-import-progress-light.png') });
    await second.screenshot({ path: join(SCREENSHOT_DIR, 'live-import-progress-dark.png') });
    writeFileSync(gate, '');

    // The end reaches both pages: header counts, the grid with its columns, no reload.
    for (const page of [first, second]) {
      await waitForCase(page, expected, 2);
      await page.getByRole('group', { name: 'Import progress' }).waitFor({ state: 'detached', timeout: 30_000 });
      await gridFilled(page, expected);
    }
    await first.screenshot({ path: join(SCREENSHOT_DIR, 'live-import-done-light.png') });
  } finally {
    await context.close();
  }
});
