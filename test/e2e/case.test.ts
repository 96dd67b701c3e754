import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startApp, closeBrowser, foreignRequests, type E2EApp } from '../support/e2e';
import { makeFixture, type Fixture } from '../unit/custody-fixture';

const fixtures: Fixture[] = [];
after(async () => {
  await closeBrowser();
  for (const f of fixtures) rmSync(f.root, { recursive: true, force: true });
});

async function openCaseTab(scheme: 'light' | 'dark'): Promise<{ app: E2EApp; f: Fixture }> {
  const f = await makeFixture({ rows: 120 });
  fixtures.push(f);
  f.session.close();
  await f.session.db.closed;
  const app = await startApp({ colorScheme: scheme });
  await app.engine.openCase(f.caseDir);
  // The start screen notices a case opened outside the UI.
  await app.page.getByRole('tab', { name: 'Case' }).click({ timeout: 15_000 });
  await app.page.getByRole('table', { name: 'Sources' }).waitFor();
  return { app, f };
}

test('Case tab: sources with hashes, Verify → all OK, audit log, light and dark', async () => {
  for (const scheme of ['light', 'dark'] as const) {
    const { app, f } = await openCaseTab(scheme);
    try {
      const page = app.page;
      const sources = page.getByRole('table', { name: 'Sources' });
      for (const s of f.sources) await sources.getByText(s.sha256).waitFor();
      await page.getByRole('button', { name: 'Verify case' }).click();
      const result = page.getByRole('region', { name: 'Verification result' });
      await result.getByText('Everything matches').waitFor();
      assert.equal(await sources.getByText('OK', { exact: true }).count(), f.sources.length);
      const audit = page.getByRole('region', { name: 'Audit log' });
      await audit.getByText('verify', { exact: true }).waitFor();
      await audit.getByText('case-created', { exact: true }).waitFor();
      await app.screenshot(`case-${scheme}`);
      assert.deepEqual(foreignRequests(app.requests), []);
    } finally {
      await app.close();
    }
  }
});

test('Case tab: a changed source fails verify, names it, and Generate report shows the path', async () => {
  const { app, f } = await openCaseTab('light');
  try {
    const page = app.page;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(f.sources[0]!.path, 'tampered');
    await page.getByRole('button', { name: 'Verify case' }).click();
    const result = page.getByRole('region', { name: 'Verification result' });
    await result.getByText(/Verification failed: 1 problem/).waitFor();
    await result.getByText(/source InteractiveSignIns\.csv has changed since import/).waitFor();
    await page.getByRole('button', { name: 'Generate report' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Report written' });
    await notice.waitFor();
    assert.match((await notice.locator('code').textContent()) ?? '', /reports\/report-.*\.html$/);
    await app.screenshot('case-verify-failed');
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

test('Case tab: moved evidence shows as missing, Relink by hash points the case at it, Verify passes', async () => {
  const { app, f } = await openCaseTab('dark');
  try {
    const page = app.page;
    const { renameSync } = await import('node:fs');
    const { join } = await import('node:path');
    const moved = join(f.root, 'moved-evidence');
    renameSync(f.evidenceDir, moved);
    await page.getByRole('button', { name: 'Verify case' }).click();
    const result = page.getByRole('region', { name: 'Verification result' });
    await result.getByText(/Verification failed: 2 problem/).waitFor();
    await result.getByRole('button', { name: 'Relink by hash…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Relink sources' });
    await dialog.getByLabel('New evidence folder').fill(moved);
    await app.screenshot('case-relink-dialog');
    await dialog.getByRole('button', { name: 'Relink' }).click();
    await page.getByRole('status').filter({ hasText: 'Relinked 2 source(s) by SHA-256' }).waitFor();
    await result.getByText('Everything matches').waitFor();
    const sources = page.getByRole('table', { name: 'Sources' });
    await sources.getByText(join(moved, 'sub', 'signins.json')).waitFor();
    await page.getByRole('region', { name: 'Audit log' }).getByText('sources-relinked', { exact: true }).waitFor();
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

test('Case tab: a sign-in edited in case.duckdb behind Signet fails Verify naming the table; the chain head is shown', async () => {
  const f = await makeFixture({ rows: 120 });
  fixtures.push(f);
  f.session.close();
  await f.session.db.closed;
  const { join } = await import('node:path');
  const { DuckDBInstance } = await import('../../electron/engine/db/duckdb');
  const inst = await DuckDBInstance.create(join(f.caseDir, 'case.duckdb'));
  const con = await inst.connect();
  await con.run(`UPDATE signins SET ip_address = '198.51.100.66' WHERE row_id = 7`);
  con.closeSync();
  inst.closeSync();
  const app = await startApp({ colorScheme: 'light' });
  try {
    await app.engine.openCase(f.caseDir);
    const page = app.page;
    await page.getByRole('tab', { name: 'Case' }).click({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Verify case' }).click();
    const result = page.getByRole('region', { name: 'Verification result' });
    await result.getByText(/Verification failed: 1 problem/).waitFor();
    await result.getByText(/table signins has changed since audit entry seq \d+ \(tag-added\) recorded it: recorded 120 rows, checksum -?\d+; now 120 rows, checksum -?\d+/).waitFor();
    const head = (await result.getByTestId('chain-head').textContent()) ?? '';
    assert.match(head, /Chain head \(seq \d+\) [0-9a-f]{64}/);
    await app.screenshot('case-verify-table-changed');
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

test('a case opened while the page reads the case is drawn once: a verification started at once keeps its result', async () => {
  const f = await makeFixture({ rows: 120 });
  fixtures.push(f);
  f.session.close();
  await f.session.db.closed;
  const app = await startApp({ colorScheme: 'light' });
  try {
    const page = app.page;
    await page.getByRole('button', { name: /demo/i }).first().waitFor({ timeout: 20_000 });
    // The page's next read of the case is held until the case has been opened behind it: it
    // saw the revision before the open and gets the case after it.
    let held = false;
    await page.route('**/api/call', async (route) => {
      const body = route.request().postDataJSON() as { method?: string };
      if (body.method === 'caseInfo' && !held) {
        held = true;
        await app.engine.openCase(f.caseDir);
      }
      await route.continue();
    });
    // Any later look at the case would do; a reload makes it one at once.
    await page.reload();
    await page.getByRole('tab', { name: 'Case' }).click({ timeout: 15_000 });
    await page.getByRole('table', { name: 'Sources' }).waitFor();
    assert.ok(held, 'the page read the case while it was being opened');
    await page.unroute('**/api/call');
    await page.evaluate(() => document.querySelector('main.content')?.setAttribute('data-drawn-once', 'yes'));
    await page.getByRole('button', { name: 'Verify case' }).click();
    const result = page.getByRole('region', { name: 'Verification result' });
    await result.getByText('Everything matches').waitFor();
    // Two polls of the live state later, the view is the same one with the result still on it.
    await page.waitForTimeout(2_500);
    assert.equal(await page.locator('main.content[data-drawn-once=yes]').count(), 1, 'the views were drawn again');
    assert.equal(await result.getByText('Everything matches').count(), 1);
  } finally {
    await app.close();
  }
});
