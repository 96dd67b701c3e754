import { open, readFile, stat } from 'node:fs/promises';
import { join, resolve, basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CaseSession } from '../case/caseSession';
import type { ManifestSource } from '../case/manifest';
import { quoteIdent } from '../db/database';
import { SIGNINS_TABLE } from '../schema/canonical';
import { appendAudit } from '../custody/audit';
import { CONTENT_TABLES } from '../custody/contentTables';
import { hashSourcePath } from '../custody/sourceCheck';
import { hashTreeFiles } from '../custody/fileHash';
import { AUDIT_TABLE } from '../custody/schema';
import { EXPORT_FORMAT, EXPORT_MANIFEST, type ExportManifest } from './exportParquet';
import { caseTables, relationChecksum, sqlPathLiteral, tableColumns, type ColumnInfo } from './tableChecksum';

/** The audit log of the case a hand-off came from is kept beside the new case's own chain. */
export const SOURCE_AUDIT_TABLE = 'source_audit_log';

export interface ImportedTable {
  name: string;
  into: string;
  rows: number;
  checksum: string;
}

export interface SignetCaseImport {
  path: string;
  kind: 'parquet' | 'duckdb';
  sha256: string;
  tables: ImportedTable[];
}

interface TableIn {
  name: string;
  columns: ColumnInfo[];
  /** FROM-clause relation the rows are read from. */
  relation: string;
  /** Row count and checksum the rows must reproduce once copied. */
  expected: { rows: number; checksum: string };
}

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Is this path a Parquet folder written by export-parquet, or a DuckDB file? (for the importer's shape detection) */
export async function signetCaseKind(path: string): Promise<'parquet' | 'duckdb' | null> {
  const st = await stat(path).catch(() => null);
  if (!st) return null;
  if (st.isDirectory()) {
    const text = await readFile(join(path, EXPORT_MANIFEST), 'utf8').catch(() => null);
    return text && (JSON.parse(text) as { format?: string }).format === EXPORT_FORMAT ? 'parquet' : null;
  }
  // DuckDB files carry the magic "DUCK" at byte 8.
  const head = Buffer.alloc(12);
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, 12, 0);
  } finally {
    await fh.close();
  }
  return head.subarray(8, 12).toString('latin1') === 'DUCK' ? 'duckdb' : null;
}

async function parquetTables(dir: string): Promise<{ manifest: ExportManifest; tables: TableIn[] }> {
  const manifest = JSON.parse(await readFile(join(dir, EXPORT_MANIFEST), 'utf8')) as ExportManifest;
  if (manifest.format !== EXPORT_FORMAT) throw new Error(`${join(dir, EXPORT_MANIFEST)} is not a Signet Parquet export`);
  const tables: TableIn[] = [];
  for (const t of manifest.tables) {
    if (!SAFE_NAME.test(t.name)) throw new Error(`${EXPORT_MANIFEST}: table name ${JSON.stringify(t.name)} is not a plain identifier`);
    // The files must be the ones the export wrote before any row is trusted.
    const onDisk = await hashTreeFiles(join(dir, t.name)).catch(() => []);
    const want = new Map(t.files.map((f) => [f.path, f.sha256]));
    for (const f of onDisk) if (!want.has(f.path)) throw new Error(`${t.name}/${f.path} is not listed in ${EXPORT_MANIFEST} (added after export?)`);
    for (const f of t.files) {
      const got = onDisk.find((x) => x.path === f.path);
      if (!got) throw new Error(`${t.name}/${f.path} listed in ${EXPORT_MANIFEST} is missing`);
      if (got.sha256 !== f.sha256) throw new Error(`${t.name}/${f.path} has changed since export (SHA-256 ${f.sha256} → ${got.sha256})`);
    }
    const glob = join(dir, t.name, t.partitionedBy ? '**/*.parquet' : '*.parquet');
    const relation = t.partitionedBy
      ? `(SELECT * EXCLUDE (${quoteIdent(t.partitionedBy)}) FROM read_parquet(${sqlPathLiteral(glob)}, hive_partitioning = true))`
      : `read_parquet(${sqlPathLiteral(glob)})`;
    tables.push({ name: t.name, columns: t.columns, relation, expected: { rows: t.rows, checksum: t.checksum } });
  }
  return { manifest, tables };
}

async function duckdbTables(session: CaseSession, con: DuckDBConnection, alias: string): Promise<TableIn[]> {
  const names = await caseTables(session.db, alias, con);
  if (!names.includes(SIGNINS_TABLE)) throw new Error(`The DuckDB file has no ${SIGNINS_TABLE} table; it was not written by Signet`);
  const out: TableIn[] = [];
  for (const name of names) {
    if (!SAFE_NAME.test(name)) continue;
    const columns = await tableColumns(session.db, name, alias, con);
    const relation = `${quoteIdent(alias)}.main.${quoteIdent(name)}`;
    out.push({ name, columns, relation, expected: await relationChecksum(session.db, relation, columns, con) });
  }
  return out;
}

/**
 * Load a Signet hand-off (a Parquet folder written by export-parquet, or a Signet case
 * .duckdb) into an empty case, table by table, and prove every table arrived intact:
 * row counts and content checksums must equal those of the export (or the source file).
 * The original audit chain is kept as source_audit_log; this case's own chain records
 * the import with the source's hash.
 */
export async function importParquetCase(session: CaseSession, path: string): Promise<SignetCaseImport> {
  const abs = resolve(path);
  const kind = await signetCaseKind(abs);
  if (!kind) throw new Error(`${abs} is neither a Signet Parquet export (no ${EXPORT_MANIFEST}) nor a DuckDB file`);
  const existing = Number(await session.db.scalar(`SELECT count(*) FROM ${SIGNINS_TABLE}`));
  if (existing > 0) throw new Error(`A Signet case hand-off opens into a new, empty case; this case already holds ${existing} sign-ins`);
  const { sha256, bytes } = await hashSourcePath(abs);
  const db = session.db;
  const con = await db.connect();
  const alias = 'signet_source';
  const imported: ImportedTable[] = [];
  let original: ExportManifest['case'] | null = null;
  try {
    let tables: TableIn[];
    if (kind === 'parquet') {
      const p = await parquetTables(abs);
      tables = p.tables;
      original = p.manifest.case;
    } else {
      await con.run(`ATTACH ${sqlPathLiteral(abs)} AS ${quoteIdent(alias)} (READ_ONLY)`);
      tables = await duckdbTables(session, con, alias);
    }
    const here = new Set(await caseTables(db, 'main', con));
    await con.run('BEGIN TRANSACTION');
    try {
      for (const t of tables) {
        const into = t.name === AUDIT_TABLE ? SOURCE_AUDIT_TABLE : t.name;
        const cols = t.columns.map((c) => quoteIdent(c.name)).join(', ');
        if (here.has(into)) await con.run(`INSERT INTO ${quoteIdent(into)} (${cols}) SELECT ${cols} FROM ${t.relation}`);
        else await con.run(`CREATE TABLE ${quoteIdent(into)} AS SELECT ${cols} FROM ${t.relation}`);
        const got = await relationChecksum(db, quoteIdent(into), t.columns, con);
        if (got.rows !== t.expected.rows || got.checksum !== t.expected.checksum) {
          throw new Error(
            `Table ${t.name} did not arrive intact: expected ${t.expected.rows} rows / checksum ${t.expected.checksum}, got ${got.rows} / ${got.checksum}`,
          );
        }
        imported.push({ name: t.name, into, rows: got.rows, checksum: got.checksum });
      }
      await con.run('COMMIT');
    } catch (err) {
      await con.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    if (kind === 'duckdb') await con.run(`DETACH ${quoteIdent(alias)}`).catch(() => undefined);
    con.closeSync();
  }
  const signins = imported.find((t) => t.name === SIGNINS_TABLE)?.rows ?? 0;
  const st = await stat(abs);
  const source: ManifestSource = {
    id: session.manifest.sources.reduce((m, s) => Math.max(m, s.id), 0) + 1,
    path: abs,
    name: basename(abs),
    sha256,
    bytes,
    mtimeMs: st.mtimeMs,
    shape: kind === 'parquet' ? 'signet-parquet' : 'signet-duckdb',
    logType: null,
    read: signins,
    imported: signins,
    duplicates: 0,
    rejected: 0,
    errors: [],
    importedAt: new Date().toISOString(),
  };
  session.manifest.sources.push(source);
  await session.saveManifest();
  session.changed();
  await appendAudit(session, {
    action: 'source-imported',
    detail: {
      source: source.name,
      path: abs,
      sha256,
      bytes,
      shape: source.shape,
      tables: imported,
      originalCase: original ? { name: original.name, createdAt: original.createdAt, sources: original.sources.map((s) => ({ name: s.name, sha256: s.sha256, bytes: s.bytes })) } : null,
      sourceId: source.id,
    },
    tables: CONTENT_TABLES,
  });
  return { path: abs, kind, sha256, tables: imported };
}
