import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchContext } from './benchContext';
import { writeBenchData } from './lib/benchData';
import importBench from './import';
import { CaseSession } from '../electron/engine/case/caseSession';

async function caseRows(dir: string): Promise<unknown> {
  const session = await CaseSession.open(dir);
  try {
    return await session.db.scalar('SELECT count(*) FROM signins');
  } finally {
    session.close();
  }
}

/**
 * `npm run bench [-- --rows N] [--keep] [--only a,b] [--case DIR]`: generate one portal CSV and one Graph JSON of N
 * sign-ins (default 1,000,000), measure the import against DuckDB's own read, then run every
 * other bench/<capability>.ts module on the imported case. One JSON line per figure.
 */
function args(argv: string[]): { rows: number; keep: boolean; only: string[]; caseDir: string | null } {
  let rows = 1_000_000;
  let keep = false;
  let caseDir: string | null = null;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--rows') {
      rows = Number(String(argv[++i]).replace(/_/g, ''));
      if (!Number.isInteger(rows) || rows <= 0) throw new Error(`--rows needs a positive whole number`);
    } else if (a === '--keep') keep = true;
    else if (a === '--only') only.push(...String(argv[++i]).split(','));
    else if (a === '--case') caseDir = resolve(String(argv[++i]));
    else throw new Error(`Unknown argument ${a}; usage: npm run bench -- [--rows N] [--keep] [--only grid,timeline] [--case DIR]`);
  }
  return { rows, keep, only, caseDir };
}

async function main(): Promise<void> {
  const { rows, keep, only, caseDir } = args(process.argv.slice(2));
  const workDir = resolve('bench-output', `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(workDir, { recursive: true });
  const ctx: BenchContext = {
    rows,
    workDir,
    csvPath: join(workDir, 'InteractiveSignIns_bench.csv'),
    jsonPath: join(workDir, 'SignInLogs_bench.json'),
    caseDir: caseDir ?? join(workDir, 'case-csv'),
    report: (figure) => console.log(JSON.stringify(figure)),
  };
  try {
    if (caseDir) {
      // An existing case (kept from an earlier `--keep` run): only the modules after import run.
      ctx.report({ name: 'bench.case', caseDir, rows: Number(await caseRows(caseDir)) });
    } else {
      const t = performance.now();
      await writeBenchData(ctx.csvPath, ctx.jsonPath, rows);
      ctx.report({ name: 'bench.generate', ms: Math.round(performance.now() - t), rows });
      await importBench(ctx);
    }
    const skip = new Set(['run.ts', 'benchContext.ts', 'import.ts']);
    const modules = readdirSync(__dirname)
      .filter((f) => f.endsWith('.ts') && !skip.has(f))
      .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
      .sort();
    for (const file of modules) {
      const mod = (await import(join(__dirname, file))) as { default?: (c: BenchContext) => Promise<void> };
      if (typeof mod.default !== 'function') {
        ctx.report({ name: `bench.${file}`, skipped: 'no default export (ctx) => Promise<void>' });
        continue;
      }
      const t0 = performance.now();
      try {
        await mod.default(ctx);
      } catch (err) {
        ctx.report({ name: `bench.${file}`, error: err instanceof Error ? err.message : String(err) });
      }
      ctx.report({ name: `bench.${file}.total`, ms: Math.round(performance.now() - t0) });
    }
  } finally {
    if (!keep) rmSync(workDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
