import { stat } from 'node:fs/promises';
import type { CaseSession } from '../case/caseSession';
import type { ManifestSource } from '../case/manifest';
import { hashFile, hashTreeFiles, hashZipEntry, treeHash } from './fileHash';
import type { ChainSource } from './chainRecords';

export type SourceStatus = 'ok' | 'missing' | 'changed' | 'unreadable';

export interface SourceCheck {
  id: number;
  name: string;
  path: string;
  status: SourceStatus;
  expectedSha256: string;
  actualSha256: string | null;
  expectedBytes: number;
  actualBytes: number | null;
  message: string;
}

/** Sources are files; a Parquet case export opened as a source is a folder hashed as a tree. */
export async function hashSourcePath(path: string, onBytes?: (n: number) => void): Promise<{ sha256: string; bytes: number }> {
  const st = await stat(path);
  if (st.isDirectory()) {
    const files = await hashTreeFiles(path);
    return { sha256: treeHash(files), bytes: files.reduce((n, f) => n + f.bytes, 0) };
  }
  return { sha256: await hashFile(path, onBytes), bytes: st.size };
}

export interface VerifyProgress {
  sourcesDone: number;
  sources: number;
  bytesDone: number;
  /** Bytes recorded at import for every source: the denominator of the progress bar. */
  bytesTotal: number;
  current: string | null;
}

function label(s: ManifestSource): string {
  return s.entry ? `${s.name}!${s.entry}` : s.name;
}

/**
 * Re-hash every source and compare with the hash taken at import: the one the hash-chained
 * audit entry of the import recorded (`chain`, by source id), else the manifest's. Several
 * sources can share one path (entries of one archive); it is hashed once.
 */
export async function checkSources(session: CaseSession, onProgress?: (p: VerifyProgress) => void, chain: Map<number, ChainSource> = new Map()): Promise<SourceCheck[]> {
  const cache = new Map<string, Promise<{ sha256: string; bytes: number }>>();
  const out: SourceCheck[] = [];
  const sources = session.manifest.sources;
  const progress: VerifyProgress = { sourcesDone: 0, sources: sources.length, bytesDone: 0, bytesTotal: sources.reduce((n, s) => n + s.bytes, 0), current: null };
  let lastReport = 0;
  const onBytes = (n: number) => {
    progress.bytesDone += n;
    const now = Date.now();
    if (now - lastReport > 200) {
      lastReport = now;
      onProgress?.({ ...progress });
    }
  };
  for (const [i, listed] of sources.entries()) {
    const recorded = chain.get(listed.id);
    const s: ManifestSource = recorded ? { ...listed, sha256: recorded.sha256, path: recorded.path ?? listed.path, bytes: recorded.bytes ?? listed.bytes } : listed;
    const where = recorded ? ` (recorded in audit entry seq ${recorded.seq})` : '';
    progress.current = label(s);
    progress.sourcesDone = i;
    onProgress?.({ ...progress });
    const base = { id: s.id, name: label(s), path: s.path, expectedSha256: s.sha256, expectedBytes: s.bytes };
    let actual: { sha256: string; bytes: number };
    try {
      let p = cache.get(s.path);
      if (!p) {
        p = hashSourcePath(s.path, onBytes);
        cache.set(s.path, p);
      }
      actual = await p;
      // An archive entry may be recorded with the hash of its inflated bytes rather than
      // of the archive; either identifies the evidence.
      if (s.entry && actual.sha256 !== s.sha256) actual = await hashZipEntry(s.path, s.entry);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const missing = code === 'ENOENT' || code === 'ENOTDIR';
      out.push({
        ...base,
        status: missing ? 'missing' : 'unreadable',
        actualSha256: null,
        actualBytes: null,
        message: missing
          ? `source ${label(s)} is missing: ${s.path}${s.entry ? ` (entry ${s.entry})` : ''} does not exist (moved? use Relink to point at the new folder)`
          : `source ${label(s)} cannot be read at ${s.path}: ${err instanceof Error ? err.message : String(err)}`,
      });
      continue;
    }
    const same = actual.sha256 === s.sha256;
    const sizeNote = actual.bytes !== s.bytes ? `, size ${s.bytes} → ${actual.bytes} bytes` : '';
    out.push({
      ...base,
      status: same ? 'ok' : 'changed',
      actualSha256: actual.sha256,
      actualBytes: actual.bytes,
      message: same
        ? `source ${label(s)} matches its SHA-256`
        : `source ${label(s)} has changed since import: SHA-256 ${s.sha256} at import${where}, now ${actual.sha256}${sizeNote} (${s.path})`,
    });
  }
  onProgress?.({ ...progress, sourcesDone: sources.length, current: null });
  return out;
}
