import { DuckDBConnection, DuckDBInstance, type DuckDBResultReader, type DuckDBValue } from '@duckdb/node-api';

export type SqlParam = string | number | boolean | null | bigint | DuckDBValue;
export type JsonRow = Record<string, unknown>;

/**
 * One DuckDB database file (or :memory:) with its connections. The engine keeps
 * separate connections per concern (grid paging, analysis, the SQL console) so that a
 * long query on one never queues the others behind it.
 */
export class Database {
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
    });
    const main = await instance.connect();
    return new Database(path, instance, main);
  }

  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  get connection(): DuckDBConnection {
    return this.main;
  }

  async run(sql: string, params: SqlParam[] = []): Promise<void> {
    await this.main.run(sql, params as DuckDBValue[]);
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

  close(): void {
    this.main.closeSync();
    this.instance.closeSync();
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
