import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** Refuse an entry bigger than this once inflated. */
export const MAX_ENTRY_BYTES = 16 * 1024 ** 3;
/** Text exports compress 10-30×; past this ratio (on entries over 64 MiB) it is a decompression bomb. */
export const MAX_RATIO = 200;

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

async function entriesOf(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const out: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      out.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Why an entry must not be inflated, or null when it is fine. */
export function entryRefusal(e: ZipEntryInfo): string | null {
  if (e.uncompressedSize > MAX_ENTRY_BYTES) {
    return `entry "${e.name}" would inflate to ${e.uncompressedSize} bytes (limit ${MAX_ENTRY_BYTES}); not extracted`;
  }
  const ratio = e.compressedSize > 0 ? e.uncompressedSize / e.compressedSize : Infinity;
  if (e.uncompressedSize > 64 * 1024 ** 2 && ratio > MAX_RATIO) {
    return `entry "${e.name}" has a compression ratio of ${Math.round(ratio)}:1 (limit ${MAX_RATIO}:1), which looks like a decompression bomb; not extracted`;
  }
  return null;
}

/** The file entries of an archive, in archive order (directories skipped). */
export async function listZip(path: string): Promise<ZipEntryInfo[]> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  try {
    const entries = await entriesOf(zip);
    return entries
      .filter((e) => !e.fileName.endsWith('/'))
      .map((e) => ({ name: e.fileName, compressedSize: e.compressedSize, uncompressedSize: e.uncompressedSize }));
  } finally {
    zip.close();
  }
}

/**
 * Inflate one entry to `target` (a scratch file, never next to the evidence), hashing the
 * inflated bytes as they stream and stopping if the entry inflates past its declared size.
 * An entry whose data is damaged, cut short or fails its CRC keeps what inflated before the
 * damage; `problem` says what was wrong (null for a whole entry).
 */
export async function extractEntry(path: string, name: string, target: string): Promise<{ sha256: string; bytes: number; problem: string | null }> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  try {
    const entries = await entriesOf(zip);
    const entry = entries.find((e) => e.fileName === name);
    if (!entry) throw new Error(`entry "${name}" is not in ${path}`);
    const refusal = entryRefusal({ name, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
    if (refusal) throw new Error(refusal);
    const hash = createHash('sha256');
    let bytes = 0;
    let crc = 0;
    const limit = entry.uncompressedSize;
    const out = createWriteStream(target);
    let problem: string | null = null;
    try {
      const stream = await zip.openReadStreamPromise(entry);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > limit) throw new Error(`entry "${name}" inflates past its declared size of ${limit} bytes; not extracted`);
        hash.update(chunk);
        crc = crc32(chunk, crc);
        if (!out.write(chunk)) await once(out, 'drain');
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (bytes > limit) {
        out.destroy();
        throw err;
      }
      problem = `entry "${name}" is damaged or cut short after ${bytes} of ${limit} bytes (${msg})`;
    } finally {
      if (!out.destroyed) {
        out.end();
        await once(out, 'finish');
      }
    }
    if (!problem && bytes !== limit) problem = `entry "${name}" holds ${bytes} bytes where the archive declares ${limit}`;
    if (!problem && (crc >>> 0) !== (entry.crc32 >>> 0)) problem = `entry "${name}" fails its CRC check (the archive says ${(entry.crc32 >>> 0).toString(16)}, the data gives ${(crc >>> 0).toString(16)})`;
    return { sha256: hash.digest('hex'), bytes, problem };
  } finally {
    zip.close();
  }
}
