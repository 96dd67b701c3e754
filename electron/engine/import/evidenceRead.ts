import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { constants as zlibConstants, createGunzip } from 'node:zlib';

/** Streaming SHA-256 of a file, opened read-only. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { flags: 'r', highWaterMark: 1 << 20 }), async function* (src: AsyncIterable<Buffer>) {
    for await (const chunk of src) hash.update(chunk);
  });
  return hash.digest('hex');
}

export interface FileFacts {
  bytes: number;
  mtimeMs: number;
  /** Changes on every write, and cannot be set back the way mtime can. */
  ctimeMs: number;
  ino: number;
  isFile: boolean;
}

export async function fileFacts(path: string): Promise<FileFacts> {
  const s = await stat(path);
  return { bytes: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino, isFile: s.isFile() };
}

/** The evidence changed while it was read: its hash and its rows may describe different bytes. */
export class EvidenceChangedError extends Error {}

/**
 * Throw EvidenceChangedError when `path` is no longer the file `before` describes (size,
 * modification and change times, inode): written, replaced or touched during the import.
 */
export async function assertUnchanged(path: string, display: string, before: FileFacts): Promise<void> {
  const now = await fileFacts(path).catch(() => null);
  const same = now && now.bytes === before.bytes && now.mtimeMs === before.mtimeMs && now.ctimeMs === before.ctimeMs && now.ino === before.ino;
  if (!same) {
    throw new EvidenceChangedError(
      `${display}: the file changed while it was being imported (${now ? `size ${before.bytes} -> ${now.bytes}, modified or replaced` : 'it is gone'}); its hash and its rows might not describe the same bytes, so nothing of it was imported. Import it again once nothing writes to it`,
    );
  }
}

/** The first `max` bytes of a file (read-only). */
export async function readHeadBytes(path: string, max: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first `max` decompressed bytes of a gzip file; a truncated stream gives what it had. */
export async function readGzipHead(path: string, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  const src = createReadStream(path, { flags: 'r' });
  const gunzip = createGunzip();
  await new Promise<void>((resolve) => {
    const finish = (): void => {
      src.destroy();
      gunzip.destroy();
      resolve();
    };
    gunzip.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      total += chunk.length;
      if (total >= max) finish();
    });
    gunzip.on('end', finish);
    gunzip.on('error', finish);
    src.on('error', finish);
    src.pipe(gunzip);
  });
  return Buffer.concat(parts).subarray(0, max);
}

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

export function encodingOf(head: Buffer): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** Swap byte pairs so Node's utf16le decoder can read big-endian text. */
function swapPairs(buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  out.swap16();
  return out;
}

/**
 * Transcode a UTF-16 file (optionally gzipped) to a UTF-8 copy at `target` — never next to
 * the evidence, always in the case's scratch folder — so DuckDB can read it by path.
 */
export async function transcodeUtf16(path: string, gzip: boolean, bigEndian: boolean, target: string): Promise<void> {
  const decoder = new TextDecoder('utf-16le');
  let carry: Buffer | null = null;
  let first = true;
  const toUtf8 = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      let buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      carry = null;
      if (buf.length % 2) {
        carry = buf.subarray(buf.length - 1);
        buf = buf.subarray(0, buf.length - 1);
      }
      if (bigEndian) buf = swapPairs(buf);
      let text = decoder.decode(buf, { stream: true });
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      cb(null, Buffer.from(text, 'utf8'));
    },
    flush(cb) {
      cb(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | Transform | Readable> = [createReadStream(path, { flags: 'r' })];
  if (gzip) stages.push(createGunzip());
  stages.push(toUtf8, createWriteStream(target));
  await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
}

/** A decoded text head, for sniffing. */
export function decodeHead(head: Buffer, encoding: TextEncoding): string {
  if (encoding === 'utf-16le') return new TextDecoder('utf-16le').decode(head.subarray(2)).replace(/\uFFFD$/, '');
  if (encoding === 'utf-16be') return new TextDecoder('utf-16le').decode(swapPairs(head.subarray(2, head.length - (head.length % 2))));
  const text = new TextDecoder('utf-8').decode(encoding === 'utf-8-bom' ? head.subarray(3) : head);
  return text;
}

/** NUL bytes or many control characters in the head: not a text export. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\u0000')) return true;
  let ctrl = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32)) ctrl++;
  }
  return sample.length > 0 && ctrl / sample.length > 0.01;
}

/**
 * Inflate a gzip file into `target` (a scratch file). A stream that is cut short or damaged
 * gives everything before the damage and says what was wrong; null when the file is whole.
 */
export async function gunzipToFile(path: string, target: string): Promise<{ problem: string | null }> {
  const inflate = async (syncFlush: boolean): Promise<string | null> => {
    try {
      await pipeline(
        createReadStream(path, { flags: 'r', highWaterMark: 1 << 20 }),
        createGunzip(syncFlush ? { finishFlush: zlibConstants.Z_SYNC_FLUSH } : {}),
        createWriteStream(target),
      );
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  const problem = await inflate(false);
  if (problem === null) return { problem: null };
  // Inflating to the end of what is there (rather than stopping at the error) keeps every whole record before the cut.
  const truncated = /unexpected end of file/i.test(problem);
  if (truncated) await inflate(true);
  return { problem: truncated ? 'the gzip stream is truncated (it ends before its end marker)' : `the gzip stream is damaged (${problem})` };
}
