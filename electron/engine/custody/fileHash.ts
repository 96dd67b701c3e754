import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import yauzl, { type Entry } from 'yauzl';
import { entryRefusal } from '../import/zipEntries';

/** SHA-256 of a file's bytes, streamed (evidence is opened read-only and never loaded whole). */
export function hashFile(path: string, onBytes?: (n: number) => void): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const h = createHash('sha256');
    const s = createReadStream(path, { flags: 'r', highWaterMark: 1024 * 1024 });
    s.on('data', (chunk) => {
      h.update(chunk);
      onBytes?.(chunk.length);
    });
    s.on('error', reject);
    s.on('end', () => resolvePromise(h.digest('hex')));
  });
}

export interface TreeFile {
  /** Path relative to the tree root, with forward slashes. */
  path: string;
  bytes: number;
  sha256: string;
}

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  for (const name of await readdir(dir)) {
    const full = join(dir, name);
    const st = await stat(full);
    if (st.isDirectory()) await walk(root, full, out);
    else if (st.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
}

/** Every file under a folder, sorted by relative path, each with its size and hash. */
export async function hashTreeFiles(root: string): Promise<TreeFile[]> {
  const files: string[] = [];
  await walk(root, root, files);
  files.sort();
  const out: TreeFile[] = [];
  for (const f of files) {
    const full = join(root, ...f.split('/'));
    out.push({ path: f, bytes: (await stat(full)).size, sha256: await hashFile(full) });
  }
  return out;
}

/** One hash for a whole folder: SHA-256 over "relative path NUL sha256 LF" of every file, sorted. */
export function treeHash(files: TreeFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.sha256}\n`, 'utf8');
  return h.digest('hex');
}

/**
 * SHA-256 of one archive entry's inflated bytes, streamed without writing anything to
 * disk. The importer's refusal rules (size, compression ratio) apply here too.
 */
export async function hashZipEntry(path: string, name: string): Promise<{ sha256: string; bytes: number }> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  try {
    const entry = await new Promise<Entry | null>((resolveEntry, reject) => {
      zip.on('entry', (e: Entry) => (e.fileName === name ? resolveEntry(e) : zip.readEntry()));
      zip.on('end', () => resolveEntry(null));
      zip.on('error', reject);
      zip.readEntry();
    });
    if (!entry) throw Object.assign(new Error(`entry "${name}" is not in ${path}`), { code: 'ENOENT' });
    const refusal = entryRefusal({ name, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
    if (refusal) throw new Error(refusal);
    const h = createHash('sha256');
    let bytes = 0;
    const stream = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      h.update(chunk);
    }
    return { sha256: h.digest('hex'), bytes };
  } finally {
    zip.close();
  }
}
