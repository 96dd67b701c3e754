import type { SignInEvent } from '../event';
import { BufferedFile } from './bufferedFile';

/** One generated export file: the events routed to it go in one at a time, each as one record of its format. */
export abstract class EventFileWriter {
  protected readonly file: BufferedFile;

  constructor(path: string) {
    this.file = new BufferedFile(path);
  }

  get path(): string {
    return this.file.path;
  }

  /** Records written so far. */
  get rows(): number {
    return this.file.rows;
  }

  abstract write(e: SignInEvent): Promise<void> | void;

  /** A format that needs text after its last record (or a header when no record came) writes it first. */
  async close(): Promise<void> {
    await this.file.close();
  }

  /** The text of one record (with anything the format puts before it), counted as a row. */
  protected record(text: string): Promise<void> | void {
    this.file.rows++;
    return this.file.write(text);
  }
}
