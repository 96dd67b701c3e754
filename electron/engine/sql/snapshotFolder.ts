import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The private temporary folders that hold the console's snapshot of a case (and its spill
 * files). They are copies of case data, so none may outlive the process that made it:
 * removed when the console closes, when building it fails and at process exit. A process
 * that ends without an exit event (a termination signal's default action, a kill, an
 * abort inside a native library) leaves its folder behind; the folder name carries the
 * process id, and the next console of any Signet process removes folders whose process
 * is gone. No signal handler here: the case lock already decides whether a signal ends
 * the process, and two handlers that each defer to "someone else" would keep it alive.
 */
const PREFIX = 'signet-console-';
const live = new Set<string>();

export async function createSnapshotFolder(): Promise<string> {
  await removeOrphanedSnapshotFolders();
  const folder = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
  live.add(folder);
  watchProcessEnd();
  return folder;
}

export async function removeSnapshotFolder(folder: string): Promise<void> {
  live.delete(folder);
  await rm(folder, { recursive: true, force: true });
}

/** Folders left by Signet processes that no longer run. */
export async function removeOrphanedSnapshotFolders(dir = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeAllNow(): void {
  for (const f of live) rmSync(f, { recursive: true, force: true });
  live.clear();
}

let watching = false;

function watchProcessEnd(): void {
  if (watching) return;
  watching = true;
  process.once('exit', removeAllNow);
}
