import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaseSession } from './caseSession';
import { sha256File } from '../import/evidenceRead';
import { extractEntry } from '../import/zipEntries';

export interface SourceCheck {
  id: number;
  path: string;
  status: 'ok' | 'changed' | 'missing';
  expected: string;
  actual: string | null;
}

/**
 * Re-hash every source of the case (streaming SHA-256, read-only). Archive entries are
 * re-inflated into the case's scratch folder and hashed as they were at import.
 */
export async function verifySources(session: CaseSession): Promise<{ ok: boolean; sources: SourceCheck[] }> {
  const sources: SourceCheck[] = [];
  const scratch = join(session.dir, '.import-tmp', `verify-${randomUUID()}`);
  try {
    for (const s of session.manifest.sources) {
      const display = s.entry ? `${s.path}!${s.entry}` : s.path;
      let actual: string | null;
      try {
        if (s.entry) {
          await mkdir(scratch, { recursive: true });
          const target = join(scratch, `${s.id}.entry`);
          actual = (await extractEntry(s.path, s.entry, target)).sha256;
          await rm(target, { force: true });
        } else actual = await sha256File(s.path);
      } catch {
        actual = null;
      }
      const status = actual === null ? 'missing' : actual === s.sha256 ? 'ok' : 'changed';
      sources.push({ id: s.id, path: display, status, expected: s.sha256, actual });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
  return { ok: sources.every((s) => s.status === 'ok'), sources };
}
