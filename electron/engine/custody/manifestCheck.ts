import type { ManifestSource } from '../case/manifest';
import { MANIFEST_FILE } from '../case/manifest';
import type { ChainSource } from './chainRecords';

function label(s: { name?: string; path: string | null; entry?: string | null }): string {
  const name = s.name ?? (s.path ? s.path.split(/[\\/]/).pop() : 'unknown');
  return s.entry ? `${name}!${s.entry}` : String(name);
}

/**
 * manifest.json is a convenience copy; the hash-chained import entries are the record.
 * Every manifest source must have its import entry, agree with it on path, hash, size and
 * counts, and every recorded import must still be listed.
 */
export function checkManifestAgainstChain(sources: ManifestSource[], chain: Map<number, ChainSource>): string[] {
  const problems: string[] = [];
  for (const s of sources) {
    const c = chain.get(s.id);
    if (!c) {
      problems.push(`${MANIFEST_FILE} lists source ${label(s)} (id ${s.id}), but no import of it is recorded in the audit chain`);
      continue;
    }
    const diffs: string[] = [];
    const cmp = (field: string, recorded: string | number | null, listed: string | number | null | undefined) => {
      if (recorded !== null && recorded !== (listed ?? null)) diffs.push(`${field} ${String(recorded)} in the chain, ${String(listed ?? 'none')} in ${MANIFEST_FILE}`);
    };
    cmp('SHA-256', c.sha256, s.sha256);
    cmp('size', c.bytes, s.bytes);
    cmp('path', c.path, s.path);
    if (c.path !== null) cmp('archive entry', c.entry ?? '', s.entry ?? '');
    cmp('read', c.read, s.read);
    cmp('imported', c.imported, s.imported);
    cmp('duplicates', c.duplicates, s.duplicates);
    cmp('rejected', c.rejected, s.rejected);
    if (diffs.length) problems.push(`${MANIFEST_FILE} disagrees with audit entry seq ${c.seq} for source ${label(s)}: ${diffs.join('; ')}`);
  }
  const listed = new Set(sources.map((s) => s.id));
  for (const [id, c] of chain) {
    if (!listed.has(id)) problems.push(`audit entry seq ${c.seq} records the import of ${label({ path: c.path, entry: c.entry })} (SHA-256 ${c.sha256}), but ${MANIFEST_FILE} does not list it`);
  }
  return problems;
}
