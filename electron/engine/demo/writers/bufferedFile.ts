import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * A write stream that batches many small strings into ~1 MB writes and honours
 * back-pressure, so millions of rows stream to disk with bounded memory.
 */
export class BufferedFile {
  private readonly stream: WriteStream;
  private parts: string[] = [];
  private size = 0;
  rows = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  }

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
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
