import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';

// Where each CSV record starts (byte offset and physical line) in the text DuckDB reads, found
// by one pass that follows RFC 4180 quoting as Python's csv module does: a quote opens a quoted
// cell only at the start of a cell, a doubled quote inside one is a quote, and text after a
// closing quote goes on as an unquoted cell. Blank lines are no records (DuckDB skips them).

const LF = 10;
const CR = 13;
const QUOTE = 34;

const REC_START = 0;
const FIELD_START = 1;
const UNQUOTED = 2;
const QUOTED = 3;
const QUOTE_IN_QUOTED = 4;

export interface CsvRecordStarts {
  /** Records after the header, in file order. */
  count: number;
  /** Byte offset of each record's first byte (in the normalised copy when one was written). */
  offsets: Float64Array;
  /** Physical line (1-based) where each record starts. */
  lines: Float64Array;
  /** Records ended by CRLF and by a bare LF: both non-zero means mixed line endings. */
  crlfEnds: number;
  lfEnds: number;
  /** Bytes scanned (of the normalised copy when one was written). */
  end: number;
}

class Grow {
  data = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = v;
  }
  done(): Float64Array {
    return this.data.subarray(0, this.n);
  }
}

/**
 * Scan `path` (gzip-compressed when `gzip`). With `normaliseTo`, also write a copy whose
 * record-ending CRLFs are bare LFs (CRs inside quoted cells stay), for files that mix both:
 * the copy has the same lines and the same cell values, and DuckDB reads it with one newline.
 */
export async function csvRecordStarts(path: string, gzip: boolean, delimiter: string, normaliseTo?: string): Promise<CsvRecordStarts> {
  const delim = delimiter.charCodeAt(0);
  const offsets = new Grow();
  const lines = new Grow();
  let state = REC_START;
  let line = 1;
  let pos = 0;
  /** CRs left out of the normalised copy so far. */
  let dropped = 0;
  /** A CR outside quotes not yet written: dropped if an LF ending the record follows. */
  let heldCr = false;
  let crlfEnds = 0;
  let lfEnds = 0;
  let out: WriteStream | null = normaliseTo ? createWriteStream(normaliseTo) : null;
  const src = createReadStream(path, { flags: 'r', highWaterMark: 1 << 20 });
  const stream = gzip ? src.pipe(createGunzip()) : src;
  /** The last chunk ended with a CR outside quotes: written or dropped by the next chunk. */
  let carryCr = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const parts: Buffer[] = [];
      let from = 0;
      if (carryCr && !(chunk[0] === LF && state !== REC_START)) parts.push(Buffer.from([CR]));
      carryCr = false;
      for (let i = 0; i < chunk.length; i++, pos++) {
        const b = chunk[i]!;
        const crBefore = heldCr;
        heldCr = false;
        if (state === QUOTED) {
          if (b === QUOTE) state = QUOTE_IN_QUOTED;
          else if (b === LF) line++;
          continue;
        }
        if (b === CR) {
          heldCr = true;
          continue;
        }
        if (b === LF) {
          line++;
          if (state !== REC_START) {
            if (crBefore) {
              crlfEnds++;
              if (out) {
                // Leave the CR before this LF out of the copy (at i = 0 it was held back).
                if (i > 0) parts.push(chunk.subarray(from, i - 1));
                from = i;
                dropped++;
              }
            } else lfEnds++;
          }
          state = REC_START;
          continue;
        }
        if (state === REC_START) {
          offsets.push(pos - dropped);
          lines.push(line);
          state = FIELD_START;
        }
        if (state === FIELD_START) {
          if (b === QUOTE) state = QUOTED;
          else if (b !== delim) state = UNQUOTED;
        } else if (state === UNQUOTED) {
          if (b === delim) state = FIELD_START;
        } else if (state === QUOTE_IN_QUOTED) {
          if (b === QUOTE) state = QUOTED;
          else if (b === delim) state = FIELD_START;
          else state = UNQUOTED;
        }
      }
      if (out) {
        // A CR at the chunk's end is judged by the next chunk's first byte.
        carryCr = heldCr;
        const end = heldCr ? chunk.length - 1 : chunk.length;
        if (end > from) parts.push(chunk.subarray(from, end));
        for (const p of parts) if (!out.write(p)) await once(out, 'drain');
      }
    }
    if (out) {
      if (carryCr) out.write(Buffer.from([CR]));
      out.end();
      await once(out, 'finish');
      out = null;
    }
  } finally {
    out?.destroy();
    src.destroy();
  }
  // The first record is the header.
  const o = offsets.done();
  const l = lines.done();
  return { count: Math.max(0, o.length - 1), offsets: o.subarray(1), lines: l.subarray(1), crlfEnds, lfEnds, end: pos - dropped };
}
