import { join } from 'node:path';
import type { Engine } from '../engine';
import { importFiles } from '../import/importFiles';
import { importProblems } from '../import/importProblems';
import { generateDataset, DEFAULT_SEED } from './generate';

/**
 * Generate the demo evidence files (the "mixed" layout a responder is typically handed:
 * portal CSVs, an Event Hub file and a Graph page) and import them into a fresh demo
 * case through the normal import path, so the demo exercises exactly what real files do.
 */
export function startDemoJob(engine: Engine, rows: number): string {
  return engine.jobs.start('demo', async (ctx) => {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const base = join(engine.options.dataDir, 'demo', `demo-${stamp}`);
    const evidenceDir = join(base, 'evidence');
    ctx.progress({ message: `Writing ${rows.toLocaleString('en-US')} demo sign-ins…`, fraction: 0 });
    const truth = await generateDataset({
      outDir: evidenceDir,
      rows,
      seed: DEFAULT_SEED,
      shapes: ['mixed'],
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress({ fraction: total ? (0.3 * done) / total : 0, message: `Writing demo sign-ins: ${done.toLocaleString('en-US')}` }),
    });
    ctx.progress({ message: 'Importing the demo files…', fraction: 0.3 });
    const session = await engine.createCase(join(base, 'case'), 'Demo case (synthetic Contoso tenant)');
    let files;
    try {
      files = await importFiles(
        session,
        truth.files.map((f) => f.path),
        {
          signal: ctx.signal,
          progress: (u) => ctx.progress({ ...u, fraction: u.fraction === undefined || u.fraction === null ? u.fraction : 0.3 + 0.7 * u.fraction }),
        },
      );
    } catch (err) {
      // A cancelled or failed demo leaves no empty demo case in Recent.
      await engine.discardNewCase(session);
      throw err;
    }
    await engine.startBackgroundFindings(session);
    return { case: session.dir, files, problems: await importProblems(session), groundTruth: join(evidenceDir, 'ground-truth.json') };
  });
}
