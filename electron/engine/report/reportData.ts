import type { Database, JsonRow } from '../db/database';
import { quoteIdent } from '../db/database';
import { caseTables, tableColumns } from '../parquet/tableChecksum';

/** Every query the report runs is kept with its result, so the report can print how to reproduce it. */
export interface ReportQuery {
  title: string;
  sql: string;
}

/** The sign-in columns shown wherever the report lists rows (findings, tagged rows). */
export const ROW_COLUMNS: { sql: string; label: string }[] = [
  { sql: 's.row_id', label: 'Row' },
  { sql: `strftime(s.time_utc, '%Y-%m-%d %H:%M:%S')`, label: 'Time (UTC)' },
  { sql: 's.user_principal_name', label: 'User' },
  { sql: 's.ip_address', label: 'IP address' },
  { sql: `concat_ws(', ', nullif(s.city, ''), nullif(s.country, ''))`, label: 'Location' },
  { sql: 's.app_display_name', label: 'Application' },
  { sql: 's.status', label: 'Status' },
  { sql: 's.error_code', label: 'Error' },
  { sql: 's.failure_reason', label: 'Failure reason' },
  { sql: 's.user_agent', label: 'User agent' },
];

export function rowSelect(): string {
  return ROW_COLUMNS.map((c, i) => `${c.sql} AS c${i}`).join(', ');
}

export function rowCells(r: JsonRow): unknown[] {
  return ROW_COLUMNS.map((_, i) => r[`c${i}`]);
}

/** What the case holds beyond signins: the report adapts to whichever capabilities wrote tables. */
export class CaseTables {
  private constructor(
    private readonly names: Set<string>,
    private readonly columns: Map<string, string[]>,
  ) {}

  static async load(db: Database): Promise<CaseTables> {
    const names = await caseTables(db);
    const columns = new Map<string, string[]>();
    for (const n of names) columns.set(n, (await tableColumns(db, n)).map((c) => c.name));
    return new CaseTables(new Set(names), columns);
  }

  has(table: string, ...cols: string[]): boolean {
    if (!this.names.has(table)) return false;
    const have = this.columns.get(table) ?? [];
    return cols.every((c) => have.includes(c));
  }

  cols(table: string): string[] {
    return this.columns.get(table) ?? [];
  }

  /** The first of the candidate columns that the table has, as a quoted identifier. */
  pick(table: string, candidates: string[]): string | null {
    const have = this.cols(table);
    const c = candidates.find((x) => have.includes(x));
    return c ? quoteIdent(c) : null;
  }

  list(): string[] {
    return [...this.names].sort();
  }
}
