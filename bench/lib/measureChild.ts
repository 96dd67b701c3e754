// One measurement in its own process, so peak RSS belongs to that measurement alone.
// Prints one JSON line: {"ms": ..., "maxRssMb": ..., ...}.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

// Each measurement loads only what it measures: the baseline is DuckDB as it comes, while
// loading the engine first would configure DuckDB's allocator the engine's way.
async function duckdbRaw(kind: 'csv' | 'json', file: string, dbPath: string): Promise<Record<string, unknown>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(dbPath, { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const con = await inst.connect();
  const reader = kind === 'csv' ? 'read_csv' : 'read_json';
  const t = performance.now();
  await con.run(`CREATE TABLE t AS SELECT * FROM ${reader}($1)`, [file]);
  const ms = performance.now() - t;
  const n = (await con.runAndReadAll('SELECT count(*) AS n FROM t')).getRowObjectsJson()[0]!.n;
  con.closeSync();
  inst.closeSync();
  return { ms, rows: Number(n) };
}

async function signet(file: string, caseDir: string): Promise<Record<string, unknown>> {
  const { CaseSession } = await import('../../electron/engine/case/caseSession');
  const { importFiles } = await import('../../electron/engine/import/importFiles');
  const t = performance.now();
  const session = await CaseSession.create(caseDir, 'bench');
  const [s] = await importFiles(session, [file], { signal: new AbortController().signal, progress: () => undefined });
  const ms = performance.now() - t;
  session.close();
  return { ms, rows: s!.imported, read: s!.read, rejected: s!.rejected, duplicates: s!.duplicates, errors: s!.errors.slice(0, 3) };
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

async function main(): Promise<void> {
  const [what, file, work] = process.argv.slice(2) as [string, string, string];
  let out: Record<string, unknown>;
  if (what === 'duckdb-csv') out = await duckdbRaw('csv', file, join(work, 'raw-csv.duckdb'));
  else if (what === 'duckdb-json') out = await duckdbRaw('json', file, join(work, 'raw-json.duckdb'));
  else if (what === 'signet') out = await signet(file, work);
  else if (what === 'papaparse') out = await papaparse(file);
  else throw new Error(`unknown measurement ${what}`);
  out.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify(out));
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exitCode = 1;
});
