import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BenchContext } from './benchContext';
import { CaseSession } from '../electron/engine/case/caseSession';
import { ensureFindings } from '../electron/engine/findings/compute';
import { generateReport } from '../electron/engine/report/generateReport';
import { ensureRowLocations } from '../electron/engine/geo/rowLocations';

const CHROMIUM = process.env.SIGNET_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The report as the person who asked for it gets it: written with default options on the
 * bench case (findings and the location cache already built, as after an import), its size,
 * and how long Chromium takes to first paint it. Baseline: writing the same number of bytes.
 */
export default async function reportBench(ctx: BenchContext): Promise<void> {
  const session = await CaseSession.open(ctx.caseDir);
  const out = join(ctx.workDir, 'report-bench');
  mkdirSync(out, { recursive: true });
  let path = '';
  try {
    await ensureFindings(session);
    await ensureRowLocations(session.db, session.dataVersion);
    const t0 = performance.now();
    const r = await generateReport(session, join(out, 'report.html'));
    const ms = Math.round(performance.now() - t0);
    path = r.path;
    ctx.report({ name: 'report: write HTML report (default options)', ms, bytes: r.bytes, mb: Math.round((r.bytes / 1e6) * 100) / 100, rows: ctx.rows, target: '≤ 10 s and ≤ 5 MB at 1M rows' });
  } finally {
    session.close();
  }
  if (!existsSync(CHROMIUM)) {
    ctx.report({ name: 'report: first paint in Chromium', skipped: `no Chromium at ${CHROMIUM}` });
    return;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    const t0 = performance.now();
    await page.goto(pathToFileURL(path).href, { waitUntil: 'commit' });
    const paint = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const seen = performance.getEntriesByName('first-contentful-paint')[0];
          if (seen) return resolve(seen.startTime);
          new PerformanceObserver((list) => resolve(list.getEntries()[0]!.startTime)).observe({ type: 'paint', buffered: true });
        }),
    );
    const wall = Math.round(performance.now() - t0);
    ctx.report({ name: 'report: first paint in Chromium', ms: Math.round(paint), wallMs: wall, bytes: statSync(path).size, target: '≤ 2 s' });
  } finally {
    await browser.close();
  }
}
