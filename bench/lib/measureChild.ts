// One measurement in its own process, so peak RSS belongs to that measurement alone.
// Prints one JSON line: {"ms": ..., "cpuMs": ..., "maxRssMb": ..., ...}.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

/** Bytes of a file or of everything under a folder. */
export function bytesOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, name) => n + bytesOf(join(path, name)), 0);
}

// Each measurement loads only what it measures: the baseline is DuckDB as it comes, while
// loading the engine first would configure DuckDB's allocator the engine's way.
async function duckdbRaw(kinds: ('csv' | 'json')[], files: string[], dbPath: string, parallel: boolean): Promise<Record<string, unknown>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(dbPath, { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const read = async (i: number): Promise<void> => {
    const con = await inst.connect();
    const reader = kinds[i] === 'csv' ? 'read_csv' : 'read_json';
    await con.run(`CREATE TABLE t${i} AS SELECT * FROM ${reader}($1)`, [files[i]!]);
    con.closeSync();
  };
  const t = performance.now();
  if (parallel) await Promise.all(files.map((_, i) => read(i)));
  else for (let i = 0; i < files.length; i++) await read(i);
  const ms = performance.now() - t;
  const con = await inst.connect();
  let rows = 0;
  for (let i = 0; i < files.length; i++) rows += Number((await con.runAndReadAll(`SELECT count(*) AS n FROM t${i}`)).getRowObjectsJson()[0]!.n);
  con.closeSync();
  inst.closeSync();
  return { ms, rows, dbBytes: bytesOf(dbPath) };
}

async function signet(files: string[], caseDir: string): Promise<Record<string, unknown>> {
  const { CaseSession } = await import('../../electron/engine/case/caseSession');
  const { importFiles } = await import('../../electron/engine/import/importFiles');
  const t = performance.now();
  const session = await CaseSession.create(caseDir, 'bench');
  const all = await importFiles(session, files, { signal: new AbortController().signal, progress: () => undefined });
  const ms = performance.now() - t;
  session.close();
  const sum = (k: 'imported' | 'read' | 'rejected' | 'duplicates'): number => all.reduce((n, s) => n + s[k], 0);
  return { ms, rows: sum('imported'), read: sum('read'), rejected: sum('rejected'), duplicates: sum('duplicates'), errors: all.flatMap((s) => s.errors).slice(0, 3), caseBytes: bytesOf(caseDir) };
}

async function papaparse(file: string): Promise<Record<string, unknown>> {
  const t = performance.now();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(createReadStream(file), {
      header: false,
      step: () => {
        rows++;
      },
      complete: () => resolve(),
      error: (err: Error) => reject(err),
    });
  });
  return { ms: performance.now() - t, rows: rows - 1 };
}

const kindOf = (f: string): 'csv' | 'json' => (f.endsWith('.csv') ? 'csv' : 'json');

async function main(): Promise<void> {
  const [what, list, work] = process.argv.slice(2) as [string, string, string];
  // Several files are passed joined by a NUL-free separator the bench never puts in a path.
  const files = list.split('\n');
  let out: Record<string, unknown>;
  if (what === 'duckdb-raw') out = await duckdbRaw(files.map(kindOf), files, join(work, 'raw.duckdb'), false);
  else if (what === 'duckdb-raw-parallel') out = await duckdbRaw(files.map(kindOf), files, join(work, 'raw.duckdb'), true);
  else if (what === 'signet') out = await signet(files, work);
  else if (what === 'papaparse') out = await papaparse(files[0]!);
  else throw new Error(`unknown measurement ${what}`);
  const u = process.resourceUsage();
  out.cpuMs = Math.round((u.userCPUTime + u.systemCPUTime) / 1000);
  out.maxRssMb = Math.round(u.maxRSS / 1024);
  console.log(JSON.stringify(out));
}

if (process.argv[1]?.endsWith('measureChild.ts')) {
  void main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exitCode = 1;
  });
}
