import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { generatedCase } from '../support/findingsFixture';
import { startApp, closeBrowser, type E2EApp, openCaseInPage } from '../support/e2e';

let app: E2EApp;
let page: Page;

async function shoot(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    await app.screenshot(`${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Elements whose text wraps onto a second line or is cut (ellipsis or overflow). */
async function brokenLabels(selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .flatMap((el) => {
        const e = el as HTMLElement;
        // The lines its own text is laid out on: one rectangle per line of each text node.
        const tops = new Set<number>();
        const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          if (!n.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(n);
          for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top / 4));
        }
        const out: string[] = [];
        if (tops.size > 1) out.push(`${e.textContent} wraps`);
        if (e.scrollWidth > e.clientWidth + 1) out.push(`${e.textContent} is cut (${e.scrollWidth} > ${e.clientWidth})`);
        return out;
      }),
  );
}

/** How far an element's content reaches past the right edge of the window or of its scroll box. */
async function cutOnTheRight(selector: string): Promise<{ pastWindow: number; hiddenInBox: number }> {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    let box: HTMLElement | null = el.parentElement;
    while (box && !/(auto|scroll|hidden)/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
    return { pastWindow: Math.max(0, Math.round(r.right - document.documentElement.clientWidth)), hiddenInBox: box ? Math.max(0, box.scrollWidth - box.clientWidth) : 0 };
  });
}

before(async () => {
  const c = await generatedCase(1500, ['mixed']);
  c.session.close();
  app = await startApp({ colorScheme: 'light', viewport: { width: 1280, height: 720 } });
  page = app.page;
  await openCaseInPage(app, `${c.dir}/case`);
});

after(async () => {
  await app?.close();
  await closeBrowser();
});

test('1280×720: the top bar and the grid headers keep every label on one line, the case name whole', async () => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForTimeout(300);
  await shoot('layout-1280-grid');
  assert.deepEqual(await brokenLabels('.topbar [role=tab], .topbar button, .topbar .tz > span'), []);
  assert.deepEqual(await brokenLabels('.case-name > *'), [], 'the case name is not cut');
  assert.deepEqual(await brokenLabels('.ag-header-cell-text'), []);
  const bar = await page.$eval('.topbar', (e) => ({ h: e.getBoundingClientRect().height, over: e.scrollWidth - e.clientWidth }));
  assert.ok(bar.h < 60, `the top bar is one row (${bar.h} px)`);
  assert.equal(bar.over, 0, 'nothing in the top bar is pushed past the window');
});

test('1600 px: the Map country table and the Case sources table are not cut off on the right', async () => {
  await page.setViewportSize({ width: 1600, height: 900 });
  await page.click('[role=tab]:text-is("Map")');
  await page.waitForSelector('.geo-countries table tbody tr', { timeout: 30000 });
  await page.waitForTimeout(500);
  await shoot('layout-1600-map');
  const map = await cutOnTheRight('.geo-countries table');
  await page.click('[role=tab]:text-is("Case")');
  await page.waitForSelector('table[aria-label="Sources"] tbody tr', { timeout: 30000 });
  await page.waitForTimeout(300);
  await shoot('layout-1600-case');
  const sources = await cutOnTheRight('table[aria-label="Sources"]');
  assert.deepEqual({ map, sources }, { map: { pastWindow: 0, hiddenInBox: 0 }, sources: { pastWindow: 0, hiddenInBox: 0 } });
});

test('the theme chosen in Settings (Dark, on a light system) paints the map basemap dark too', async () => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.click('[role=tab]:text-is("Map")');
  await page.waitForFunction(() => Number(document.querySelector('.geo-canvas')?.getAttribute('data-clusters') ?? 0) > 0, undefined, { timeout: 30000 });
  /** Mean brightness (0–255) of the painted basemap: the globe's ocean and land (the opaque pixels). */
  const oceanBrightness = () =>
    page.$eval('.geo-canvas', (c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      let n = 0;
      for (let i = 0; i < d.length; i += 4 * 7) {
        if (d[i + 3]! < 250) continue;
        sum += (d[i]! + d[i + 1]! + d[i + 2]!) / 3;
        n++;
      }
      return n ? sum / n : -1;
    });
  await page.waitForTimeout(400);
  const light = await oceanBrightness();
  assert.ok(light > 170, `light theme: a light basemap (mean brightness ${light.toFixed(0)})`);
  const pickTheme = async (label: string) => {
    await page.click('button[aria-label="Settings"]');
    const dlg = page.locator('[role=dialog][aria-label="Settings"]');
    await dlg.locator(`.segmented label:has-text("${label}")`).click();
    await dlg.locator('button.primary:text-is("Save")').click();
    await dlg.waitFor({ state: 'detached', timeout: 10000 });
  };
  await pickTheme('Dark');
  try {
    await page.waitForTimeout(600);
    const dark = await oceanBrightness();
    await app.screenshot('map-theme-dark-on-light-system');
    assert.ok(dark >= 0 && dark < 80, `Settings → Dark: the basemap is dark (mean brightness ${dark.toFixed(0)})`);
  } finally {
    await pickTheme('System');
  }
});
