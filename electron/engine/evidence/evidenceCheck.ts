import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { CaseSession } from '../case/caseSession';
import type { ManifestSource } from '../case/manifest';
import { readAuditDb } from '../custody/audit';
import { chainSourcesById } from '../custody/chainRecords';
import { hashFile } from '../custody/fileHash';

// A record is only shown as read from the evidence once the whole file has been hashed in
// this session and matched the SHA-256 its import recorded. Size and modification time
// alone prove nothing: a same-length edit with the mtime put back passes them. The result
// is cached per file under its identity and change time (ctime moves on every write and on
// every utimes call, and cannot be set back), so a later edit is hashed again.

export interface EvidenceHashCheck {
  ok: boolean;
  expected: string;
  actual: string;
}

const sessions = new WeakMap<CaseSession, Map<string, { key: string; check: Promise<EvidenceHashCheck> }>>();

/** What identifies the bytes on disk without reading them: any write changes it. */
export function fileIdentity(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/** The SHA-256 the hash-chained import entry recorded for the source, else the manifest's. */
async function recordedSha256(session: CaseSession, source: ManifestSource): Promise<string> {
  const chain = chainSourcesById(await readAuditDb(session), session.manifest.sources.map((s) => s.id));
  return chain.get(source.id)?.sha256 ?? source.sha256;
}

/**
 * Check (once per session and file state) that the evidence file still hashes to what its
 * import recorded. `st` is the stat taken just before; the caller stats again after reading
 * a record to be sure the file did not change in between.
 */
export function checkEvidenceHash(session: CaseSession, source: ManifestSource, st: Stats): Promise<EvidenceHashCheck> {
  let files = sessions.get(session);
  if (!files) {
    files = new Map();
    sessions.set(session, files);
  }
  const key = fileIdentity(st);
  const cached = files.get(source.path);
  if (cached && cached.key === key) return cached.check;
  const check = (async () => {
    const [expected, actual] = await Promise.all([recordedSha256(session, source), hashFile(source.path)]);
    return { ok: expected === actual, expected, actual };
  })();
  files.set(source.path, { key, check });
  // A failed read is not remembered: the next request tries again.
  check.catch(() => files.delete(source.path));
  return check;
}

/** Forget what this session checked (for a relink, or a test). */
export function forgetEvidenceChecks(session: CaseSession): void {
  sessions.delete(session);
}

export async function sameFileState(path: string, st: Stats): Promise<boolean> {
  const now = await stat(path).catch(() => null);
  return now !== null && fileIdentity(now) === fileIdentity(st);
}
