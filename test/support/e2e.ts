import { mkdirSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Engine, type EngineOptions } from '../../electron/engine/engine';
import { handlerTable } from '../../electron/api/handlerTable';
import { startBridge, type RunningBridge } from '../../electron/bridge/server';
import { EngineClient } from '../../electron/engineProcess/client';
import { nodeEngine } from '../../electron/engineProcess/nodeChild';

export const SCREENSHOT_DIR = resolve(__dirname, '../../test-output/screenshots');
// A helper building into its own folder (electron-vite build --outDir X) points here with SIGNET_RENDERER_DIR=X/renderer.
const RENDERER_DIR = resolve(process.env.SIGNET_RENDERER_DIR ?? resolve(__dirname, '../../out/renderer'));
const CHROMIUM = process.env.SIGNET_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface E2EApp {
  engine: Engine;
  bridge: RunningBridge;
  page: Page;
  /** Every URL the page requested, to prove nothing left 127.0.0.1. */
  requests: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

let browser: Browser | null = null;

export async function sharedBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; install it with: apt-get install -y chromium`);
  browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

/**
 * Start the real engine behind the loopback bridge and open the built UI in Debian's
 * Chromium. `colorScheme` lets a test take light and dark screenshots.
 */
export async function startApp(opts: PageOptions & Pick<EngineOptions, 'beforeSourceRead'> = {}): Promise<E2EApp> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`UI not built at ${RENDERER_DIR}; run npm run build`);
  const engine = new Engine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-e2e-')), appVersion: 'test', mode: 'browser', ...(opts.beforeSourceRead ? { beforeSourceRead: opts.beforeSourceRead } : {}) });
  const bridge = await startBridge({ rendererDir: RENDERER_DIR, table: handlerTable, context: { engine } });
  const opened = await openPage(bridge, opts);
  return {
    engine,
    bridge,
    ...opened,
    async close() {
      await opened.close();
      await bridge.close();
      // Awaited: a test file whose process exits while DuckDB still closes can end in a native abort.
      await engine.close();
    },
  };
}

export interface E2EProcessApp extends Omit<E2EApp, 'engine'> {
  /** The engine runs in a child process, as under `npm run serve`; this is its client. */
  client: EngineClient;
}

/** As startApp, with the engine in its own Node child process behind the bridge (browser mode as `npm run serve` runs it). */
export async function startAppWithEngineProcess(opts: PageOptions = {}): Promise<E2EProcessApp> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`UI not built at ${RENDERER_DIR}; run npm run build`);
  const client = new EngineClient(nodeEngine(), { dataDir: mkdtempSync(join(tmpdir(), 'signet-e2e-')), appVersion: 'test', mode: 'browser' });
  const bridge = await startBridge({ rendererDir: RENDERER_DIR, target: client.call });
  const opened = await openPage(bridge, opts);
  return {
    client,
    bridge,
    ...opened,
    async close() {
      await opened.close();
      await bridge.close();
      await client.close();
    },
  };
}

interface PageOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

async function openPage(bridge: RunningBridge, opts: PageOptions): Promise<Pick<E2EApp, 'page' | 'requests' | 'screenshot' | 'close'>> {
  const b = await sharedBrowser();
  const context: BrowserContext = await b.newContext({
    viewport: opts.viewport ?? { width: 1440, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(bridge.url);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    page,
    requests,
    async screenshot(name) {
      const file = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close();
    },
  };
}

/** Assert helper: every request went to the bridge on 127.0.0.1 (or was inline data). */
export function foreignRequests(requests: string[]): string[] {
  return requests.filter((u) => !/^http:\/\/127\.0\.0\.1:\d+\//.test(u) && !u.startsWith('data:') && !u.startsWith('blob:'));
}

/** Open a case in the engine behind the page, as the start screen would, and wait until the grid shows its first row. */
export async function openCaseInPage(app: Pick<E2EApp, 'engine' | 'page'>, dir: string): Promise<void> {
  await app.engine.openCase(dir);
  await app.page.reload();
  await app.page.waitForSelector('.ag-row[row-index="0"] .ag-cell[col-id="time_utc"]', { timeout: 30000 });
}
