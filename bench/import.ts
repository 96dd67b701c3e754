import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './benchContext';

interface Measured {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  rows?: number;
  read?: number;
  rejected?: number;
  duplicates?: number;
  dbBytes?: number;
  caseBytes?: number;
}

/** Run one measurement in a fresh process (tsx), so its peak RSS is its own. */
function child(what: string, files: string[], work: string): Measured {
  mkdirSync(work, { recursive: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'lib', 'measureChild.ts'), what, files.join('\n'), work], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Measured;
}

/** sqlite3's own `.import`, timed here and its peak RSS from /usr/bin/time. */
function sqliteImport(file: string, work: string): Measured | string {
  if (!existsSync('/usr/bin/sqlite3')) return 'not installed (no /usr/bin/sqlite3)';
  mkdirSync(work, { recursive: true });
  const db = join(work, 'peer.sqlite');
  rmSync(db, { force: true });
  const useTime = existsSync('/usr/bin/time');
  const args = ['-batch', db, '.mode csv', `.import ${file} signins`, 'SELECT count(*) FROM signins;'];
  const t = performance.now();
  const r = useTime ? spawnSync('/usr/bin/time', ['-v', '/usr/bin/sqlite3', ...args], { encoding: 'utf8' }) : spawnSync('/usr/bin/sqlite3', args, { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) return `sqlite3 .import failed: ${r.stderr.slice(0, 300)}`;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  const out = { ms, cpuMs: user && sys ? Math.round((Number(user[1]) + Number(sys[1])) * 1000) : -1, maxRssMb: rss ? Math.round(Number(rss[1]) / 1024) : -1, rows: Number(r.stdout.trim().split('\n').pop()), dbBytes: statSync(db).size };
  rmSync(db, { force: true });
  return out;
}

const round = (x: number): number => Math.round(x * 100) / 100;
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/**
 * Import speed and memory against DuckDB's own raw read of the same file (CREATE TABLE AS
 * SELECT * FROM read_csv / read_json into a fresh database file, in its own process), with
 * sqlite3 `.import` and papaparse (parse only) as peers; the case folder's size against the
 * raw table's database file; and two files read one after the other against both at once.
 * Leaves the imported portal CSV case at ctx.caseDir.
 */
export default async function importBench(ctx: BenchContext): Promise<void> {
  const shapes: Array<['csv' | 'ndjson', string, number]> = [];
  if (ctx.csvPath) shapes.push(['csv', ctx.csvPath, ctx.rows]);
  if (ctx.ndjsonPath) shapes.push(['ndjson', ctx.ndjsonPath, ctx.ndjsonRows]);
  for (const [shape, file, rows] of shapes) {
    // Baseline and Signet alternate, ctx.rounds times each, and each keeps its best run: on a
    // shared machine a load spike then hits one run, not one side of the ratio.
    const caseDir = shape === 'csv' ? ctx.caseDir : join(ctx.workDir, 'case-ndjson');
    const rawDir = join(ctx.workDir, `raw-${shape}`);
    const bases: Measured[] = [];
    const runs: Measured[] = [];
    for (let i = 0; i < ctx.rounds; i++) {
      rmSync(rawDir, { recursive: true, force: true });
      bases.push(child('duckdb-raw', [file], rawDir));
      rmSync(caseDir, { recursive: true, force: true });
      runs.push(child('signet', [file], caseDir));
    }
    rmSync(rawDir, { recursive: true, force: true });
    const best = (xs: Measured[]): Measured => xs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const base = { ...best(bases), maxRssMb: Math.min(...bases.map((b) => b.maxRssMb)) };
    const s = { ...best(runs), maxRssMb: Math.min(...runs.map((r) => r.maxRssMb)) };
    const fileMb = mb(statSync(file).size);
    ctx.report({ name: `import.${shape}.duckdb-raw-read`, ms: round(base.ms), runsMs: bases.map((b) => round(b.ms)), cpuMs: base.cpuMs, rows: base.rows, fileMb, maxRssMb: base.maxRssMb, dbMb: mb(Number(base.dbBytes)) });
    ctx.report({
      name: `import.${shape}.signet`,
      ms: round(s.ms),
      runsMs: runs.map((r) => round(r.ms)),
      baselineMs: round(base.ms),
      ratio: round(s.ms / base.ms),
      cpuMs: s.cpuMs,
      baselineCpuMs: base.cpuMs,
      // CPU seconds hold under a shared machine's load where wall time does not.
      cpuRatio: round(s.cpuMs / base.cpuMs),
      rows: s.rows,
      sourceRows: rows,
      read: s.read,
      rejected: s.rejected,
      duplicates: s.duplicates,
      fileMb,
      mbPerSecond: round(fileMb / (s.ms / 1000)),
      maxRssMb: s.maxRssMb,
      baselineRssMb: base.maxRssMb,
      rssRatio: round(s.maxRssMb / base.maxRssMb),
    });
    ctx.report({
      name: `import.${shape}.case-size`,
      caseMb: mb(Number(s.caseBytes)),
      baselineMb: mb(Number(base.dbBytes)),
      sizeRatio: round(Number(s.caseBytes) / Number(base.dbBytes)),
      note: 'the case folder (case.duckdb + manifest + audit) after import, against the database file of DuckDB’s own table of the same file',
    });
    if (shape === 'csv' && !ctx.peers) ctx.report({ name: 'import.csv.peer.sqlite3-import', skipped: '--no-peers' });
    if (shape === 'csv' && ctx.peers) {
      const peer = sqliteImport(file, join(ctx.workDir, 'peer-sqlite'));
      if (typeof peer === 'string') ctx.report({ name: 'import.csv.peer.sqlite3-import', skipped: peer });
      else {
        ctx.report({ name: 'import.csv.peer.sqlite3-import', ms: round(peer.ms), baselineMs: round(base.ms), ratio: round(peer.ms / base.ms), cpuMs: peer.cpuMs, rows: peer.rows, maxRssMb: peer.maxRssMb, dbMb: mb(Number(peer.dbBytes)) });
        ctx.report({ name: 'import.csv.signet-vs-sqlite3', ms: round(s.ms), baselineMs: round(peer.ms), ratio: round(s.ms / peer.ms) });
      }
      if (rows <= 1_000_000) {
        const papa = child('papaparse', [file], join(ctx.workDir, 'raw-csv'));
        ctx.report({ name: 'import.csv.peer.papaparse-parse-only', ms: round(papa.ms), baselineMs: round(base.ms), ratio: round(papa.ms / base.ms), rows: papa.rows, maxRssMb: papa.maxRssMb });
      } else ctx.report({ name: 'import.csv.peer.papaparse-parse-only', skipped: 'run at 1M rows only (a single-threaded parse with no target)' });
    }
  }
  if (ctx.csvPath && ctx.ndjsonPath) {
    // Two files given together: DuckDB reading them one after the other, and both at once on
    // two connections of one database (each read already uses every core), then Signet.
    const pair = [ctx.csvPath, ctx.ndjsonPath];
    const dir = join(ctx.workDir, 'pair');
    rmSync(dir, { recursive: true, force: true });
    const seq = child('duckdb-raw', pair, dir);
    rmSync(dir, { recursive: true, force: true });
    const par = child('duckdb-raw-parallel', pair, dir);
    rmSync(dir, { recursive: true, force: true });
    const sig = child('signet', pair, dir);
    rmSync(dir, { recursive: true, force: true });
    ctx.report({ name: 'import.two-files.duckdb-sequential', ms: round(seq.ms), cpuMs: seq.cpuMs, rows: seq.rows, maxRssMb: seq.maxRssMb });
    ctx.report({ name: 'import.two-files.duckdb-parallel', ms: round(par.ms), baselineMs: round(seq.ms), ratio: round(par.ms / seq.ms), cpuMs: par.cpuMs, rows: par.rows, maxRssMb: par.maxRssMb });
    ctx.report({ name: 'import.two-files.signet', ms: round(sig.ms), baselineMs: round(Math.min(seq.ms, par.ms)), ratio: round(sig.ms / Math.min(seq.ms, par.ms)), rows: sig.rows, read: sig.read, maxRssMb: sig.maxRssMb, cpuMs: sig.cpuMs });
  }
}
