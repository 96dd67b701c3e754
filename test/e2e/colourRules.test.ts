import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startApp, closeBrowser, foreignRequests } from '../support/e2e';
import { freshCase, importInto, workDir, writeEvidence } from '../support/fixtures/importHarness';
import { graphObject, signin } from '../support/fixtures/signinFixtures';
import { readAuditDb } from '../../electron/engine/custody/audit';

after(async () => {
  await closeBrowser();
});

interface Shown {
  ip: string;
  status: string;
  colour: string | null;
}

/** The rendered rows: their address, status and the rule colour class they carry. */
async function shownRows(page: Page): Promise<Shown[]> {
  return page.locator('.ag-row').evaluateAll((rows) =>
    rows
      .filter((r) => r.querySelector('.ag-cell[col-id="ip_address"]')?.textContent)
      .map((r) => ({
        ip: r.querySelector('.ag-cell[col-id="ip_address"]')!.textContent!,
        status: r.querySelector('.ag-cell[col-id="status"]')?.textContent?.trim() ?? '',
        colour: [...r.classList].find((c) => c.startsWith('rule-') && c !== 'rule-row')?.slice(5) ?? null,
      })),
  );
}

/** Wait until every rendered row has the colour `want` gives it (the rows refetch after a rule change). */
async function expectColours(page: Page, want: (r: Shown) => string | null, what: string): Promise<Shown[]> {
  let last: Shown[] = [];
  for (let i = 0; i < 120; i++) {
    last = await shownRows(page);
    if (last.length >= 20 && last.every((r) => r.colour === want(r))) return last;
    await page.waitForTimeout(250);
  }
  assert.fail(`${what}: ${JSON.stringify(last.filter((r) => r.colour !== want(r)).slice(0, 5))} of ${last.length} rows`);
}

const inTor = (ip: string) => /^185\.220\.101\.\d+$/.test(ip);

// A responder colours Tor exit addresses over the default failure colour, reorders the
// rules, and turns a default off; the colours come from the engine's rule index per row.
test('colour rules: add a rule, rows coloured by the first matching rule, reorder, turn defaults off, legend; light and dark', async () => {
  const dir = workDir('e2e-colours');
  const records = Array.from({ length: 30 }, (_, i) =>
    graphObject(
      signin(i + 1, {
        ip: i % 3 === 0 ? `185.220.101.${i + 1}` : `198.51.100.${i + 1}`,
        errorCode: i % 2 === 0 ? 50126 : 0,
        failureReason: i % 2 === 0 ? 'Invalid username or password.' : '',
      }),
    ),
  );
  const file = writeEvidence(dir, 'signins.json', JSON.stringify({ value: records }));
  const session = await freshCase(dir);
  await importInto(session, [file]);
  session.close();
  assert.ok(records.some((r) => inTor(String(r.ipAddress)) && (r.status as { errorCode: number }).errorCode !== 0), 'some Tor rows also failed');

  for (const scheme of ['light', 'dark'] as const) {
    const app = await startApp({ colorScheme: scheme, viewport: { width: 2000, height: 900 } });
    try {
      const page = app.page;
      await app.engine.openCase(join(dir, 'case'));
      await page.getByRole('tab', { name: 'Sign-ins' }).waitFor({ timeout: 20_000 });
      await page.waitForSelector('.ag-row .ag-cell[col-id="ip_address"]', { timeout: 20_000 });
      if (scheme === 'dark') {
        // The rules of the light run are in the case: same colours, dark tints.
        await expectColours(page, (r) => (r.status === 'failure' ? 'red' : inTor(r.ip) ? 'orange' : null), 'dark run');
        await app.screenshot('colour-rules-grid-dark');
        await page.getByRole('button', { name: 'Colours ▾' }).click();
        await page.getByRole('list', { name: 'Colour rules' }).waitFor();
        await app.screenshot('colour-rules-dark');
        const bg = await page.locator('.ag-row.rule-red').first().evaluate((e) => getComputedStyle(e).backgroundColor);
        assert.equal(bg, 'rgb(74, 34, 32)', 'the dark tint of red');
        await page.keyboard.press('Escape');
        // The timeline's lanes: single sign-ins carry their rule's colour under the mark.
        await page.getByRole('tab', { name: 'Timeline' }).click();
        const lanes = page.waitForResponse((r) => r.url().endsWith('/api/call') && (r.request().postData() ?? '').includes('"method":"timelineLanes"') && (r.request().postData() ?? '').includes('"by":"ip"'), { timeout: 60_000 });
        await page.selectOption('select[aria-label="Lanes"]', 'ip');
        const body = (await (await lanes).json()) as { result?: { marks: { rule?: number[] }; colourRules?: { name: string }[] } };
        const ruled = body.result?.marks.rule?.filter((r) => r >= 0).length ?? 0;
        assert.ok(ruled > 0, `lane marks with a rule colour: ${JSON.stringify(body).slice(0, 300)}`);
        await page.waitForTimeout(800);
        await app.screenshot('colour-rules-timeline-dark');
        break;
      }
      // Turn the default "In a finding" off so only failures colour rows: red.
      await page.getByRole('button', { name: 'Colours ▾' }).click();
      await page.click('input[aria-label="Rule In a finding on"]');
      await expectColours(page, (r) => (r.status === 'failure' ? 'red' : null), 'failures only');

      // Add a rule in the filter language: it goes on top and wins over failures.
      await page.fill('input[aria-label="Rule condition"]', 'ip:185.220.101.0/24');
      await page.fill('input[aria-label="Rule name"]', 'Tor exits');
      await page.getByRole('radio', { name: 'Orange' }).click();
      await page.getByRole('button', { name: 'Add rule' }).click();
      await page.locator('li[data-rule="Tor exits"]').waitFor();
      const tor = records.filter((r) => inTor(String(r.ipAddress))).length;
      assert.match((await page.locator('li[data-rule="Tor exits"]').textContent()) ?? '', new RegExp(`${tor} rows`));
      await expectColours(page, (r) => (inTor(r.ip) ? 'orange' : r.status === 'failure' ? 'red' : null), 'Tor rule on top');
      await app.screenshot('colour-rules-light');
      await page.keyboard.press('Escape');
      const legend = await page.getByLabel('Colour legend').textContent();
      assert.equal(legend, 'Tor exitsFailed sign-ins');
      await app.screenshot('colour-rules-grid-light');

      // Reorder: failures above Tor exits.
      await page.getByRole('button', { name: 'Colours ▾' }).click();
      // Tor exits, In a finding (off), Failed sign-ins: two steps up.
      await page.getByRole('button', { name: 'Move Failed sign-ins up' }).click();
      await page.locator('.rules-list li:nth-child(2)[data-rule="Failed sign-ins"]').waitFor();
      await page.getByRole('button', { name: 'Move Failed sign-ins up' }).click();
      await page.locator('.rules-list li:nth-child(1)[data-rule="Failed sign-ins"]').waitFor();
      await expectColours(page, (r) => (r.status === 'failure' ? 'red' : inTor(r.ip) ? 'orange' : null), 'failures first');

      // Turn the failures default off: only the Tor rule colours.
      await page.click('input[aria-label="Rule Failed sign-ins on"]');
      await expectColours(page, (r) => (inTor(r.ip) ? 'orange' : null), 'failures off');
      assert.equal(await page.getByRole('button', { name: 'Delete Failed sign-ins' }).isDisabled(), true, 'defaults are turned off, not deleted');
      await page.click('input[aria-label="Rule Failed sign-ins on"]');
      await expectColours(page, (r) => (r.status === 'failure' ? 'red' : inTor(r.ip) ? 'orange' : null), 'failures back on');

      const actions = (await readAuditDb(app.engine.requireCase())).map((a) => a.action).filter((a) => a.startsWith('colour-rule.'));
      assert.deepEqual(actions, ['colour-rule.update', 'colour-rule.add', 'colour-rule.move', 'colour-rule.move', 'colour-rule.update', 'colour-rule.update']);
      assert.deepEqual(foreignRequests(app.requests), []);
    } finally {
      await app.close();
    }
  }
});
