import { execFile } from 'node:child_process';
import { copyFile } from 'node:fs/promises';

/**
 * Copy a case database file without touching this process's locks on it. DuckDB locks
 * case.duckdb with a POSIX record lock, which a process loses when it closes ANY
 * descriptor of the file, so the copy is made by another process (`cp`), whose opening
 * and closing of the file releases nothing of ours. Windows locks per handle, so a plain
 * copy is safe there.
 */
export async function copyWithoutReleasingLocks(from: string, to: string): Promise<void> {
  if (process.platform === 'win32') return copyFile(from, to);
  await new Promise<void>((resolve, reject) => {
    execFile('cp', [from, to], { windowsHide: true }, (err, _stdout, stderr) => {
      if (!err) resolve();
      else reject(Object.assign(new Error(`Cannot copy ${from}: ${String(stderr).trim() || err.message}`), { code: (err as NodeJS.ErrnoException).code }));
    });
  });
}
