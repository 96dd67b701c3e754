import { open, type FileHandle } from 'node:fs/promises';
import { JsonValueScanner, type RecordIndex } from './recordIndex';

// Reads one record back from an evidence file (opened read-only) with the marks its import
// scan kept: seek to the nearest mark, walk to the record, return its text.

const CHUNK = 1 << 16;
const LF = 10;
const QUOTE = 34;

/** How far a record extends from its first byte. */
export type RecordExtent = 'line' | 'csv-record' | 'json-value';

async function* chunksFrom(fh: FileHandle, position: number): AsyncGenerator<{ at: number; bytes: Buffer }> {
  let pos = position;
  for (;;) {
    const buf = Buffer.alloc(CHUNK);
    const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
    if (bytesRead === 0) return;
    yield { at: pos, bytes: buf.subarray(0, bytesRead) };
    pos += bytesRead;
  }
}

function nearestMark(index: RecordIndex, ordinal: number): [number, number] | null {
  let best: [number, number] | null = null;
  for (const m of index.marks) {
    if (m[0] <= ordinal && (!best || m[0] > best[0])) best = m;
  }
  return best;
}

/** Byte offset where `line` (1-based) starts, walking from the nearest kept line start. */
async function lineStart(fh: FileHandle, index: RecordIndex, line: number): Promise<number | null> {
  const mark = nearestMark(index, line);
  if (!mark) return null;
  let current = mark[0];
  if (current === line) return mark[1];
  for await (const { at, bytes } of chunksFrom(fh, mark[1])) {
    for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) {
      current++;
      if (current === line) return at + i + 1;
    }
  }
  return null;
}

/** Byte offset where JSON record `ordinal` (1-based) starts. */
async function valueStart(fh: FileHandle, index: RecordIndex, ordinal: number, depth: 0 | 1): Promise<number | null> {
  const mark = nearestMark(index, ordinal);
  if (!mark) return null;
  if (mark[0] === ordinal) return mark[1];
  // A mark sits on a record's first byte, where the scan is at the record depth, outside strings.
  const scanner = new JsonValueScanner(depth);
  scanner.depth = depth;
  scanner.count = mark[0] - 1;
  scanner.expect = depth === 1;
  for await (const { at, bytes } of chunksFrom(fh, mark[1])) {
    let found = -1;
    scanner.feed(bytes, (i) => {
      if (found < 0 && scanner.count === ordinal) found = at + i;
    });
    if (found >= 0) return found;
  }
  return null;
}

/** The record's bytes from `start`: to the end of its line, of its CSV record, or of its JSON value. */
async function extentFrom(fh: FileHandle, start: number, extent: RecordExtent, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  let quotes = 0;
  // The record starts at `start`: it ends where its depth returns to zero.
  const json = new JsonValueScanner(0);
  for await (const { bytes } of chunksFrom(fh, start)) {
    let end = -1;
    if (extent === 'line') {
      end = bytes.indexOf(LF);
    } else if (extent === 'csv-record') {
      for (let i = 0; i < bytes.length && end < 0; i++) {
        if (bytes[i] === QUOTE) quotes++;
        else if (bytes[i] === LF && quotes % 2 === 0) end = i;
      }
    } else {
      json.feed(
        bytes,
        () => undefined,
        (after) => {
          if (end < 0) end = after;
        },
      );
    }
    const take = end >= 0 ? bytes.subarray(0, end) : bytes;
    parts.push(take);
    total += take.length;
    if (end >= 0 || total >= maxBytes) break;
  }
  return Buffer.concat(parts).subarray(0, maxBytes);
}

export interface RecordLocation {
  path: string;
  index: RecordIndex;
  /** Line number (unit 'line') or record number (unit 'json-value'), 1-based. */
  ordinal: number;
  extent: RecordExtent;
  /** For json-value records: the depth the import scan counted records at. */
  depth?: 0 | 1;
}

/** The record's text, or null when the file has fewer records than the row says. */
export async function readRecordText(loc: RecordLocation, maxBytes: number): Promise<string | null> {
  const fh = await open(loc.path, 'r');
  try {
    const start = loc.index.unit === 'line' ? await lineStart(fh, loc.index, loc.ordinal) : await valueStart(fh, loc.index, loc.ordinal, loc.depth ?? 1);
    if (start === null) return null;
    const bytes = await extentFrom(fh, start, loc.extent, maxBytes);
    return bytes.toString('utf8').replace(/^\uFEFF/, '').replace(/\r$/, '');
  } finally {
    await fh.close();
  }
}
