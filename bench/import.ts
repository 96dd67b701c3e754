import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './benchContext';

interface Measured {
  ms: number;
  maxRssMb: number;
  rows?: number;
  [k: string]: unknown;
}

/** Run one measurement in a fresh process (tsx), so its peak RSS is its own. */
function child(what: string, file: string, work: string): Measured {
  mkdirSync(work, { recursive: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'lib', 'measureChild.ts'), what, file, work], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Measured;
}

/** sqlite3's own `.import`, timed here and its peak RSS from /usr/bin/time. */
function sqliteImport(file: string, work: string): Measured | string {
  if (!existsSync('/usr/bin/sqlite3')) return 'sqlite3 CLI not installed (/usr/bin/sqlite3); peer skipped';
  const db = join(work, 'peer.sqlite');
  const useTime = existsSync('/usr/bin/time');
  const args = ['-batch', db, '.mode csv', `.import ${file} signins`, 'SELECT count(*) FROM signins;'];
  const t = performance.now();
  const r = useTime ? spawnSync('/usr/bin/time', ['-v', '/usr/bin/sqlite3', ...args], { encoding: 'utf8' }) : spawnSync('/usr/bin/sqlite3', args, { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) return `sqlite3 .import failed: ${r.stderr.slice(0, 300)}`;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { ms, maxRssMb: rss ? Math.round(Number(rss[1]) / 1024) : -1, rows: Number(r.stdout.trim().split('\n').pop()) };
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** Runs of each import measurement; the best is reported (all are listed in runsMs). */
const ROUNDS = 2;

/**
 * Import speed and memory against DuckDB's own raw read of the same file (CREATE TABLE AS
 * SELECT * FROM read_csv / read_json into a fresh database file), with sqlite3 `.import` and
 * papaparse (parse only) as peers. Leaves the imported portal CSV case at ctx.caseDir.
 */
export default async function importBench(ctx: BenchContext): Promise<void> {
  const mb = (p: string): number => Math.round(statSync(p).size / 1024 / 1024);
  for (const [shape, file, raw] of [
    ['csv', ctx.csvPath, 'duckdb-csv'],
    ['json', ctx.jsonPath, 'duckdb-json'],
  ] as const) {
    // Baseline and Signet alternate, ROUNDS times each, and each keeps its best run: on a
    // shared machine a load spike then hits one run, not one side of the ratio.
    const caseDir = shape === 'csv' ? ctx.caseDir : join(ctx.workDir, 'case-json');
    const bases: Measured[] = [];
    const runs: Measured[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rmSync(join(ctx.workDir, `raw-${shape}`), { recursive: true, force: true });
      bases.push(child(raw, file, join(ctx.workDir, `raw-${shape}`)));
      rmSync(caseDir, { recursive: true, force: true });
      runs.push(child('signet', file, caseDir));
    }
    const best = (xs: Measured[]): Measured => xs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const base = { ...best(bases), maxRssMb: Math.min(...bases.map((b) => b.maxRssMb)) };
    const s = { ...best(runs), maxRssMb: Math.min(...runs.map((r) => r.maxRssMb)) };
    ctx.report({ name: `import.${shape}.duckdb-raw-read`, ms: round(base.ms), runsMs: bases.map((b) => round(b.ms)), rows: base.rows, fileMb: mb(file), maxRssMb: base.maxRssMb });
    ctx.report({
      name: `import.${shape}.signet`,
      ms: round(s.ms),
      runsMs: runs.map((r) => round(r.ms)),
      baselineMs: round(base.ms),
      ratio: round(s.ms / base.ms),
      target: '<= 1.3',
      rows: s.rows,
      read: s.read,
      rejected: s.rejected,
      maxRssMb: s.maxRssMb,
      baselineRssMb: base.maxRssMb,
      rssRatio: round(s.maxRssMb / base.maxRssMb),
      rssTarget: '<= 1.3',
    });
    if (shape === 'csv') {
      const peer = sqliteImport(file, join(ctx.workDir, 'raw-csv'));
      if (typeof peer === 'string') ctx.report({ name: 'import.csv.peer.sqlite3-import', skipped: peer });
      else ctx.report({ name: 'import.csv.peer.sqlite3-import', ms: round(peer.ms), baselineMs: round(base.ms), ratio: round(peer.ms / base.ms), rows: peer.rows, maxRssMb: peer.maxRssMb });
      const papa = child('papaparse', file, join(ctx.workDir, 'raw-csv'));
      ctx.report({ name: 'import.csv.peer.papaparse-parse-only', ms: round(papa.ms), baselineMs: round(base.ms), ratio: round(papa.ms / base.ms), rows: papa.rows, maxRssMb: papa.maxRssMb });
    }
  }
}
