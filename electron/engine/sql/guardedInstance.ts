import { rm } from 'node:fs/promises';
import { copyWithoutReleasingLocks } from '../case/copyCaseFile';
import { totalmem, cpus } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '../db/duckdb';
import type { CaseSession } from '../case/caseSession';
import { createSnapshotFolder, removeSnapshotFolder } from './snapshotFolder';

/** Name the case's tables carry inside the console instance (`FROM signins` works unqualified). */
export const CONSOLE_CATALOG = 'case';

/**
 * The console never touches the case database itself. The app's own DuckDB instance has
 * the case open read-write and needs file access (imports), and DuckDB's file-access and
 * configuration settings are instance-wide, so the console gets an instance of its own:
 *
 * 1. the main instance copies the case (COPY FROM DATABASE, one consistent transaction)
 *    into a snapshot file in a private temporary folder;
 * 2. a fresh in-memory instance attaches that snapshot READ_ONLY, sets its memory limit,
 *    spill folder and threads, then turns external access off and locks its
 *    configuration. From then on no statement on it can read or write any file, load an
 *    extension, attach a database or change a setting; writes to the case tables fail
 *    because the catalog is read-only, and the file is a copy anyway.
 *
 * Opening case.duckdb a second time in the same process (even read-only) is not safe:
 * both instances would share POSIX locks on the file and the second one would read
 * blocks the first is rewriting.
 */
export class GuardedInstance {
  private closed = false;

  private constructor(
    readonly instance: DuckDBInstance,
    private readonly folder: string,
    readonly fingerprint: string,
    readonly memoryLimit: string,
  ) {}

  static async create(session: CaseSession, fingerprint: string): Promise<GuardedInstance> {
    const folder = await createSnapshotFolder();
    const snapshot = join(folder, 'snapshot.duckdb');
    const spill = join(folder, 'spill');
    try {
      // Fast path: checkpoint, copy the file, and accept the copy only if every table holds
      // the same number of rows as the case. Otherwise copy table by table in one transaction.
      const expected = await fileSnapshot(session, snapshot).catch(() => null);
      if (!expected) await copyCase(session, snapshot);
      const instance = await DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
      const con = await instance.connect();
      const memoryLimit = consoleMemoryLimit();
      try {
        await con.run(`ATTACH '${snapshot.replace(/'/g, "''")}' AS "${CONSOLE_CATALOG}" (READ_ONLY)`);
        if (expected && (await tableCounts(con, CONSOLE_CATALOG).catch(() => '')) !== expected) {
          await con.run(`DETACH "${CONSOLE_CATALOG}"`);
          await rm(snapshot, { force: true });
          await copyCase(session, snapshot);
          await con.run(`ATTACH '${snapshot.replace(/'/g, "''")}' AS "${CONSOLE_CATALOG}" (READ_ONLY)`);
        }
        await con.run(`SET temp_directory = '${spill.replace(/'/g, "''")}'`);
        await con.run(`SET memory_limit = '${memoryLimit}'`);
        await con.run(`SET threads = ${Math.max(1, cpus().length - 1)}`);
        await con.run(`SET enable_external_access = false`);
        await con.run(`SET lock_configuration = true`);
      } finally {
        con.closeSync();
      }
      return new GuardedInstance(instance, folder, fingerprint, memoryLimit);
    } catch (err) {
      await removeSnapshotFolder(folder);
      throw err;
    }
  }

  /** A connection whose default catalog is the case snapshot. */
  async connect(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('The console instance was closed');
    const con = await this.instance.connect();
    await con.run(`USE "${CONSOLE_CATALOG}"`);
    return con;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.instance.closeSync();
    } finally {
      await removeSnapshotFolder(this.folder);
    }
  }
}

/** A quarter of the machine's memory, at most 4 GB: a runaway query spills, then fails. */
function consoleMemoryLimit(): string {
  const mb = Math.max(256, Math.min(4096, Math.floor(totalmem() / 1024 / 1024 / 4)));
  return `${mb}MB`;
}

/** Every table's exact row count, as one comparable string. */
async function tableCounts(con: DuckDBConnection, catalog: string): Promise<string> {
  const names = (
    await con.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name`, [catalog])
  ).getRowObjectsJson();
  const parts: string[] = [];
  for (const r of names) {
    const name = String(r.table_name);
    const n = (await con.runAndReadAll(`SELECT count(*) AS n FROM "${catalog.replace(/"/g, '""')}".main."${name.replace(/"/g, '""')}"`)).getRowObjectsJson()[0]!.n;
    parts.push(`${name}=${String(n)}`);
  }
  return parts.join(',');
}

/**
 * CHECKPOINT then a file copy; returns the row counts the copy must show, or null. The copy
 * is made by another process: opening and closing case.duckdb here would drop this
 * process's DuckDB lock on it and let a second process write into the open case.
 */
async function fileSnapshot(session: CaseSession, target: string): Promise<string | null> {
  const con = await session.db.connect();
  try {
    await con.run('CHECKPOINT');
    const current = String(await session.db.scalar('SELECT current_database()', [], con));
    const expected = await tableCounts(con, current);
    await copyWithoutReleasingLocks(session.db.path, target);
    // A write that landed between the counts and the copy shows up as a mismatch later.
    return expected;
  } finally {
    con.closeSync();
  }
}

/** Copy every table and view of the case into a new database file, in one transaction. */
async function copyCase(session: CaseSession, target: string): Promise<void> {
  const con = await session.db.connect();
  const alias = `signet_console_snapshot_${++snapshotSeq}`;
  try {
    const current = String(await session.db.scalar('SELECT current_database()', [], con));
    await con.run(`ATTACH '${target.replace(/'/g, "''")}' AS ${alias}`);
    try {
      await con.run(`COPY FROM DATABASE "${current.replace(/"/g, '""')}" TO ${alias}`);
    } finally {
      await con.run(`DETACH ${alias}`);
    }
  } finally {
    con.closeSync();
  }
}

let snapshotSeq = 0;
