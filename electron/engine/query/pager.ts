import type { DuckDBConnection } from '@duckdb/node-api';
import type { FilterState, SortSpec } from './filterModel';
import type { Database, JsonRow, SqlParam } from '../db/database';
import { quoteIdent } from '../db/database';
import { CANONICAL_COLUMNS, SIGNINS_TABLE } from '../schema/canonical';
import { allowColumn, orderSql, whereSql, type ColumnList, type SqlFragment } from './filterSql';
import { resolvedWhereSql, sortRanks } from './textValues';

interface View {
  table: string;
  total: number;
}

/**
 * The table a pager pages: its name, its allow-listed columns (each with a BIGINT `row_id`),
 * and how a filter becomes its WHERE clause. Sign-ins use the value lists of
 * query/textValues.ts for text conditions and rank tables for sorting; other tables compile
 * the filter against their own columns.
 */
export interface PagedTable {
  table: string;
  columns: ColumnList;
  where(db: Database, filter: FilterState, dataVersion: number): Promise<SqlFragment>;
  /** Columns a page carries unless asked otherwise. */
  pageColumns: string[];
  /** Sort text columns by value ranks (sign-ins only: the rank tables are built from them). */
  ranked: boolean;
}

/** The sign-in table; pages carry everything but the bulky raw record. */
export const SIGNINS_PAGED: PagedTable = {
  table: SIGNINS_TABLE,
  columns: CANONICAL_COLUMNS,
  where: (db, filter, dataVersion) => resolvedWhereSql(db, filter, { dataVersion }),
  pageColumns: CANONICAL_COLUMNS.filter((c) => c.name !== 'raw').map((c) => c.name),
  ranked: true,
};

/** Another table's view: the filter compiled against its own allow-listed columns. */
export function pagedTable(table: string, columns: ColumnList, pageColumns: string[]): PagedTable {
  return { table, columns, where: async (_db, filter) => whereSql(filter, { columns }), pageColumns, ranked: false };
}

/** SELECT expression for a column as the UI receives it (times as ISO-8601 with Z). */
export function selectExpr(name: string, alias = 's', columns: ColumnList = CANONICAL_COLUMNS): string {
  const col = allowColumn(name, columns);
  const id = `${alias}.${quoteIdent(col.name)}`;
  if (col.type === 'TIMESTAMP') return `strftime(${id}, '%Y-%m-%dT%H:%M:%S.%fZ') AS ${quoteIdent(col.name)}`;
  if (col.type === 'JSON') return `CAST(${id} AS VARCHAR) AS ${quoteIdent(col.name)}`;
  return id;
}

/**
 * Deep pages stay fast after any sort: a sort or filter change materialises the view
 * once as (row_id, rid) in a temp table written in view order, so a row's position is
 * its rowid in that table; every page is then a rowid range of it joined back to the
 * rows by their physical rowid (checked against row_id, so a stale view can only miss
 * rows, never show wrong ones), instead of ORDER BY … OFFSET over the whole table each
 * time. The join's few keys reach the sign-ins scan (see Database.open), which then
 * decodes only the vectors that hold the page.
 */
export class Pager {
  private readonly views = new Map<string, Promise<View>>();
  /** Row counts by filter, from views or counted on their own. */
  private readonly counts = new Map<string, Promise<number>>();
  private seq = 0;
  private conPromise: Promise<DuckDBConnection> | null = null;

  constructor(
    private readonly db: Database,
    /** Bumped by whoever changes rows, tags or findings, so cached views are rebuilt. */
    private readonly dataVersion: () => number,
    private readonly paged: PagedTable = SIGNINS_PAGED,
  ) {}

  private con(): Promise<DuckDBConnection> {
    this.conPromise ??= this.db.connect();
    return this.conPromise;
  }

  private async build(filter: FilterState, sort: SortSpec): Promise<View> {
    const con = await this.con();
    const table = `_view_${++this.seq}`;
    const dataVersion = this.dataVersion();
    const where = await this.paged.where(this.db, filter, dataVersion);
    // A text column with a short value list sorts by its values' ranks: integers instead
    // of a string comparison per row pair (1M rows by user name: 0.23-0.45 s -> 0.07-0.14 s).
    const ranks = this.paged.ranked ? await sortRanks(this.db, sort.map((s) => s.column), { dataVersion, maxValues: 50_000 }) : new Map<string, { sql: string; params: SqlParam[] }>();
    const joins: string[] = [];
    const joinParams: SqlParam[] = [];
    const rankOf = new Map<string, string>();
    [...ranks].forEach(([column, table], i) => {
      joins.push(`LEFT JOIN ${table.sql} _k${i} ON s.${quoteIdent(column)} = _k${i}._rank_value`);
      joinParams.push(...table.params);
      rankOf.set(column, `_k${i}._rank`);
    });
    // DuckDB keeps insertion order (preserve_insertion_order, on by default), so a table
    // created from an ORDER BY holds its rows in that order: one sort, where a
    // row_number() window followed by ORDER BY pos sorted twice (1M rows: 0.65-1.2 s ->
    // 0.53-0.7 s by user name, 0.23-0.31 s -> 0.10-0.16 s by time).
    await con.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS
       SELECT s.row_id, s.rowid AS rid FROM ${this.paged.table} s ${joins.join(' ')}
       WHERE ${where.sql} ORDER BY ${orderSql(sort, (c) => rankOf.get(c), this.paged.columns)}`,
      [...joinParams, ...where.params] as never,
    );
    const total = Number(await this.db.scalar(`SELECT count(*) FROM ${table}`, [], con));
    return { table, total };
  }

  private view(filter: FilterState, sort: SortSpec): Promise<View> {
    const key = JSON.stringify([this.dataVersion(), filter, sort]);
    let view = this.views.get(key);
    if (!view) {
      view = this.build(filter, sort);
      this.views.set(key, view);
      view.catch(() => this.views.delete(key));
      this.evict();
      this.remember(filter, view.then((v) => v.total));
    }
    return view;
  }

  private remember(filter: FilterState, total: Promise<number>): void {
    const key = JSON.stringify([this.dataVersion(), filter]);
    this.counts.set(key, total);
    total.catch(() => this.counts.delete(key));
    while (this.counts.size > 8) this.counts.delete(this.counts.keys().next().value as string);
  }

  /** Keep a few recent views (back/forward between sorts is common); drop the rest. */
  private evict(): void {
    while (this.views.size > 4) {
      const [oldKey, oldView] = this.views.entries().next().value as [string, Promise<View>];
      this.views.delete(oldKey);
      void oldView.then(async (v) => (await this.con()).run(`DROP TABLE IF EXISTS ${v.table}`)).catch(() => undefined);
    }
  }

  /**
   * Rows under a filter: known from any view of it, else counted without building one
   * (the timeline asks alongside its own queries; a view would sort every row for a number).
   */
  async count(filter: FilterState): Promise<number> {
    const key = JSON.stringify([this.dataVersion(), filter]);
    const known = this.counts.get(key);
    if (known) return known;
    const total = this.paged.where(this.db, filter, this.dataVersion()).then(async (where) =>
      Number(await this.db.scalar(`SELECT count(*) FROM ${this.paged.table} WHERE ${where.sql}`, where.params, await this.con())),
    );
    this.remember(filter, total);
    return total;
  }

  /** Where a row sits in the filtered, sorted view (null when the filter leaves it out). */
  async position(filter: FilterState, sort: SortSpec, rowId: number): Promise<{ index: number | null; total: number }> {
    const view = await this.view(filter, sort);
    const hit = await this.db.scalar(`SELECT rowid FROM ${view.table} WHERE row_id = ?`, [rowId], await this.con());
    return { index: hit === null || hit === undefined ? null : Number(hit), total: view.total };
  }

  async page(filter: FilterState, sort: SortSpec, start: number, end: number, columns?: string[]): Promise<{ rows: JsonRow[]; total: number }> {
    const view = await this.view(filter, sort);
    const cols = columns?.length ? [...new Set(['row_id', ...columns])] : this.paged.pageColumns;
    const limit = Math.max(0, Math.min(end, start + 1000) - start);
    if (limit === 0) return { rows: [], total: view.total };
    const rows = await this.db.all(
      `SELECT ${cols.map((c) => selectExpr(c, 's', this.paged.columns)).join(', ')}
       FROM ${view.table} v JOIN ${this.paged.table} s ON s.rowid = v.rid AND s.row_id = v.row_id
       WHERE v.rowid >= ? AND v.rowid < ? ORDER BY v.rowid`,
      [start, start + limit],
      await this.con(),
    );
    return { rows, total: view.total };
  }
}
