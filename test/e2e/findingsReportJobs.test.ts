import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, closeBrowser, startApp, type E2EApp } from '../support/e2e';
import { workDir } from '../support/fixtures/importHarness';
import { generateDataset } from '../../electron/engine/demo/generate';
import { findingsStale, inFindingsQueue } from '../../electron/engine/findings/compute';
import { FINDINGS_JOB } from '../../electron/engine/jobs/findingsJob';
import { REPORT_ACTION } from '../../electron/engine/report/renderReport';
import { pythonCsvRecords, writeBigPortalCsv } from '../support/fixtures/bigEvidence';

// Findings, the report and one big file's import as jobs seen through the bridge: progress
// and Cancel in the view and in a second page opened while the job runs.

const roots: string[] = [];
const apps: E2EApp[] = [];
after(async () => {
  for (const a of apps) await a.close();
  await closeBrowser();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** Another window on the same session (the printed link opens Signet once; its cookie opens more pages). */
async function secondPage(app: E2EApp, scheme: 'light' | 'dark'): Promise<Page> {
  const page = await app.page.context().newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(new URL(app.bridge.url).origin + '/');
  return page;
}

async function storedFindings(app: E2EApp): Promise<unknown> {
  const s = app.engine.requireCase();
  return {
    findings: await s.db.all(`SELECT id, kind, title, row_count, score FROM findings ORDER BY id`),
    runs: Number(await s.db.scalar('SELECT count(*) FROM finding_runs')),
  };
}

test('after an import the findings compute in the background (no Compute click) with progress in a second page; Recompute shows progress and Cancel in a page opened while it runs, and Cancel keeps the stored findings', { timeout: 900_000 }, async () => {
  const root = workDir('e2e-findings-job');
  roots.push(root);
  const truth = await generateDataset({ outDir: join(root, 'evidence'), rows: 12_000, seed: 'jobs-e2e', shapes: ['mixed'] });
  const app = await startApp({ colorScheme: 'light' });
  apps.push(app);
  const first = app.page;
  // As the command line would: the import starts in the engine, not from this page.
  const importId = app.engine.startImport(truth.files.map((f) => f.path));
  await first.getByRole('group', { name: 'Import progress' }).waitFor({ timeout: 120_000 });
  // A second page, opened while the import runs, sees the findings job that follows it.
  const second = await secondPage(app, 'dark');
  await second.getByRole('group', { name: 'Import progress' }).waitFor({ timeout: 120_000 });
  // The findings job follows the import by itself. On a quick machine it may end before a
  // page polls, so its progress card is checked below, on a job held open; here the pages
  // stay on the grid until it has settled, so no view can have started it.
  await waitUntil(() => app.engine.jobs.status(importId)?.state === 'done' && (app.engine.jobs.settledCounts()[FINDINGS_JOB] ?? 0) >= 1);
  assert.equal(app.engine.jobs.settledCounts()[FINDINGS_JOB], 1, 'one findings job followed the import');

  // Without any click on Compute or Recompute, both pages list the findings.
  await second.getByRole('tab', { name: 'Findings' }).click();
  await first.getByRole('tab', { name: 'Findings' }).click();
  for (const page of [first, second]) {
    await page.locator('.fd-item').first().waitFor({ timeout: 300_000 });
    await page.getByRole('region', { name: 'Findings computation' }).waitFor({ state: 'detached', timeout: 60_000 });
  }
  assert.equal(await findingsStale(app.engine.requireCase()), false);
  assert.equal(app.engine.jobs.settledCounts()[FINDINGS_JOB], 1, 'opening the Findings tab started no computation');
  const total = Number(await app.engine.requireCase().db.scalar('SELECT count(*) FROM findings'));
  await first.waitForFunction((n) => document.querySelector('[data-testid=findings-count]')?.textContent?.startsWith(`${n} findings`), total, { timeout: 30_000 });
  mkdirShots();
  await first.screenshot({ path: join(SCREENSHOT_DIR, 'findings-job-done-light.png') });

  // Recompute in the first page while another computation holds the case (from the command
  // line, say), so the job is surely still running when a third page opens; Cancel there.
  await second.close();
  const session = app.engine.requireCase();
  // Queued ahead of the job, and released only after the cancel: the job surely waits.
  const hold = holdFindings(session);
  await first.getByRole('button', { name: 'Recompute' }).click();
  const third = await secondPage(app, 'dark');
  await third.getByRole('tab', { name: 'Findings' }).click();
  const cancel = third.getByRole('region', { name: 'Findings computation' }).getByRole('button', { name: 'Cancel' });
  await cancel.waitFor({ timeout: 60_000 });
  await third.waitForFunction(() => /\(step \d+ of \d+\)|Waiting for the computation/.test(document.querySelector('.fd-job .job-message')?.textContent ?? ''), null, { timeout: 60_000 });
  await third.screenshot({ path: join(SCREENSHOT_DIR, 'findings-job-recompute-dark.png') });
  // The running job is in the status corner of every page, with Cancel.
  for (const [page, shot] of [
    [first, 'findings-job-corner-light'],
    [third, 'findings-job-corner-dark'],
  ] as const) {
    const corner = page.getByRole('status', { name: 'Running jobs' }).getByRole('group', { name: 'Findings progress' });
    await corner.waitFor({ timeout: 60_000 });
    assert.ok(await corner.getByRole('button', { name: 'Cancel' }).isEnabled());
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${shot}.png`) });
  }
  await cancel.click();
  await first.getByText('Computation cancelled: the findings stored before it are kept').waitFor({ timeout: 60_000 });
  await hold.release();
  const before = await storedFindings(app);
  await app.engine.jobs.idle();
  assert.deepEqual(await storedFindings(app), before, 'the cancelled Recompute wrote nothing');
  assert.equal(await first.locator('.fd-item').count(), total);
  await third.close();
});

test('the report runs as a job: section progress and Cancel in the Case tab and in a second page; a cancelled report writes no file', { timeout: 900_000 }, async () => {
  const root = workDir('e2e-report-job');
  roots.push(root);
  const truth = await generateDataset({ outDir: join(root, 'evidence'), rows: 12_000, seed: 'report-e2e', shapes: ['mixed'] });
  const app = await startApp({ colorScheme: 'dark' });
  apps.push(app);
  await app.engine.jobs.wait(app.engine.startImport(truth.files.map((f) => f.path)));
  await app.engine.jobs.idle();
  const session = app.engine.requireCase();
  const page = app.page;
  await page.reload();
  await page.getByRole('tab', { name: 'Case' }).click();
  // Another computation holds the findings, so the report waits in its first step until cancelled.
  // Queued ahead of the job, and released only after the cancel: the job surely waits.
  const hold = holdFindings(session);
  await page.getByRole('button', { name: 'Generate report' }).click();
  const card = page.getByRole('group', { name: 'Report generation progress' });
  await card.waitFor({ timeout: 60_000 });
  const second = await secondPage(app, 'light');
  const corner = second.getByRole('status', { name: 'Running jobs' }).getByRole('group', { name: 'Report progress' });
  await corner.waitFor({ timeout: 60_000 });
  assert.ok(await corner.getByRole('button', { name: 'Cancel' }).isEnabled());
  mkdirShots();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'report-job-dark.png') });
  await second.screenshot({ path: join(SCREENSHOT_DIR, 'report-job-second-page-light.png') });
  await corner.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText('Report cancelled: no file was written').waitFor({ timeout: 120_000 });
  await hold.release();
  const reports = join(session.dir, 'reports');
  assert.deepEqual(existsSync(reports) ? readdirSync(reports) : [], []);
  assert.equal(Number(await session.db.scalar('SELECT count(*) FROM audit_log WHERE action = ?', [REPORT_ACTION])), 0);
  await second.close();
});

test('one big CSV imported into an open case: bytes and rows read show in the page before the end, and Cancel leaves the case as it was', { timeout: 900_000 }, async () => {
  const root = workDir('e2e-big-import');
  roots.push(root);
  const small = join(root, 'InteractiveSignIns_small.csv');
  await writeBigPortalCsv(small, 50);
  const big = join(root, 'InteractiveSignIns_big.csv');
  await writeBigPortalCsv(big, 130_000);
  const tail = join(root, 'InteractiveSignIns_tail.csv');
  await writeBigPortalCsv(tail, 20_000);
  // The engine holds the import before the file after the big one, so the pages see it at a
  // known point (the big file read, the next not yet) however quick the machine is.
  let reached!: () => void;
  const atTail = new Promise<void>((ok) => (reached = ok));
  let release!: () => void;
  const held = new Promise<void>((ok) => (release = ok));
  const app = await startApp({
    colorScheme: 'light',
    beforeSourceRead: async (_path, index) => {
      if (index === 0) return;
      reached();
      await held;
    },
  });
  apps.push(app);
  await app.engine.jobs.wait(app.engine.startImport([small]));
  await app.engine.jobs.idle();
  const session = app.engine.requireCase();
  const rowsBefore = pythonCsvRecords(small);
  const bigRecords = pythonCsvRecords(big);
  const snapshot = async () => ({
    rows: Number(await session.db.scalar('SELECT count(*) FROM signins')),
    sources: await session.db.all('SELECT id, name, sha256 FROM sources ORDER BY id'),
    manifest: JSON.stringify(session.manifest.sources),
    imports: Number(await session.db.scalar(`SELECT count(*) FROM audit_log WHERE action = 'import'`)),
  });
  const before = await snapshot();
  assert.equal(before.rows, rowsBefore);
  const page = app.page;
  await page.reload();
  await page.waitForFunction((w) => document.querySelector('.case-name')?.textContent?.includes(w), `${rowsBefore} sign-ins · 1 source`, { timeout: 60_000 });
  const second = await secondPage(app, 'dark');

  const id = app.engine.startImport([big, tail], session.dir);
  for (const p of [page, second]) await p.getByRole('group', { name: 'Import progress' }).waitFor({ timeout: 60_000 });
  await atTail;
  // Part of the import read, shown before its end: the big file's rows (as Python counts
  // them) and "N MiB of M MiB" with 0 < N < M.
  const partly = (p: Page) =>
    p.waitForFunction(
      (rows) => {
        const facts = document.querySelector('[data-testid=job-facts]')?.textContent ?? '';
        const m = /([\d.]+) MiB of ([\d.]+) MiB/.exec(facts);
        return facts.startsWith(`${rows} rows · `) && m !== null && Number(m[1]) > 0 && Number(m[1]) < Number(m[2]);
      },
      bigRecords.toLocaleString('en-US'),
      { timeout: 120_000, polling: 100 },
    );
  await partly(page);
  await partly(second);
  assert.equal(app.engine.jobs.status(id)?.state, 'running');
  mkdirShots();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'big-import-progress-light.png') });
  await second.screenshot({ path: join(SCREENSHOT_DIR, 'big-import-progress-dark.png') });
  // The engine has the Cancel (its answer came back) before the held read goes on.
  const cancelled = second.waitForResponse((r) => r.url().endsWith('/api/call') && (r.request().postData() ?? '').includes('"method":"cancelJob"'), { timeout: 60_000 });
  await second.getByRole('group', { name: 'Import progress' }).getByRole('button', { name: 'Cancel' }).click();
  await cancelled;
  release();
  assert.equal((await app.engine.jobs.wait(id))?.state, 'cancelled');
  for (const p of [page, second]) await p.getByRole('group', { name: 'Import progress' }).waitFor({ state: 'detached', timeout: 60_000 });
  assert.deepEqual(await snapshot(), before);
  await page.waitForFunction((w) => document.querySelector('.case-name')?.textContent?.includes(w), `${rowsBefore} sign-ins · 1 source`, { timeout: 60_000 });
  await second.close();
});

function mkdirShots(): void {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
}

/** Polls an engine-side condition (the pages have nothing to show for it yet). */
async function waitUntil(condition: () => boolean, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Holds the case's findings queue until released, so a job queued behind it is surely still running. */
function holdFindings(session: Parameters<typeof inFindingsQueue>[0]): { release: () => Promise<void> } {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const held = inFindingsQueue(session, () => gate);
  return {
    release: async () => {
      open();
      await held;
    },
  };
}
