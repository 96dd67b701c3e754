import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CaseSession } from '../case/caseSession';
import { quoteIdent } from '../db/database';
import { APP_VERSION } from '../../appVersion';
import { appendAudit, auditSettled } from '../custody/audit';
import { hashTreeFiles, type TreeFile } from '../custody/fileHash';
import { caseTables, relationChecksum, sqlPathLiteral, tableColumns, type ColumnInfo } from './tableChecksum';
import type { Manifest } from '../case/manifest';

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

async function ensureEmptyDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const existing = await readdir(dir);
  if (existing.length) throw new Error(`Export folder ${dir} is not empty; choose a new or empty folder so no earlier export is mixed in`);
}

/**
 * Write every case table as Parquet: tables with a time_utc column partitioned by UTC day
 * (Hive layout day=YYYY-MM-DD, which Spark, Trino, ADX and MotherDuck read as is), the
 * others as one file each; beside them the case manifest and per-table row counts,
 * content checksums and file hashes.
 */
export async function exportParquet(session: CaseSession, outDir: string): Promise<ExportManifest & { dir: string }> {
  const dir = resolve(outDir);
  await ensureEmptyDir(dir);
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
  await appendAudit(session, {
    action: 'export-parquet',
    detail: {
      out: dir,
      tables: tables.map((t) => ({ name: t.name, rows: t.rows, checksum: t.checksum, files: t.files.length })),
      manifestSha256: sha256Text(JSON.stringify(manifest, null, 2) + '\n'),
    },
  });
  return { ...manifest, dir };
}

function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
