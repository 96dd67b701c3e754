import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const CHUNK = 4 << 20;

/**
 * A write stream that encodes rows straight into a 4 MB buffer and hands whole buffers to
 * the stream, honouring back-pressure: millions of rows stream to disk with bounded
 * memory, and row strings die young instead of piling up for the garbage collector.
 */
export class BufferedFile {
  private readonly stream: WriteStream;
  private buf = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  /** Rows are gathered into ~64 KB strings first: one encode call per batch, not per row. */
  private pending = '';
  rows = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  write(text: string): Promise<void> | void {
    this.pending += text;
    if (this.pending.length < 65_536) return;
    const batch = this.pending;
    this.pending = '';
    return this.encode(batch);
  }

  private async encode(text: string): Promise<void> {
    // Worst case UTF-8 is 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > CHUNK) {
      await this.flush();
      if (text.length * 3 > CHUNK) {
        if (!this.stream.write(Buffer.from(text, 'utf8'))) await once(this.stream, 'drain');
        return;
      }
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const chunk = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.pending) {
      const rest = this.pending;
      this.pending = '';
      await this.encode(rest);
    }
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
