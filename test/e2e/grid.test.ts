import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { startApp, closeBrowser, foreignRequests, type E2EApp, openCaseInPage } from '../support/e2e';
import { insertSyntheticRows, HOSTILE_HTML, HOSTILE_UA } from '../support/gridFixture';

const N = 2000;
let dir: string;
let app: E2EApp;
let page: Page;
let dialogs = 0;

async function makeCase(rows: number, name: string): Promise<string> {
  const d = mkdtempSync(join(tmpdir(), 'signet-grid-e2e-'));
  const s = await CaseSession.create(d, 'test', name);
  await insertSyntheticRows(s, rows);
  await s.db.run(`INSERT INTO graph_activity (time_utc, sign_in_activity_id, request_method, request_uri, response_status_code)
    SELECT TIMESTAMP '2026-10-01 00:00:00' + to_seconds(i * 37 + 5), printf('uti-%08d', i), 'GET', 'https://graph.microsoft.com/v1.0/me/messages?i=' || i, 200
    FROM range(${rows - 15}, ${rows + 1}) t(i)`);
  s.close();
  return d;
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return app.engine.requireCase().db.all<T & Record<string, unknown>>(text, params as never);
}
async function count(where: string, params: unknown[] = []): Promise<number> {
  return Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM signins WHERE ${where}`, params))[0]!.n);
}
async function expectCount(n: number): Promise<void> {
  const want = `${n.toLocaleString('en-US')} of ${N.toLocaleString('en-US')} sign-ins`;
  await page.waitForFunction((w) => document.querySelector('[data-testid=row-count]')?.textContent?.includes(w), want, { timeout: 15000 });
}
async function firstCell(col: string): Promise<string> {
  const sel = `.ag-row[row-index="0"] .ag-cell[col-id="${col}"]`;
  await page.waitForFunction((q) => Boolean(document.querySelector(q)?.textContent), sel, { timeout: 15000 });
  return (await page.locator(sel).first().textContent()) ?? '';
}
async function openFilter(col: string): Promise<void> {
  await page.locator(`.ag-header-cell[col-id="${col}"]`).hover();
  await page.click(`[data-filter-column="${col}"]`);
  await page.waitForSelector('.filter-pop');
}
/** Each test starts from the unfiltered grid, whatever the one before left behind. */
async function reset(): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  if (!(await page.locator('button[aria-label="Columns: Portal default"]').count())) await usePreset('portal');
  if (await page.locator('.detail').count()) await page.click('.detail .close');
  if (await page.inputValue('input[aria-label="Search all text columns"]')) await page.fill('input[aria-label="Search all text columns"]', '');
  await clearAll();
}

async function usePreset(id: string): Promise<void> {
  await page.click('button[aria-label^="Columns:"]');
  await page.selectOption('select[aria-label="Column set"]', id);
  await page.keyboard.press('Escape');
  await page.waitForSelector('.chooser', { state: 'detached' });
}

async function clearAll(): Promise<void> {
  if (await page.locator('.clear-all').count()) await page.click('.clear-all');
  await expectCount(N);
}

before(async () => {
  dir = await makeCase(N, 'Grid e2e case');
  app = await startApp({ colorScheme: 'light' });
  page = app.page;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.bridge.url.replace(/\/\?.*$/, '').replace(/\/$/, '') });
  await openCaseInPage(app, dir);
});

after(async () => {
  await app?.close();
  await closeBrowser();
});

test('rows are visible with total and filtered counts; times labelled UTC', async () => {
  await expectCount(N);
  assert.equal(await firstCell('request_id'), `req-${String(N).padStart(8, '0')}`);
  assert.match(await page.locator('.ag-header-cell[col-id="time_utc"]').textContent() ?? '', /Date \(UTC\)/);
  assert.equal(await firstCell('time_utc'), '2026-10-01 20:33:20');
  assert.match((await page.textContent('.statusbar')) ?? '', /Times in UTC/);
  await app.screenshot('grid-light');
});

test('sorting is done by the engine and changes the first row; shift adds a key', async () => {
  await page.click('.ag-header-cell[col-id="user_display_name"] .hdr-label');
  await page.waitForFunction(() => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="user_display_name"]')?.textContent === 'Alice Adams');
  // Ties on user broken by row order: the first Alice is row 7.
  assert.equal(await firstCell('request_id'), 'req-00000007');
  await page.click('.ag-header-cell[col-id="app_display_name"] .hdr-label', { modifiers: ['Shift'] });
  const expected = await sql<{ request_id: string }>(`SELECT request_id FROM signins ORDER BY user_display_name, app_display_name, row_id LIMIT 1`);
  await page.waitForFunction((r) => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="request_id"]')?.textContent === r, expected[0]!.request_id);
  assert.match((await page.textContent('.statusbar')) ?? '', /User ↑, Application ↑/);
  await page.click('.ag-header-cell[col-id="time_utc"] .hdr-label');
  await page.waitForFunction(() => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="request_id"]')?.textContent === 'req-00000001');
  await page.click('.ag-header-cell[col-id="time_utc"] .hdr-label');
  await page.waitForFunction((n) => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="request_id"]')?.textContent === n, `req-${String(N).padStart(8, '0')}`);
});

test('detail pane: Enter opens it, every tab renders, error meaning shown, Esc closes it', async () => {
  await reset();
  // Row 1990 is a failure (50126) whose token has Graph activity.
  await page.fill('input[aria-label="Search all text columns"]', 'req-00001990');
  await expectCount(1);
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="user_display_name"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.detail .fields');
  const pane = page.locator('.detail');
  assert.match((await pane.textContent()) ?? '', /Invalid user name or password/);
  const tabs: [string, RegExp][] = [
    ['Basic info', /req-00001990/],
    ['Location', /203\.0\.113\.40/],
    ['Device info', /Mozilla\/5\.0/],
    ['Authentication details', /Password/],
    ['Conditional Access', /Require MFA for admins/],
    ['Graph activity (1)', /me\/messages\?i=1990/],
    ['Raw', /"createdDateTime"/],
    ['Notes & tags', /No notes on this row/],
  ];
  for (const [name, content] of tabs) {
    await page.getByRole('tab', { name, exact: true }).click();
    await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('.detail-body')?.textContent ?? ''), content.source, { timeout: 10000 });
    await app.screenshot(`grid-detail-${name.split(' ')[0]!.replace(/\W/g, '').toLowerCase()}-light`);
  }
  // A note from the pane is stored in the case.
  await page.fill('textarea[aria-label="New note"]', 'Password spray from this IP');
  await page.click('button:has-text("Add note")');
  await page.waitForSelector('.note-text:has-text("Password spray from this IP")');
  assert.equal((await sql(`SELECT * FROM row_notes WHERE row_id = 1990`)).length, 1);
  await page.click('.note-list button:has-text("Edit")');
  await page.fill('textarea[aria-label="Edit note"]', 'Password spray from this IP, confirmed');
  await page.click('.note-list button:has-text("Save")');
  await page.waitForSelector('.note-text:has-text("confirmed")');
  assert.equal((await sql<{ text: string }>(`SELECT text FROM row_notes WHERE row_id = 1990`))[0]!.text, 'Password spray from this IP, confirmed');
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="user_display_name"]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.detail', { state: 'detached' });
  await page.fill('input[aria-label="Search all text columns"]', '');
  await expectCount(N);
});

test('column filters of every kind, combined, as chips that can be removed', async () => {
  await reset();
  // Values list: tick "failure".
  await openFilter('status');
  await page.locator('.values-list li', { hasText: 'failure' }).locator('input').check();
  await page.click('.filter-pop button:has-text("Apply")');
  await expectCount(await count(`status = 'failure'`));
  assert.equal(await page.locator('.chip').count(), 1);
  // Text contains, combined with the values list.
  await openFilter('user_display_name');
  await page.click('.filter-pop [role=tab]:has-text("Text")');
  await page.fill('.filter-pop input[aria-label="Text value"]', 'dvoř');
  await page.click('.filter-pop button:has-text("Apply")');
  await expectCount(await count(`status = 'failure' AND user_display_name ILIKE '%dvoř%'`));
  await app.screenshot('grid-filters-light');
  // Negated text replaces the earlier text condition on the same column.
  await openFilter('user_display_name');
  await page.click('.filter-pop [role=tab]:has-text("Text")');
  await page.fill('.filter-pop input[aria-label="Text value"]', 'dvoř');
  await page.check('.filter-pop input[type=checkbox] >> nth=0');
  await page.click('.filter-pop button:has-text("Apply")');
  await expectCount(await count(`status = 'failure' AND user_display_name NOT ILIKE '%dvoř%'`));
  assert.equal(await page.locator('.chip').count(), 2);
  await clearAll();
  // Numeric range.
  await openFilter('error_code');
  await page.click('.filter-pop [role=tab]:has-text("Range")');
  await page.fill('.filter-pop input[aria-label="Minimum"]', '50000');
  await page.fill('.filter-pop input[aria-label="Maximum"]', '50100');
  await page.click('.filter-pop button:has-text("Apply")');
  await expectCount(await count(`error_code BETWEEN 50000 AND 50100`));
  await clearAll();
  // Empty / not empty.
  await openFilter('city');
  await page.click('.filter-pop [role=tab]:has-text("Text")');
  await page.selectOption('.filter-pop select[aria-label="Text condition"]', 'empty');
  await page.click('.filter-pop button:has-text("Apply")');
  await page.waitForFunction(() => /\b0 of 2,000 sign-ins/.test(document.querySelector('[data-testid=row-count]')?.textContent ?? ''));
  await clearAll();
  // Regex.
  await openFilter('request_id');
  await page.click('.filter-pop [role=tab]:has-text("Text")');
  await page.selectOption('.filter-pop select[aria-label="Text condition"]', 'regex');
  await page.fill('.filter-pop input[aria-label="Text value"]', '^req-0000001[0-4]$');
  await page.click('.filter-pop button:has-text("Apply")');
  await expectCount(5);
  await clearAll();
  // Absolute time range, typed in the display zone (UTC here); end exclusive.
  await openFilter('time_utc');
  await page.fill('.filter-pop input[aria-label^="From"]', '2026-10-01T00:00:00');
  await page.fill('.filter-pop input[aria-label^="To"]', '2026-10-01T01:00:00');
  await page.click('.filter-pop button:has-text("Apply")');
  await expectCount(await count(`time_utc >= TIMESTAMP '2026-10-01 00:00:00' AND time_utc < TIMESTAMP '2026-10-01 01:00:00'`));
  assert.match((await page.textContent('.chips')) ?? '', /2026-10-01 00:00:00 → 2026-10-01 01:00:00 \(UTC\)/);
  // Values list with invert (exclude), searched inside.
  await openFilter('city');
  await page.fill('.filter-pop input[aria-label="Search values"]', 'tok');
  await page.waitForFunction(() => document.querySelectorAll('.values-list li').length === 1);
  await page.locator('.values-list li').first().locator('input').check();
  await page.check('.filter-pop label:has-text("Exclude the ticked values") input');
  await page.click('.filter-pop button:has-text("Apply")');
  await expectCount(await count(`time_utc >= TIMESTAMP '2026-10-01 00:00:00' AND time_utc < TIMESTAMP '2026-10-01 01:00:00' AND city <> 'Tokyo'`));
  // Remove one chip, then the other.
  await page.click('.chip.time button');
  await expectCount(await count(`city <> 'Tokyo'`));
  await page.click('.chip.values button');
  await expectCount(N);
});

test('around this row ± N minutes and quick pivots from the cell menu', async () => {
  await reset();
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="ip_address"]', { button: 'right' });
  await page.click('[role=menu] button:has-text("Around this sign-in ± 5 min")');
  await expectCount(await count(`time_utc BETWEEN TIMESTAMP '2026-10-01 20:33:20' - INTERVAL 5 MINUTE AND TIMESTAMP '2026-10-01 20:33:20' + INTERVAL 5 MINUTE`));
  await clearAll();
  const ip = await firstCell('ip_address');
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="ip_address"]', { button: 'right' });
  await app.screenshot('grid-cell-menu-light');
  await page.click('[role=menu] button:has-text("Show everything from this IP address")');
  await expectCount(await count(`ip_address = ?`, [ip]));
  assert.match((await page.textContent('.chips')) ?? '', new RegExp(`IP address ∈ “${ip.replace(/\./g, '\\.')}”`));
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="city"]', { button: 'right' });
  const city = await firstCell('city');
  await page.click('[role=menu] button:has-text("Exclude City")');
  await expectCount(await count(`ip_address = ? AND city <> ?`, [ip, city]));
  await clearAll();
  // A bookmark is a tag created on first use.
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="city"]', { button: 'right' });
  await page.click('[role=menu] button:has-text("Bookmark this sign-in")');
  await page.waitForSelector('.notice:has-text("Tagged 1 row(s)")');
  assert.equal(await count(`row_id IN (SELECT row_id FROM row_tags JOIN tags USING (tag_id) WHERE tags.name = 'Bookmark')`), 1);
});

test('global search: words, column:term, exclusions, highlighted; hostile text stays inert', async () => {
  await reset();
  await page.keyboard.press('Control+f');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Search all text columns');
  await page.keyboard.type('ip:203.0.113.7 -failure');
  await expectCount(await count(`ip_address ILIKE '%203.0.113.7%' AND status <> 'failure'`));
  assert.equal(await page.locator('.ag-row[row-index="0"] .ag-cell[col-id="ip_address"] mark').first().textContent(), '203.0.113.7');
  await page.fill('input[aria-label="Search all text columns"]', '"onerror=alert"');
  await expectCount(1);
  // Show the user agent column (Device preset) to see the hostile text itself.
  await usePreset('device');
  const ua = page.locator('.ag-row[row-index="0"] .ag-cell[col-id="user_agent"]');
  assert.equal(await firstCell('user_agent'), HOSTILE_HTML);
  assert.equal(await page.locator('.ag-root img, .ag-root-wrapper img').count(), 0, 'markup in data never becomes an element');
  await page.fill('input[aria-label="Search all text columns"]', 'HYPERLINK');
  await expectCount(1);
  await page.waitForFunction((t) => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="user_agent"]')?.textContent === t, HOSTILE_UA);
  assert.equal(await ua.textContent(), HOSTILE_UA);
  assert.equal(dialogs, 0);
  await app.screenshot('grid-search-light');
  await page.fill('input[aria-label="Search all text columns"]', '');
  await expectCount(N);
});

test('column presets and the chooser; the layout is remembered for the case', async () => {
  await reset();
  await usePreset('device');
  assert.equal(await page.locator('.ag-header-cell[col-id="request_id"]').count(), 0);
  assert.equal(await page.locator('.ag-header-cell[col-id="user_agent"]').count(), 1);
  await page.click('button[aria-label^="Columns:"]');
  await page.fill('input[aria-label="Find a column"]', 'request');
  await page.check('input[aria-label="Show Request ID"]');
  await app.screenshot('grid-columns-light');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.ag-header-cell[col-id="request_id"]');
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForSelector('.ag-row[row-index="0"] .ag-cell[col-id="user_agent"]', { timeout: 20000 });
  assert.equal(await page.locator('.ag-header-cell[col-id="request_id"]').count(), 1);
  // Empty columns stay hidden even in "All columns".
  await usePreset('all');
  await page.click('button[aria-label^="Columns:"]');
  await page.fill('input[aria-label="Find a column"]', 'mfa detail');
  assert.match((await page.textContent('.chooser-list')) ?? '', /MFA detail \(no values\)/);
  assert.equal(await page.locator('.ag-header-cell[col-id="mfa_detail"]').count(), 0);
  await page.keyboard.press('Escape');
  await usePreset('portal');
  await page.waitForSelector('.ag-header-cell[col-id="request_id"]');
});

test('selection: Ctrl+C copies the selected rows as TSV with headers', async () => {
  await reset();
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="user_display_name"]');
  await page.click('.ag-row[row-index="2"] .ag-cell[col-id="user_display_name"]', { modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  await page.waitForSelector('.notice:has-text("Copied 3 row(s)")');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  const lines = text.split('\n');
  assert.equal(lines.length, 4);
  assert.ok(lines[0]!.startsWith('Date (UTC)\tRequest ID\tUser'));
  assert.ok(lines.slice(1).some((l) => l.startsWith(`2026-10-01 20:33:20\treq-${String(N).padStart(8, '0')}\t`)), text);
});

test('tag the whole filtered set, then filter by the tag', async () => {
  await reset();
  await openFilter('status');
  await page.locator('.values-list li', { hasText: 'failure' }).locator('input').check();
  await page.click('.filter-pop button:has-text("Apply")');
  const failures = await count(`status = 'failure'`);
  await expectCount(failures);
  await page.click('button[aria-label^="Tags"]');
  await page.fill('input[aria-label="New tag name"]', 'Spray');
  await page.click('.tags-pop button:has-text("Create tag")');
  await page.waitForSelector('.tags-pop .tag-name:has-text("Spray")');
  await page.click(`.tags-pop button[aria-label="Tag all ${failures} filtered rows as Spray"]`);
  await page.waitForSelector(`.notice:has-text("Tagged ${failures.toLocaleString('en-US')} filtered row(s) as Spray")`);
  await app.screenshot('grid-tags-light');
  await page.click('.tags-pop tr:has(.tag-name:text-is("Spray")) button:has-text("Show tagged")');
  await page.click('.chip.values button');
  await expectCount(failures);
  assert.match((await page.textContent('.chips')) ?? '', /Tagged Spray/);
  assert.equal(await count(`row_id IN (SELECT row_id FROM row_tags JOIN tags USING (tag_id) WHERE tags.name = 'Spray')`), failures);
  await page.waitForSelector('.ag-row[row-index="0"] .tag-dot');
  // Rename and recolour: the rows keep the tag.
  await page.click('button[aria-label^="Tags"]');
  await page.click('.tags-pop button[aria-label="Edit tag Spray"]');
  await page.fill('.tags-pop input[aria-label="New name for Spray"]', 'Password spray');
  await page.click('.tags-pop [aria-label="Colour of Spray"] button[aria-label="Colour #1a73e8"]');
  await app.screenshot('grid-tags-edit-light');
  await page.click('.tags-pop .tag-edit button:has-text("Save")');
  await page.waitForSelector('.notice:has-text("Renamed tag Spray to Password spray")');
  await page.waitForSelector('.tags-pop .tag-name:text-is("Password spray")');
  assert.equal(await count(`row_id IN (SELECT row_id FROM row_tags JOIN tags USING (tag_id) WHERE tags.name = 'Password spray' AND tags.color = '#1a73e8')`), failures);
  await page.keyboard.press('Escape');
  await clearAll();
});

test('time zone switch relabels and reformats every time; UTC comes back', async () => {
  await reset();
  await page.selectOption('select[aria-label="Time zone"]', 'Asia/Tokyo');
  await page.waitForSelector('.ag-header-cell[col-id="time_utc"]:has-text("Date (Asia/Tokyo)")');
  assert.equal(await firstCell('time_utc'), '2026-10-02 05:33:20');
  assert.match((await page.textContent('.statusbar')) ?? '', /Times in Asia\/Tokyo/);
  await app.screenshot('grid-tokyo-light');
  // The chosen zone is also how time filters are typed.
  await openFilter('time_utc');
  await page.fill('.filter-pop input[aria-label^="From"]', '2026-10-02T05:00:00');
  await page.click('.filter-pop button:has-text("Apply")');
  await expectCount(await count(`time_utc >= TIMESTAMP '2026-10-01 20:00:00'`));
  await clearAll();
  await page.selectOption('select[aria-label="Time zone"]', 'UTC');
  await page.waitForSelector('.ag-header-cell[col-id="time_utc"]:has-text("Date (UTC)")');
  assert.equal(await firstCell('time_utc'), '2026-10-01 20:33:20');
});

test('export of the view writes a CSV checked cell by cell, formulas neutralised, with a manifest', async () => {
  await reset();
  await usePreset('device');
  await openFilter('time_utc');
  await page.fill('.filter-pop input[aria-label^="To"]', '2026-10-01T00:10:00');
  await page.click('.filter-pop button:has-text("Apply")');
  const n = await count(`time_utc < TIMESTAMP '2026-10-01 00:10:00'`);
  await expectCount(n);
  const out = mkdtempSync(join(tmpdir(), 'signet-grid-export-'));
  await page.click('button:has-text("Export…")');
  await page.fill('input[aria-label="Export folder"]', out);
  await page.click('.modal button.primary:has-text("Export")');
  const fileEl = page.locator('[data-export-file]');
  await fileEl.waitFor({ timeout: 20000 });
  await app.screenshot('grid-export-light');
  const file = (await fileEl.getAttribute('data-export-file'))!;
  await page.click('.modal button:has-text("Close")');
  const parsed = Papa.parse<string[]>(readFileSync(file, 'utf8').replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
  const header = parsed[0]!;
  assert.deepEqual(header.slice(0, 3), ['time_utc', 'user_principal_name', 'device_id'], 'empty columns (device name) are hidden and not exported');
  assert.ok(header.includes('user_agent'));
  const truth = await sql<Record<string, string | null>>(
    `SELECT ${header.map((c) => (c === 'time_utc' ? `strftime(time_utc, '%Y-%m-%dT%H:%M:%S.%fZ') AS time_utc` : `CAST("${c}" AS VARCHAR) AS "${c}"`)).join(', ')}
     FROM signins WHERE time_utc < TIMESTAMP '2026-10-01 00:10:00' ORDER BY time_utc DESC, row_id`,
  );
  assert.equal(parsed.length - 1, n);
  for (let i = 0; i < truth.length; i++) {
    header.forEach((c, j) => {
      const v = truth[i]![c] ?? '';
      assert.equal(parsed[i + 1]![j], /^[=+\-@\t\r]/.test(v) ? `'${v}` : v, `row ${i + 1} ${c}`);
    });
  }
  const uaCol = header.indexOf('user_agent');
  assert.ok(parsed.some((r) => r[uaCol] === `'${HOSTILE_UA}`), 'the formula is neutralised');
  assert.ok(parsed.some((r) => r[uaCol] === HOSTILE_HTML), 'markup is kept as text');
  const manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8')) as { export: { rows: number; sha256: string }; view: { filterText: string; filterSql: string } };
  assert.equal(manifest.export.rows, n);
  assert.match(manifest.view.filterText, /Date \(UTC\)/);
  assert.match(manifest.view.filterSql, /"time_utc" < CAST\('2026-10-01 00:10:00.000000' AS TIMESTAMP\)/);
  await page.click('button:has-text("Show SQL")');
  // The dialog opens before the engine has answered; wait for the SQL itself.
  await page.waitForFunction(() => ((document.querySelector('textarea[aria-label="SQL of this view"]') as HTMLTextAreaElement | null)?.value ?? '').length > 0);
  const shown = await page.inputValue('textarea[aria-label="SQL of this view"]');
  assert.match(shown, /ORDER BY "time_utc" DESC NULLS LAST, row_id ASC/);
  assert.equal((await sql(shown)).length, n);
  await page.keyboard.press('Escape');
  await clearAll();
});

test('dark theme screenshots of the grid and every detail tab', async () => {
  // One case can be open in one engine at a time: hand it over, then back.
  app.engine.closeCase();
  const dark = await startApp({ colorScheme: 'dark' });
  await dark.engine.openCase(dir);
  await dark.page.reload();
  try {
    await dark.page.waitForSelector('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]', { timeout: 20000 });
    await dark.screenshot('grid-dark');
    await dark.page.fill('input[aria-label="Search all text columns"]', 'req-00001990');
    await dark.page.waitForFunction(() => /\b1 of /.test(document.querySelector('[data-testid=row-count]')?.textContent ?? ''));
    await dark.page.dblclick('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]');
    await dark.page.waitForSelector('.detail .fields');
    for (const name of ['Basic info', 'Location', 'Device info', 'Authentication details', 'Conditional Access', 'Graph activity (1)', 'Raw', 'Notes & tags (1)']) {
      await dark.page.getByRole('tab', { name, exact: true }).click();
      await dark.page.waitForTimeout(150);
      await dark.screenshot(`grid-detail-${name.split(' ')[0]!.replace(/\W/g, '').toLowerCase()}-dark`);
    }
    assert.deepEqual(foreignRequests(dark.requests), []);
  } finally {
    await dark.close();
    await app.engine.openCase(dir);
  }
});

test('scroll to the last row of a 100,000-row case', async () => {
  const big = mkdtempSync(join(tmpdir(), 'signet-grid-100k-'));
  const s = await CaseSession.create(big, 'test', '100k');
  await insertSyntheticRows(s, 100_000);
  s.close();
  await app.engine.openCase(big);
  await page.reload();
  await page.waitForSelector('.ag-row[row-index="0"] .ag-cell[col-id="request_id"]', { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=row-count]')?.textContent?.includes('100,000 of 100,000'));
  await page.click('.ag-row[row-index="0"] .ag-cell[col-id="request_id"]');
  await page.keyboard.press('Control+End');
  const last = page.locator('.ag-row[row-index="99999"] .ag-cell[col-id="request_id"]');
  await last.waitFor({ timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('.ag-row[row-index="99999"] .ag-cell[col-id="request_id"]')?.textContent === 'req-00000001', undefined, { timeout: 20000 });
  await app.screenshot('grid-100k-last-row-light');
});

test('nothing left 127.0.0.1', () => {
  assert.deepEqual(foreignRequests(app.requests), []);
  assert.equal(dialogs, 0);
});
