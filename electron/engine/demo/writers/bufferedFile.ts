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
  rows = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  async write(text: string): Promise<void> {
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
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
