import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

/** Collects values for `$n` placeholders so user-controlled text never becomes SQL text. */
export class Params {
  readonly values: DuckDBValue[] = [];

  p(value: string | number | bigint | boolean | null): string {
    this.values.push(value as DuckDBValue);
    return `$${this.values.length}`;
  }
}

export async function rows<T>(con: DuckDBConnection, sql: string, values: DuckDBValue[] = []): Promise<T[]> {
  const r = await con.runAndReadAll(sql, values);
  return r.getRowObjectsJson() as T[];
}

export async function count(con: DuckDBConnection, sql: string, values: DuckDBValue[] = []): Promise<number> {
  const r = await rows<Record<string, unknown>>(con, sql, values);
  const v = r[0] ? Object.values(r[0])[0] : 0;
  return Number(v ?? 0);
}
