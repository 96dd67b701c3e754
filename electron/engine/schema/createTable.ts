/**
 * Idempotent DDL for a case table from its columns in order (name → type and constraints).
 * The order is the table's: rows are inserted by position.
 */
export function createTableSql(table: string, columns: Readonly<Record<string, string>>): string {
  const cols = Object.entries(columns).map(([name, type]) => `${name} ${type}`);
  return `CREATE TABLE IF NOT EXISTS ${table} (\n    ${cols.join(',\n    ')}\n  )`;
}
