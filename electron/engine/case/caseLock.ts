import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'case.lock';

/** Who has a case open for changes. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  app: string;
}

/** A second writer: the message is one sentence naming the holder. */
export class CaseLocked extends Error {
  readonly code = 'case_locked';
  constructor(
    readonly dir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `The case ${dir} is already open for changes in another Signet (process ${holder.pid} on ${holder.host}, ${holder.app}, since ${holder.since}); close it there, or open it read-only.`
        : `The case ${dir} is already open for changes in another Signet (its ${LOCK_FILE} cannot be read); close it there, or delete ${join(dir, LOCK_FILE)} if no Signet has it open.`,
    );
  }
}

/**
 * One writer per case, enforced by Signet itself. DuckDB's own lock is a POSIX record
 * lock, which the process loses as soon as it closes ANY descriptor of case.duckdb (a
 * file copy, a hash), so it cannot be relied on. This lock is a file created exclusively,
 * holding the holder's process, host and start time, kept for the whole session.
 *
 * A lock left by a process that died on this host is taken over (the holder is returned
 * so the take-over can be recorded); a lock from another host is never second-guessed.
 */
export class CaseLock {
  private released = false;

  private constructor(
    readonly dir: string,
    readonly path: string,
    readonly holder: LockHolder,
    /** The dead holder whose lock this one replaced, if any. */
    readonly tookOver: LockHolder | null,
  ) {}

  /** Take the lock, or throw CaseLocked. Errors of the file system (read-only media) are thrown as they are. */
  static acquire(dir: string, app: string): CaseLock {
    const key = lockKey(dir);
    const mine = held.get(key);
    if (mine) throw new CaseLocked(dir, mine.holder);
    const path = join(dir, LOCK_FILE);
    let tookOver: LockHolder | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), app };
      if (createExclusive(path, holder)) {
        const lock = new CaseLock(dir, path, holder, tookOver);
        held.set(key, lock);
        installExitHandlers();
        return lock;
      }
      const current = readHolder(path);
      if (current === 'gone') continue;
      if (!isStale(current, path)) throw new CaseLocked(dir, current === 'unreadable' ? null : current);
      // Moved aside rather than deleted: of two processes taking over at once, only one
      // rename succeeds, and the other then finds the new lock.
      const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
      try {
        renameSync(path, aside);
        unlinkSync(aside);
      } catch {
        continue;
      }
      tookOver = current === 'unreadable' ? null : current;
    }
    throw new CaseLocked(dir, null);
  }

  /** Give the lock up (only if the file is still ours). Safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(lockKey(this.dir));
    const current = readHolder(this.path);
    if (typeof current === 'object' && current.pid === this.holder.pid && current.since === this.holder.since && current.host === this.holder.host) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone.
      }
    }
  }
}

function lockKey(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return dir;
  }
}

function createExclusive(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(holder) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): LockHolder | 'unreadable' | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string') return { pid: h.pid, host: h.host, since: String(h.since ?? '?'), app: String(h.app ?? 'Signet') };
  } catch {
    // fall through
  }
  return 'unreadable';
}

/** Same host and the process is gone; or an unreadable lock file older than a minute (a crash while writing it). */
function isStale(holder: LockHolder | 'unreadable', path: string): boolean {
  if (holder === 'unreadable') {
    try {
      return Date.now() - statSync(path).mtimeMs > 60_000;
    } catch {
      return false;
    }
  }
  if (holder.host !== hostname()) return false;
  // This process, but not a lock it holds now (acquire checked): left by an earlier session.
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const held = new Map<string, CaseLock>();
let handlersInstalled = false;

function releaseAll(): void {
  for (const lock of [...held.values()]) lock.release();
}

/**
 * Locks go with the process: on exit, and on the usual termination signals when nobody
 * else handles them (then the signal's default action still ends the process).
 */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', releaseAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // Whoever else handles the signal shuts down in order (closing the case releases it).
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      releaseAll();
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** The holder recorded in a case's lock file, if any (for messages and tests). */
export function lockHolder(dir: string): LockHolder | null {
  const h = readHolder(join(dir, LOCK_FILE));
  return typeof h === 'object' ? h : null;
}
