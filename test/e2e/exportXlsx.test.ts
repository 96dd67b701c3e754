import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { startApp, closeBrowser, foreignRequests, openCaseInPage } from '../support/e2e';
import { insertSyntheticRows } from '../support/gridFixture';

const ROOT = resolve(__dirname, '../..');

/** The first worksheet's cell values and formula count, read with zipfile and xml.etree. */
function sheetOf(xlsx: string): { rows: string[][]; formulas: number } {
  const script = `import sys, json, re, zipfile, xml.etree.ElementTree as ET
m = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
xml = zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml')
rows = [[''.join(t.text or '' for t in c.iter(m + 't')) if c.get('t') == 'inlineStr' else (c.findtext(m + 'v') or '') for c in r.findall(m + 'c')] for r in ET.fromstring(xml).find(m + 'sheetData')]
print(json.dumps({'rows': rows, 'formulas': len(re.findall(rb'<(?:\\w+:)?f[ >/]', xml))}))`;
  const r = spawnSync('python3', ['-c', script, xlsx], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { rows: string[][]; formulas: number };
}

after(async () => closeBrowser());

for (const scheme of ['light', 'dark'] as const) {
  test(`export dialog (${scheme}): Excel format, only the selected rows, written as text cells`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-xlsx-e2e-'));
    const s = await CaseSession.create(dir, 'test', 'Excel export e2e');
    await insertSyntheticRows(s, 200);
    s.close();
    const app = await startApp({ colorScheme: scheme });
    try {
      const page = app.page;
      await openCaseInPage(app, dir);
      // The first rows can be redrawn once more after the case opens; click until one is selected.
      for (let i = 0; i < 20 && (await page.locator('text=1 selected').count()) === 0; i++) {
        await page.click('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]');
        await page.waitForTimeout(500);
      }
      await page.click('.ag-row[row-index="1"] .ag-cell[col-id="time_utc"]', { modifiers: ['Shift'] });
      await page.waitForSelector('text=2 selected', { timeout: 30000 });
      const picked = await page.$$eval('.ag-row-selected .ag-cell[col-id="request_id"]', (cells) => cells.map((c) => c.textContent ?? ''));
      assert.equal(picked.length, 2);
      await page.click('button:has-text("Export…")');
      // The dialog's words on times and formulas are true for the format chosen.
      const intro = () => page.locator('[data-testid=export-intro]').innerText();
      assert.match(await intro(), /Times are written as ISO-8601 UTC\./);
      assert.match(await intro(), /CSV cells that a spreadsheet would run as a formula are prefixed with a single quote/);
      await page.check('input[type=radio]:near(:text("JSON"))');
      assert.match(await intro(), /Times are written as ISO-8601 UTC\./);
      assert.doesNotMatch(await intro(), /single quote/);
      await page.check('input[type=radio]:near(:text("Excel (.xlsx)"))');
      await page.waitForSelector('[data-testid=xlsx-note]');
      assert.doesNotMatch(await intro(), /Times are written as ISO-8601 UTC|single quote/);
      assert.match(await intro(), /Times are Excel date-times in UTC, with the ISO-8601 UTC time as text in the column beside\./);
      await page.check('input[type=radio][name=only] >> nth=1');
      await app.screenshot(`grid-export-xlsx-${scheme}`);
      await page.click('.modal button.primary:has-text("Export")');
      await page.waitForSelector('[data-export-file], .modal [role=alert]', { timeout: 120000 });
      assert.equal(await page.locator('.modal [role=alert]').count(), 0, (await page.locator('.modal [role=alert]').allTextContents()).join(' '));
      const fileEl = page.locator('[data-export-file]');
      await app.screenshot(`grid-export-xlsx-done-${scheme}`);
      const file = (await fileEl.getAttribute('data-export-file'))!;
      assert.ok(file.startsWith(join(dir, 'exports')) && file.endsWith('.xlsx'), file);
      const { rows, formulas } = sheetOf(file);
      assert.equal(rows.length, 3, 'the header and the two selected rows');
      assert.ok(rows[0]!.includes('Date (UTC)') && rows[0]!.includes('Date (UTC, ISO 8601)'), rows[0]!.join(' | '));
      const idAt = rows[0]!.indexOf('Request ID');
      assert.deepEqual(rows.slice(1).map((r) => r[idAt]).sort(), [...picked].sort());
      assert.equal(formulas, 0);
      assert.deepEqual(foreignRequests(app.requests), []);
    } finally {
      await app.close();
    }
  });
}
