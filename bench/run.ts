import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { BenchContext, Figure } from './benchContext';
import { benchCacheDir, benchInputs, GENERATOR_VERSION, type BenchShape } from './lib/benchData';
import { judge, type Verdict } from './lib/targets';
import importBench from './import';
import { CaseSession } from '../electron/engine/case/caseSession';

async function caseRows(dir: string): Promise<number> {
  const session = await CaseSession.open(dir);
  try {
    return Number(await session.db.scalar('SELECT count(*) FROM signins'));
  } finally {
    session.close();
  }
}

const USAGE = 'npm run bench -- [--rows N] [--ndjson-rows N] [--keep] [--cache DIR] [--only grid,timeline] [--case DIR] [--rounds N] [--no-peers]';

interface Args {
  rows: number;
  ndjsonRows: number | null;
  keep: boolean;
  only: string[];
  caseDir: string | null;
  cacheDir: string;
  rounds: number | null;
  peers: boolean;
}

/**
 * `npm run bench [-- --rows N] …`: take one portal CSV and one Graph NDJSON of N sign-ins
 * (default 1,000,000) from the input cache or generate them, measure the import against
 * DuckDB's own read, then run every other bench/<capability>.ts module on the imported case.
 * One JSON line per figure; the issue's targets are judged on each, and a table of them
 * closes the run.
 *
 * --keep       keep generated inputs in the cache (keyed by rows, shape and generator
 *              version; $SIGNET_BENCH_CACHE or <tmp>/signet-bench-cache) and this run's
 *              folder with its case, for --case next time
 * --case DIR   an existing case: no generation, no import; the modules run on it (a folder
 *              not there yet is built once: the input imported into it, and kept)
 * --ndjson-rows N  rows of the Graph NDJSON (default: --rows; 0 leaves it out)
 * --rounds N   runs of each import measurement (default 2 up to 1M rows, else 1)
 * --no-peers   leave out the sqlite3 and papaparse peers (minutes at 10M rows)
 */
function args(argv: string[]): Args {
  const a: Args = { rows: 1_000_000, ndjsonRows: null, keep: false, only: [], caseDir: null, cacheDir: benchCacheDir(), rounds: null, peers: true };
  const whole = (s: string | undefined, what: string, zero = false): number => {
    const n = Number(String(s).replace(/_/g, ''));
    if (!Number.isInteger(n) || n < (zero ? 0 : 1)) throw new Error(`${what} needs a ${zero ? 'non-negative' : 'positive'} whole number; usage: ${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--rows') a.rows = whole(argv[++i], '--rows');
    else if (x === '--ndjson-rows') a.ndjsonRows = whole(argv[++i], '--ndjson-rows', true);
    else if (x === '--keep') a.keep = true;
    else if (x === '--no-peers') a.peers = false;
    else if (x === '--only') a.only.push(...String(argv[++i]).split(','));
    else if (x === '--case') a.caseDir = resolve(String(argv[++i]));
    else if (x === '--cache') a.cacheDir = resolve(String(argv[++i]));
    else if (x === '--rounds') a.rounds = whole(argv[++i], '--rounds');
    else throw new Error(`Unknown argument ${x}; usage: ${USAGE}`);
  }
  return a;
}

function summary(verdicts: Verdict[], startedMs: number): void {
  const fmt = (v: Verdict): string => (v.field === 'ms' ? `${Math.round(v.value)} ms` : v.field === 'maxRssMb' ? `${v.value} MB` : `${v.value}×`);
  const lim = (v: Verdict): string => (v.field === 'ms' ? `${v.limit} ms` : v.field === 'maxRssMb' ? `${v.limit} MB` : `${v.limit}×`);
  const lines = ['', `# Targets (issues 21, 18 and 22), ${verdicts.filter((v) => v.met).length} of ${verdicts.length} met`];
  for (const v of verdicts) lines.push(`# ${v.met ? 'MET ' : 'MISS'}  ${v.name}: ${fmt(v)} (target ${lim(v)}: ${v.target})${v.met ? '' : `\n#       why [${v.bound}]: ${v.why}`}`);
  const missed = verdicts.filter((v) => !v.met);
  const by = (b: string) => missed.filter((v) => v.bound === b).map((v) => v.name);
  lines.push('#', `# Closing note: ${missed.length === 0 ? 'every target met.' : 'targets missed, by what bounds them:'}`);
  for (const b of ['CPU', 'disk', 'memory', 'Signet'] as const) {
    const names = [...new Set(by(b))];
    if (names.length) lines.push(`#   ${b === 'Signet' ? 'Signet’s own overhead (the raw baseline fits)' : b}: ${names.join('; ')}`);
  }
  lines.push(`# machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB (${Math.round(freemem() / 2 ** 30)} GiB free now), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  lines.push(`# total bench time: ${Math.round((performance.now() - startedMs) / 1000)} s`);
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const started = performance.now();
  const a = args(process.argv.slice(2));
  // Beside the input cache, never in the repository: a 10M-row run writes gigabytes.
  const workDir = join(dirname(a.cacheDir), 'signet-bench-runs', `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(workDir, { recursive: true });
  const verdicts: Verdict[] = [];
  const ctx: BenchContext = {
    rows: a.rows,
    ndjsonRows: a.ndjsonRows ?? a.rows,
    workDir,
    csvPath: null,
    ndjsonPath: null,
    caseDir: a.caseDir ?? join(workDir, 'case-csv'),
    rounds: a.rounds ?? (a.rows <= 1_000_000 ? 2 : 1),
    peers: a.peers,
    report: (figure: Figure) => {
      const v = judge(figure);
      verdicts.push(...v);
      const out: Figure = v.length ? { ...figure, target: v.map((x) => x.target).join('; '), met: v.every((x) => x.met), ...(v.some((x) => !x.met) ? { why: v.filter((x) => !x.met).map((x) => `[${x.bound}] ${x.why}`).join(' | ') } : {}) } : figure;
      console.log(JSON.stringify(out));
    },
  };
  try {
    if (a.caseDir && existsSync(a.caseDir)) {
      // An existing case (kept from an earlier `--keep` run): only the modules after import run.
      ctx.rows = await caseRows(a.caseDir);
      ctx.report({ name: 'bench.case', caseDir: a.caseDir, rows: ctx.rows });
    } else {
      const wanted: Array<[BenchShape, number]> = [['csv', a.rows]];
      if (ctx.ndjsonRows > 0) wanted.push(['ndjson', ctx.ndjsonRows]);
      for (const [shape, rows] of wanted) {
        const inputs = await benchInputs([shape], rows, { keep: a.keep, cacheDir: a.cacheDir, scratch: workDir });
        if (shape === 'csv') ctx.csvPath = inputs.paths.csv!;
        else ctx.ndjsonPath = inputs.paths.ndjson!;
        ctx.report({ name: `bench.input.${shape}`, rows, ms: Math.round(inputs.ms), from: inputs.generated.length ? (a.keep ? 'generated, kept in the cache' : 'generated for this run') : 'cache', path: inputs.paths[shape], generatorVersion: GENERATOR_VERSION });
      }
      const t = performance.now();
      await importBench(ctx);
      ctx.report({ name: 'bench.import.ts.total', ms: Math.round(performance.now() - t) });
    }
    const skip = new Set(['run.ts', 'benchContext.ts', 'import.ts']);
    const modules = readdirSync(__dirname)
      .filter((f) => f.endsWith('.ts') && !skip.has(f))
      .filter((f) => a.only.length === 0 || a.only.includes(f.replace(/\.ts$/, '')))
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
    summary(verdicts, started);
    if (a.keep && !a.caseDir) console.log(`# kept: ${workDir} (reuse the case with --case ${ctx.caseDir})`);
  } finally {
    if (!a.keep) rmSync(workDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
