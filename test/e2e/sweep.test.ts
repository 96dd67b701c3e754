import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, closeBrowser, foreignRequests } from '../support/e2e';
import { freshCase, importInto, workDir, writeEvidence } from '../support/fixtures/importHarness';
import { graphObject, signin } from '../support/fixtures/signinFixtures';

after(async () => {
  await closeBrowser();
});

// An IOC sweep as a responder runs one: with a filter left over from earlier, paste a list
// with a CIDR range, an exact address, a UPN, a zero-hit indicator and a bad line; follow one
// indicator to the grid and get exactly its rows (not 82.0.175.149 for 82.0.175.14).
test('IOC sweep: per-indicator hits, zero hits and bad lines listed; Show rows replaces a leftover filter with exactly the hits, light and dark', async () => {
  const dir = workDir('e2e-sweep');
  const ips = ['82.0.175.14', '82.0.175.149', '10.20.30.40', '10.20.31.1', '2001:db8::7', '203.0.113.9'];
  const records = Array.from({ length: 30 }, (_, i) =>
    graphObject(signin(i + 1, { ip: ips[i % ips.length]!, upn: i % 10 === 0 ? 'attacker@evil.example' : `user${i}@contoso.example` })),
  );
  const file = writeEvidence(dir, 'signins.json', JSON.stringify({ value: records }));
  const session = await freshCase(dir);
  await importInto(session, [file]);
  session.close();
  const expected = (pred: (ip: string, upn: string) => boolean) => records.filter((r) => pred(String(r.ipAddress), String(r.userPrincipalName))).length;
  for (const scheme of ['light', 'dark'] as const) {
    const app = await startApp({ colorScheme: scheme });
    try {
      const page = app.page;
      await app.engine.openCase(join(dir, 'case'));
      await page.getByRole('tab', { name: 'Sign-ins' }).waitFor({ timeout: 20_000 });
      // A search left over from earlier work.
      await page.getByRole('searchbox').first().fill('user1');
      await page.getByRole('tab', { name: 'IOC sweep' }).click();
      await page.getByLabel('Indicators, one a line').fill(['# partner intel', '82.0.175.14', '10.20.30.0/23', 'attacker@evil.example', '192.0.2.55', 'not-an-ioc'].join('\n'));
      await page.getByRole('button', { name: 'Sweep', exact: true }).click();
      const table = page.locator('.sweep-table');
      await table.waitFor({ timeout: 20_000 });
      const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)));
      assert.deepEqual(rows, [
        ['2', '82.0.175.14', 'ip', String(expected((ip) => ip === '82.0.175.14'))],
        ['3', '10.20.30.0/23', 'cidr', String(expected((ip) => ip.startsWith('10.20.30.') || ip.startsWith('10.20.31.')))],
        ['4', 'attacker@evil.example', 'upn', String(expected((_, upn) => upn === 'attacker@evil.example'))],
        ['5', '192.0.2.55', 'ip', '0'],
      ]);
      await page.getByText('line 6: "not-an-ioc" is not an IP address').waitFor();
      await app.screenshot(`sweep-${scheme}`);
      // Follow the exact address: the grid shows exactly its rows, the leftover search is gone.
      await table.locator('tbody tr').first().getByRole('button', { name: 'Show rows' }).click();
      const want = expected((ip) => ip === '82.0.175.14');
      await page.waitForFunction(
        (n) => (document.querySelector('[data-testid="row-count"] strong')?.textContent ?? '').replace(/,/g, '') === String(n),
        want,
        { timeout: 20_000 },
      );
      assert.equal(await page.getByRole('searchbox').first().inputValue(), '');
      const cells = await page.locator('.ag-row .ag-cell[col-id="ip_address"]').allTextContents();
      assert.ok(cells.length > 0 && cells.every((c) => c === '82.0.175.14'), cells.join(','));
      await app.screenshot(`sweep-grid-${scheme}`);
      assert.deepEqual(foreignRequests(app.requests), []);
    } finally {
      await app.close();
    }
  }
});
