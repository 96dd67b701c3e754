import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CaseSession } from '../case/caseSession';
import { quoteIdent } from '../db/database';
import { APP_VERSION } from '../../appVersion';
import { appendAudit, auditSettled } from '../custody/audit';
import { hashTreeFiles, type TreeFile } from '../custody/fileHash';
import { caseTables, relationChecksum, sqlPathLiteral, tableColumns, type ColumnInfo } from './tableChecksum';
import type { Manifest } from '../case/manifest';
import { checkOutputFolder, protectedCase, type ProtectedCase } from '../case/outputTarget';

export const EXPORT_MANIFEST = 'signet-export.json';
export const EXPORT_FORMAT = 'signet-parquet-export';

export interface ExportedTable {
  name: string;
  rows: number;
  checksum: string;
  columns: ColumnInfo[];
  /** 'day' when the folder is Hive-partitioned day=YYYY-MM-DD on time_utc. */
  partitionedBy: 'day' | null;
  files: TreeFile[];
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  appVersion: string;
  checksumMethod: string;
  case: Manifest;
  tables: ExportedTable[];
}

export const CHECKSUM_METHOD =
  'rows = count(*); checksum = sum(hash(columns in name order)) computed by DuckDB, excluding the day partition column';

export interface ParquetTargetOptions {
  /** Replace an earlier Signet Parquet export in that folder (--force). */
  replace?: boolean;
  cases?: ProtectedCase[];
}

/**
 * Put the finished folder in place: an empty target is removed first, an earlier export
 * (only with replace) is moved aside and deleted once the new one is in place.
 */
async function placeFolder(staging: string, dir: string): Promise<void> {
  const existing = await readdir(dir).catch(() => null);
  if (existing && existing.length === 0) await rmdir(dir);
  if (existing && existing.length) {
    const aside = `${staging}.old`;
    await rename(dir, aside);
    await rename(staging, dir);
    await rm(aside, { recursive: true, force: true });
  } else await rename(staging, dir);
}

/**
 * Write every case table as Parquet: tables with a time_utc column partitioned by UTC day
 * (Hive layout day=YYYY-MM-DD, which Spark, Trino, ADX and MotherDuck read as is), the
 * others as one file each; beside them the case manifest and per-table row counts,
 * content checksums and file hashes.
 */
export async function exportParquet(session: CaseSession, outDir: string, opts: ParquetTargetOptions = {}): Promise<ExportManifest & { dir: string }> {
  const rules = { replace: opts.replace, cases: [protectedCase(session), ...(opts.cases ?? [])] };
  const dir = await checkOutputFolder(outDir, rules, EXPORT_MANIFEST);
  await mkdir(dirname(dir), { recursive: true });
  // Written beside the target and moved in once complete: a failure leaves no half export.
  const staging = join(dirname(dir), `.${basename(dir)}.${randomBytes(6).toString('hex')}.partial`);
  await mkdir(staging);
  try {
    const result = await writeTables(session, staging);
    await checkOutputFolder(outDir, rules, EXPORT_MANIFEST);
    await placeFolder(staging, dir);
    await appendAudit(session, {
      action: 'export-parquet',
      detail: {
        out: dir,
        tables: result.tables.map((t) => ({ name: t.name, rows: t.rows, checksum: t.checksum, files: t.files.length })),
        manifestSha256: sha256Text(JSON.stringify(result, null, 2) + '\n'),
      },
    });
    return { ...result, dir };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function writeTables(session: CaseSession, dir: string): Promise<ExportManifest> {
  await auditSettled(session);
  const db = session.db;
  const con = await db.connect();
  const tables: ExportedTable[] = [];
  try {
    for (const name of await caseTables(db, 'main', con)) {
      const columns = await tableColumns(db, name, 'main', con);
      const { rows, checksum } = await relationChecksum(db, quoteIdent(name), columns, con);
      const hasTime = columns.some((c) => c.name === 'time_utc' && c.type.startsWith('TIMESTAMP'));
      const hasRowId = columns.some((c) => c.name === 'row_id');
      const target = join(dir, name);
      const partitioned = hasTime && rows > 0;
      // Only unpartitioned tables are ordered: sorting a whole signins table before a
      // partitioned write costs more than it gives (each day folder is already one day).
      const order = !hasTime && hasRowId ? ' ORDER BY row_id' : '';
      if (partitioned) {
        if (columns.some((c) => c.name === 'day')) throw new Error(`Table ${name} already has a column named day; cannot partition by day`);
        await con.run(
          `COPY (SELECT *, strftime(time_utc, '%Y-%m-%d') AS day FROM ${quoteIdent(name)}) TO ${sqlPathLiteral(target)} (FORMAT PARQUET, PARTITION_BY (day), COMPRESSION ZSTD)`,
        );
      } else {
        await mkdir(target, { recursive: true });
        await con.run(`COPY (SELECT * FROM ${quoteIdent(name)}${order}) TO ${sqlPathLiteral(join(target, 'data.parquet'))} (FORMAT PARQUET, COMPRESSION ZSTD)`);
      }
      tables.push({ name, rows, checksum, columns, partitionedBy: partitioned ? 'day' : null, files: await hashTreeFiles(target) });
    }
  } finally {
    con.closeSync();
  }
  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: new Date().toISOString(),
    appVersion: APP_VERSION,
    checksumMethod: CHECKSUM_METHOD,
    case: session.manifest,
    tables,
  };
  await writeFile(join(dir, EXPORT_MANIFEST), JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(session.manifest, null, 2) + '\n', 'utf8');
  return manifest;
}

function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
