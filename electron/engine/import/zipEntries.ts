import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
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
 */
export async function extractEntry(path: string, name: string, target: string): Promise<{ sha256: string; bytes: number }> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  try {
    const entries = await entriesOf(zip);
    const entry = entries.find((e) => e.fileName === name);
    if (!entry) throw new Error(`entry "${name}" is not in ${path}`);
    const refusal = entryRefusal({ name, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
    if (refusal) throw new Error(refusal);
    const hash = createHash('sha256');
    let bytes = 0;
    const limit = entry.uncompressedSize;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > limit) {
          cb(new Error(`entry "${name}" inflates past its declared size of ${limit} bytes; not extracted`));
          return;
        }
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    const stream = await zip.openReadStreamPromise(entry);
    await pipeline(stream, counter, createWriteStream(target));
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    zip.close();
  }
}
