import { DuckDBInstance, type DuckDBConnection, type DuckDBResultReader, type DuckDBValue } from './duckdb';

export type SqlParam = string | number | boolean | null | bigint | DuckDBValue;
export type JsonRow = Record<string, unknown>;

/**
 * One DuckDB database file (or :memory:) with its connections. The engine keeps
 * separate connections per concern (grid paging, analysis, the SQL console) so that a
 * long query on one never queues the others behind it.
 */
export class Database {
  /** Work started for no caller in particular (cache warm-ups), still running. */
  private readonly pending = new Set<Promise<unknown>>();
  /** Connections handed out by connect() and not closed by their holders yet. */
  private readonly handedOut = new Set<DuckDBConnection>();
  private closing = false;
  private isClosed = false;
  private readonly closeListeners: (() => void)[] = [];
  private markClosed: () => void = () => undefined;
  /** Settles once the file is really closed (after background work), so it can be opened again. */
  readonly closed: Promise<void> = new Promise((resolve) => (this.markClosed = resolve));

  private constructor(
    readonly path: string,
    readonly instance: DuckDBInstance,
    private readonly main: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<Database> {
    // Extensions are statically linked; nothing may ever be downloaded.
    const instance = await DuckDBInstance.create(path, {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // A join whose build side has at most this many keys hands them to the other side's
      // scan, which then reads only the row groups and vectors holding them. The grid reads
      // a page (up to 1,000 rows, scattered across the table after a sort) by joining its
      // row ids: with DuckDB's default of 50 the scan decodes every column of most of the
      // table (250-370 ms for 100 rows at 1M rows) instead of the few vectors involved.
      dynamic_or_filter_threshold: '1000',
    });
    const main = await instance.connect();
    return new Database(path, instance, main);
  }

  /**
   * A connection of its own. Closing the database closes it too: a connection left open
   * keeps DuckDB's instance (and the file, with its lock) alive until garbage collection,
   * when it checkpoints into a file that may by then be open again elsewhere.
   */
  async connect(): Promise<DuckDBConnection> {
    const con = await this.instance.connect();
    this.handedOut.add(con);
    const closeSync = con.closeSync.bind(con);
    // Closed by its holder: no longer this database's to close.
    con.closeSync = () => {
      this.handedOut.delete(con);
      closeSync();
    };
    return con;
  }

  get connection(): DuckDBConnection {
    return this.main;
  }

  async run(sql: string, params: SqlParam[] = [], con: DuckDBConnection = this.main): Promise<void> {
    await con.run(sql, params as DuckDBValue[]);
  }

  /** Rows as JSON-safe objects: BIGINT/DECIMAL/TIMESTAMP become strings. */
  async all<T extends JsonRow = JsonRow>(sql: string, params: SqlParam[] = [], con: DuckDBConnection = this.main): Promise<T[]> {
    const reader = await con.runAndReadAll(sql, params as DuckDBValue[]);
    return rowObjectsJson(reader) as T[];
  }

  async one<T extends JsonRow = JsonRow>(sql: string, params: SqlParam[] = [], con?: DuckDBConnection): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params, con);
    return rows[0];
  }

  async scalar(sql: string, params: SqlParam[] = [], con?: DuckDBConnection): Promise<unknown> {
    const row = await this.one(sql, params, con);
    return row ? Object.values(row)[0] : undefined;
  }

  /**
   * Run `task` in the background (a cache built ahead of need). Its errors are dropped:
   * whoever needs the cache builds it again and sees them. A close waits for it, since
   * closing under a running statement leaves that statement hanging forever.
   */
  background(task: () => Promise<unknown>): void {
    if (this.closing) return;
    const p: Promise<unknown> = task()
      .catch(() => undefined)
      .finally(() => {
        this.pending.delete(p);
        if (this.closing && !this.pending.size) this.closeNow();
      });
    this.pending.add(p);
  }

  /** Close now, or as soon as background work has settled. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (!this.pending.size) this.closeNow();
  }

  /**
   * Run `fn` synchronously once the file is really closed (or now, if it is): a case's
   * lock must be given up in the same tick, before anyone else can look for it.
   */
  whenClosed(fn: () => void): void {
    if (this.isClosed) fn();
    else this.closeListeners.push(fn);
  }

  private closeNow(): void {
    // Nothing else open: closed in this tick, as callers that reopen the file at once expect.
    if (!this.handedOut.size) this.closeMain();
    else void this.closeHandedOut().finally(() => this.closeMain());
  }

  /**
   * Close the connections still handed out. A statement still running on one (a grid page
   * asked for as the case closed) is interrupted and waited for first: a connection closed
   * under a running statement leaves it, and the process, hanging forever. The trivial
   * statement queued behind it settles only once it has.
   */
  private async closeHandedOut(): Promise<void> {
    const open = [...this.handedOut];
    for (const con of open) con.interrupt();
    await Promise.all(open.map((con) => con.run('SELECT 1').catch(() => undefined)));
    for (const con of open) con.closeSync();
  }

  private closeMain(): void {
    try {
      this.main.closeSync();
      this.instance.closeSync();
    } finally {
      this.isClosed = true;
      for (const fn of this.closeListeners.splice(0)) {
        try {
          fn();
        } catch {
          // A listener's failure must not keep the others from running.
        }
      }
      this.markClosed();
    }
  }
}

/** Quote an identifier that has already been checked against an allow-list. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The same objects as the reader's getRowObjectsJson (same converter, same de-duplicated
 * names), built from its columns: the reader's row-wise conversion visits every value
 * through a callback and costs several times more on wide or long results.
 */
export function rowObjectsJson(reader: DuckDBResultReader): JsonRow[] {
  const names = reader.deduplicatedColumnNames();
  const columns = reader.getColumnsJson();
  const count = columns[0]?.length ?? 0;
  const rows = new Array<JsonRow>(count);
  for (let r = 0; r < count; r++) {
    const row: JsonRow = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = columns[c]![r];
    rows[r] = row;
  }
  return rows;
}
