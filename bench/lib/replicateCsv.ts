import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Days each copy is moved on from the previous one: past the generator's 31-day span, so copies never share a second. */
export const COPY_SHIFT_DAYS = 31;

const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,[0-9a-f]{2}/;

/**
 * A portal CSV of `copies` times the base file's sign-ins, for row counts the generator
 * would take most of an hour to write: copy k is the base with every record's time
 * (`Date (UTC)`, the first column) moved on by k × 31 days and the first two hex digits of
 * its request id (the second column) replaced by k, so no copy is a duplicate of another
 * (docs/schema.md, "One event, one row") or shares a request id. Bytes, quoting and line
 * endings are otherwise the base file's. Records spanning lines keep their later lines as they are.
 */
export async function replicateCsv(base: string, out: string, copies: number): Promise<void> {
  const w = createWriteStream(out, { highWaterMark: 4 << 20 });
  const put = async (b: Buffer): Promise<void> => {
    if (!w.write(b)) await once(w, 'drain');
  };
  for (let k = 0; k < copies; k++) {
    const hex = Buffer.from(k.toString(16).padStart(2, '0'));
    const shiftMs = k * COPY_SHIFT_DAYS * 86_400_000;
    let carry: Buffer = Buffer.alloc(0);
    let header = true;
    for await (const chunk of createReadStream(base, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const end = buf.lastIndexOf(0x0a) + 1;
      carry = Buffer.from(buf.subarray(end));
      const block = Buffer.from(buf.subarray(0, end));
      let pos = 0;
      if (header) {
        pos = block.indexOf(0x0a) + 1;
        header = false;
        // The header once, at the top of the file.
        if (k === 0) await put(block.subarray(0, pos));
      }
      const body = block.subarray(pos);
      if (k > 0) patchLines(body, shiftMs, hex);
      await put(body);
    }
    if (carry.length) {
      if (k > 0) patchLines(carry, shiftMs, hex);
      await put(carry.length && carry[carry.length - 1] !== 0x0a ? Buffer.concat([carry, Buffer.from('\r\n')]) : carry);
    }
  }
  w.end();
  await once(w, 'finish');
}

/** In place: each line that starts with a time and a request id gets the copy's time and id prefix (same byte lengths). */
function patchLines(b: Buffer, shiftMs: number, hex: Buffer): void {
  let start = 0;
  while (start < b.length) {
    let nl = b.indexOf(0x0a, start);
    if (nl < 0) nl = b.length;
    if (nl - start > 23) {
      const head = b.toString('latin1', start, start + 23);
      if (DATE.test(head)) {
        const t = new Date(Date.parse(head.slice(0, 20)) + shiftMs).toISOString().slice(0, 19) + 'Z';
        b.write(t, start, 'latin1');
        hex.copy(b, start + 21);
      }
    }
    start = nl + 1;
  }
}
