import { accessSync, constants, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Database } from '../db/database';
import { ensureCaseSchema } from '../schema/caseSchema';
import { Pager } from '../query/pager';
import { DATABASE_FILE, MANIFEST_FILE, readManifest, writeManifest, type Manifest } from './manifest';
import { discardUnfinishedImports } from '../import/importFiles';
import { CaseLock, CaseLocked, LOCK_FILE, type LockHolder } from './caseLock';
import { copyWithoutReleasingLocks } from './copyCaseFile';
import { APP_VERSION } from '../../appVersion';
import { appendAudit } from '../custody/audit';

/**
 * How a case is opened:
 * - write: the caller changes the case; refused while another Signet holds it or when its
 *   folder cannot be written;
 * - read: the caller only reads (info, query, export, report, verify): it holds the lock
 *   when it is free, so what it does is recorded in the audit log; otherwise it reads a
 *   private snapshot and records nothing;
 * - app: the desktop app or the browser mode: writable, or read-only when the case sits on
 *   write-protected media; refused while another Signet holds it.
 */
export type CaseAccess = 'write' | 'read' | 'app';

/** Something would change a case that is open read-only; one sentence says why not. */
export class CaseReadOnly extends Error {
  readonly code = 'case_read_only';
}

/** A folder that is neither empty nor a Signet case is never used as one. */
export class NotACaseFolder extends Error {
  readonly code = 'not_a_case';
}

/** Whether a case folder can be written; replaceable so tests can stand in for write-protected media. */
export const caseMedia = {
  writable(dir: string): boolean {
    try {
      accessSync(dir, constants.W_OK);
      if (existsSync(join(dir, DATABASE_FILE))) accessSync(join(dir, DATABASE_FILE), constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
};

const READ_ONLY_MEDIA = 'its folder cannot be written (write-protected media or a read-only copy)';

/** An open case: its folder, its DuckDB database and its manifest. */
export class CaseSession {
  /** Bumped whenever rows, tags or findings change, so cached grid views are rebuilt. */
  private version = 0;
  readonly pager: Pager;
  /**
   * While an import runs: the first source id it writes. Its rows are committed before its
   * sources enter the manifest (written last), and are not the case's until then.
   */
  importingFrom: number | null = null;

  private constructor(
    readonly dir: string,
    readonly db: Database,
    public manifest: Manifest,
    /** Why the case is read-only (a clause: "it is open …"), or null when this session may change it. */
    readonly readOnly: string | null,
    /** The dead holder whose lock this session took over, for the audit log. */
    readonly tookOverFrom: LockHolder | null,
  ) {
    this.pager = new Pager(db, () => this.version);
  }

  get dataVersion(): number {
    return this.version;
  }

  changed(): void {
    this.version++;
  }

  /** Throw the one-sentence refusal when the session may not change the case. */
  requireWritable(what: string): void {
    if (this.readOnly) throw new CaseReadOnly(`The case ${this.dir} is open read-only because ${this.readOnly}, so ${what} was not done.`);
  }

  static async create(dir: string, appVersion: string, name?: string): Promise<CaseSession> {
    const abs = resolve(dir);
    if (existsSync(abs)) {
      if (!statSync(abs).isDirectory()) throw new NotACaseFolder(`Refused to use ${abs} as a case: it is a file, not a folder.`);
      if (existsSync(join(abs, DATABASE_FILE))) return CaseSession.open(abs, { access: 'write' });
      const others = readdirSync(abs).filter((n) => n !== LOCK_FILE);
      if (others.length) {
        throw new NotACaseFolder(
          `Refused to use ${abs} as a case: the folder is not empty and not a Signet case, so Signet will not put its files among another tool's; choose a new or empty folder.`,
        );
      }
    }
    await mkdir(abs, { recursive: true });
    if (!caseMedia.writable(abs)) throw new CaseReadOnly(`Cannot create a case in ${abs}: ${READ_ONLY_MEDIA}.`);
    const lock = CaseLock.acquire(abs, appLabel());
    try {
      const manifest: Manifest = {
        format: 'signet-case',
        version: 1,
        name: name ?? basename(abs),
        createdAt: new Date().toISOString(),
        appVersion,
        sources: [],
      };
      const db = await Database.open(join(abs, DATABASE_FILE));
      db.whenClosed(() => lock.release());
      await ensureCaseSchema(db);
      await writeManifest(abs, manifest);
      return new CaseSession(abs, db, manifest, null, lock.tookOver);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Open an existing case; by default for reading (see CaseAccess). */
  static async open(dir: string, opts: { access?: CaseAccess } = {}): Promise<CaseSession> {
    const access = opts.access ?? 'read';
    const abs = resolve(dir);
    if (!existsSync(join(abs, MANIFEST_FILE)) || !existsSync(join(abs, DATABASE_FILE))) {
      throw new NotACaseFolder(`${abs} is not a Signet case (no ${existsSync(join(abs, MANIFEST_FILE)) ? DATABASE_FILE : MANIFEST_FILE} in it).`);
    }
    if (!caseMedia.writable(abs)) {
      if (access === 'write') throw new CaseReadOnly(`The case ${abs} is read-only because ${READ_ONLY_MEDIA}, so it cannot be changed.`);
      return CaseSession.openSnapshot(abs, READ_ONLY_MEDIA);
    }
    let lock: CaseLock;
    try {
      lock = CaseLock.acquire(abs, appLabel());
    } catch (err) {
      if (err instanceof CaseLocked && access === 'read') {
        const h = err.holder;
        return CaseSession.openSnapshot(abs, h ? `it is open for changes in another Signet (process ${h.pid} on ${h.host}, since ${h.since})` : 'it is open for changes in another Signet');
      }
      throw err;
    }
    try {
      const manifest = await readManifest(abs);
      let db: Database;
      try {
        db = await Database.open(join(abs, DATABASE_FILE));
      } catch (err) {
        // A holder that keeps no case.lock (another program, an older Signet) still holds DuckDB's.
        const refused = lockConflict(err, abs);
        if (refused instanceof CaseLocked && access === 'read') {
          lock.release();
          return await CaseSession.openSnapshot(abs, 'another program has its database open');
        }
        throw refused;
      }
      db.whenClosed(() => lock.release());
      try {
        await ensureCaseSchema(db);
        const session = new CaseSession(abs, db, manifest, null, lock.tookOver);
        await discardUnfinishedImports(session);
        if (lock.tookOver) await appendAudit(session, { action: 'case-lock-taken-over', detail: { from: { ...lock.tookOver }, reason: 'its process had ended' } });
        return session;
      } catch (err) {
        db.close();
        throw err;
      }
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /**
   * A private copy of the case, opened from a temporary folder: nothing in the case folder
   * is opened for writing or locked, and whatever the session does stays in the copy. A
   * copy caught in the middle of the holder's checkpoint fails to open and is taken again.
   */
  private static async openSnapshot(abs: string, reason: string): Promise<CaseSession> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const folder = await mkdtemp(join(tmpdir(), 'signet-readonly-'));
      snapshotFolders.add(folder);
      try {
        const manifest = await readManifest(abs);
        const copy = join(folder, DATABASE_FILE);
        await copyWithoutReleasingLocks(join(abs, DATABASE_FILE), copy);
        const wal = join(abs, `${DATABASE_FILE}.wal`);
        if (existsSync(wal)) await copyWithoutReleasingLocks(wal, `${copy}.wal`).catch(() => undefined);
        const db = await Database.open(copy);
        db.whenClosed(() => {
          snapshotFolders.delete(folder);
          rmSync(folder, { recursive: true, force: true });
        });
        try {
          await ensureCaseSchema(db);
          const session = new CaseSession(abs, db, manifest, reason, null);
          await discardUnfinishedImports(session);
          return session;
        } catch (err) {
          db.close();
          throw err;
        }
      } catch (err) {
        lastError = err;
        snapshotFolders.delete(folder);
        await rm(folder, { recursive: true, force: true });
      }
    }
    throw new Error(`Cannot read the case ${abs} while ${reason}: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  }

  async saveManifest(): Promise<void> {
    this.requireWritable('saving its manifest');
    await writeManifest(this.dir, this.manifest);
  }

  close(): void {
    this.db.close();
  }
}

function appLabel(): string {
  return `Signet ${APP_VERSION}${process.versions.electron ? ' (desktop)' : ''}`;
}

/** DuckDB's own lock text never reaches the user: it becomes one sentence. */
function lockConflict(err: unknown, dir: string): Error {
  const text = err instanceof Error ? err.message : String(err);
  if (/Conflicting lock|Could not set lock/i.test(text)) {
    const pid = /PID (\d+)/.exec(text)?.[1];
    return new CaseLocked(dir, { pid: pid ? Number(pid) : 0, host: hostname(), since: 'an unknown time', app: 'a program that keeps no Signet lock' });
  }
  return err instanceof Error ? err : new Error(text);
}

const snapshotFolders = new Set<string>();
// Snapshots are copies of case data: never leave them behind in the temp folder.
process.once('exit', () => {
  for (const f of snapshotFolders) rmSync(f, { recursive: true, force: true });
});
