import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { CaseSession } from '../case/caseSession';
import type { ManifestSource } from '../case/manifest';
import { appendAudit } from './audit';
import { hashFile, hashTreeFiles, hashZipEntry, treeHash } from './fileHash';
import { checkSources } from './sourceCheck';

export interface RelinkResult {
  dir: string;
  relinked: { id: number; name: string; from: string; to: string; sha256: string }[];
  /** Sources still not found (named), after looking at every candidate in the folder. */
  notFound: { id: number; name: string; sha256: string }[];
  /** Sources that already matched and were left alone. */
  unchanged: number;
  scannedFiles: number;
  hashedFiles: number;
}

interface Candidate {
  path: string;
  bytes: number;
  isDir: boolean;
}

async function scan(dir: string, out: Candidate[], depth = 0): Promise<void> {
  if (depth > 12) return;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names.sort()) {
    const full = join(dir, name);
    const st = await stat(full).catch(() => null);
    if (!st) continue;
    if (st.isDirectory()) {
      out.push({ path: full, bytes: 0, isDir: true });
      await scan(full, out, depth + 1);
    } else if (st.isFile()) out.push({ path: full, bytes: st.size, isDir: false });
  }
}

/**
 * The case is keyed on hashes, not paths: when the evidence has moved, look in the new
 * folder for files whose size matches a missing (or altered) source, hash only those, and
 * point the manifest at the file with the recorded SHA-256. Nothing is relinked on a name
 * or size alone.
 */
export async function relinkSources(session: CaseSession, newDir: string): Promise<RelinkResult> {
  const dir = resolve(newDir);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new Error(`${dir} is not a folder`);
  const checks = await checkSources(session);
  const broken = session.manifest.sources.filter((s) => checks.find((c) => c.id === s.id)?.status !== 'ok');
  const candidates: Candidate[] = [{ path: dir, bytes: 0, isDir: true }];
  await scan(dir, candidates);
  const fileHashes = new Map<string, Promise<string | null>>();
  const hashOnce = (path: string, compute: () => Promise<string>) => {
    let p = fileHashes.get(path);
    if (!p) {
      p = compute().catch(() => null);
      fileHashes.set(path, p);
    }
    return p;
  };
  const result: RelinkResult = { dir, relinked: [], notFound: [], unchanged: session.manifest.sources.length - broken.length, scannedFiles: candidates.filter((c) => !c.isDir).length, hashedFiles: 0 };

  const matches = async (s: ManifestSource, c: Candidate): Promise<boolean> => {
    if (s.shape === 'signet-parquet') {
      if (!c.isDir) return false;
      return (await hashOnce(`${c.path}/`, async () => treeHash(await hashTreeFiles(c.path)))) === s.sha256;
    }
    if (c.isDir) return false;
    if (s.entry) {
      // Archive entries: the archive keeps its name or at least its kind.
      if (basename(c.path) !== basename(s.path) && !/\.zip$/i.test(c.path)) return false;
      if ((await hashOnce(c.path, () => hashFile(c.path))) === s.sha256) return true;
      return (await hashOnce(`${c.path}!${s.entry}`, async () => (await hashZipEntry(c.path, s.entry!)).sha256)) === s.sha256;
    }
    if (c.bytes !== s.bytes) return false;
    return (await hashOnce(c.path, () => hashFile(c.path))) === s.sha256;
  };

  for (const s of broken) {
    let found: Candidate | null = null;
    for (const c of candidates) {
      if (await matches(s, c)) {
        found = c;
        break;
      }
    }
    if (!found) {
      result.notFound.push({ id: s.id, name: s.entry ? `${s.name}!${s.entry}` : s.name, sha256: s.sha256 });
      continue;
    }
    result.relinked.push({ id: s.id, name: s.entry ? `${s.name}!${s.entry}` : s.name, from: s.path, to: found.path, sha256: s.sha256 });
    s.path = found.path;
  }
  result.hashedFiles = fileHashes.size;
  if (result.relinked.length) {
    await session.saveManifest();
    // The importer mirrors the manifest in a sources table; keep it in step when present.
    const hasTable = Number(await session.db.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'sources' AND schema_name = 'main' AND NOT temporary`));
    if (hasTable) for (const r of result.relinked) await session.db.run(`UPDATE sources SET path = ? WHERE id = ?`, [r.to, r.id]);
  }
  await appendAudit(session, {
    action: 'sources-relinked',
    detail: { dir, relinked: result.relinked, notFound: result.notFound, scannedFiles: result.scannedFiles, hashedFiles: result.hashedFiles },
    tables: ['sources'],
  });
  return result;
}
