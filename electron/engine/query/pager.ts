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
 * While a view is not built yet, pages ending at or above this row are read straight from
 * the table as a top-N (ORDER BY … LIMIT), which DuckDB answers in one scan with a heap
 * instead of sorting every row: the first page of a new sort or filter is out in a
 * fraction of the view's build time, and the view is built after it for the pages further down.
 */
const FIRST_PAGES_ROWS = 1000;
/** How long after a first page its view starts being built (a pause in requests). */
const VIEW_BUILD_PAUSE_MS = 300;

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
  /** Views whose table is built (by key): their pages are rowid ranges. */
  private readonly ready = new Set<string>();
  private seq = 0;
  private conPromise: Promise<DuckDBConnection> | null = null;
  /** First pages and counts, so they never queue behind a view build on the view connection. */
  private quickConPromise: Promise<DuckDBConnection> | null = null;
  private countConPromise: Promise<DuckDBConnection> | null = null;
  /** The build running on the view connection and the data version it was asked for. */
  private building: { dataVersion: number } | null = null;

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

  private quickCon(): Promise<DuckDBConnection> {
    this.quickConPromise ??= this.db.connect();
    return this.quickConPromise;
  }

  private countCon(): Promise<DuckDBConnection> {
    this.countConPromise ??= this.db.connect();
    return this.countConPromise;
  }

  private viewKey(filter: FilterState, sort: SortSpec): string {
    return JSON.stringify([this.dataVersion(), filter, sort]);
  }

  /**
   * A view build asked for under an earlier data version is of no use any more (rows, tags
   * or findings moved): stop it rather than share the CPU with the request that replaced it.
   */
  private async stopStaleBuild(): Promise<void> {
    if (this.building && this.building.dataVersion !== this.dataVersion() && this.conPromise) {
      this.building = null;
      (await this.conPromise).interrupt();
    }
  }

  private async build(filter: FilterState, sort: SortSpec, dataVersion: number): Promise<View> {
    const con = await this.con();
    // Queued behind another build while the data moved on: nobody will page this one.
    if (dataVersion !== this.dataVersion()) throw new Error('view no longer current');
    const table = `_view_${++this.seq}`;
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
    const running = { dataVersion };
    this.building = running;
    try {
      await con.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS
       SELECT s.row_id, s.rowid AS rid FROM ${this.paged.table} s ${joins.join(' ')}
       WHERE ${where.sql} ORDER BY ${orderSql(sort, (c) => rankOf.get(c), this.paged.columns)}`,
      [...joinParams, ...where.params] as never,
      );
    } finally {
      if (this.building === running) this.building = null;
    }
    const total = Number(await this.db.scalar(`SELECT count(*) FROM ${table}`, [], con));
    return { table, total };
  }

  private view(filter: FilterState, sort: SortSpec): Promise<View> {
    const key = this.viewKey(filter, sort);
    let view = this.views.get(key);
    if (!view) {
      view = this.build(filter, sort, this.dataVersion());
      this.views.set(key, view);
      view.then(
        () => this.views.has(key) && this.ready.add(key),
        () => this.views.delete(key),
      );
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
      this.ready.delete(oldKey);
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
      Number(await this.db.scalar(`SELECT count(*) FROM ${this.paged.table} WHERE ${where.sql}`, where.params, await this.countCon())),
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
    await this.stopStaleBuild();
    const cols = columns?.length ? [...new Set(['row_id', ...columns])] : this.paged.pageColumns;
    const limit = Math.max(0, Math.min(end, start + 1000) - start);
    if (start + limit <= FIRST_PAGES_ROWS && !this.ready.has(this.viewKey(filter, sort))) return this.firstPage(filter, sort, start, limit, cols);
    const view = await this.view(filter, sort);
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

  /**
   * Build the view once requests pause, so the first page's caller (tags, colours, the
   * count) and the next few requests do not share the two cores with a sort of every row.
   * Not built if the data moved on meanwhile or a deeper page already asked for it.
   */
  private buildSoon(filter: FilterState, sort: SortSpec, dataVersion: number): void {
    setTimeout(() => {
      if (this.dataVersion() !== dataVersion || this.views.has(this.viewKey(filter, sort))) return;
      this.db.background(() => this.view(filter, sort).catch(() => undefined));
    }, VIEW_BUILD_PAUSE_MS).unref();
  }

  /**
   * A page near the top of a view that is not built yet, read as a top-N with the view's
   * own ORDER BY (the same rows in the same order as the view will give), its total counted
   * alongside; the view is then built for the pages further down.
   */
  private async firstPage(filter: FilterState, sort: SortSpec, start: number, limit: number, cols: string[]): Promise<{ rows: JsonRow[]; total: number }> {
    const dataVersion = this.dataVersion();
    const total = this.count(filter);
    const rows = this.paged.where(this.db, filter, dataVersion).then(async (where) => {
      if (limit === 0) return [];
      // Addresses sort by a key computed from their text: per row that costs seconds at a
      // million rows, so the top-N joins the address rank table as the view does. Other
      // text sorts directly (a top-N on the string skips most of it; a rank join would not).
      const ranks = this.paged.ranked && sort.some((x) => x.column === 'ip_address') ? await sortRanks(this.db, ['ip_address'], { dataVersion, maxValues: 50_000 }) : new Map<string, SqlFragment>();
      const rank = ranks.get('ip_address');
      return this.db.all(
            // The top-N carries row positions only (1M rows by user name: 0.16-0.24 s, where
            // carrying every column through the heap took 4.5-9 s), then the page's rows are
            // read by position as a built view's are.
            `SELECT ${cols.map((c) => selectExpr(c, 's', this.paged.columns)).join(', ')}
             FROM (SELECT s.rowid AS _rid, ${rank ? '_k._rank' : 'NULL'} AS _rank FROM ${this.paged.table} s
                     ${rank ? `LEFT JOIN ${rank.sql} _k ON s.ip_address = _k._rank_value` : ''}
                   WHERE ${where.sql}
                   ORDER BY ${orderSql(sort, (c) => (rank && c === 'ip_address' ? '_k._rank' : undefined), this.paged.columns, 's')} LIMIT ? OFFSET ?) v
             JOIN ${this.paged.table} s ON s.rowid = v._rid
             ORDER BY ${orderSql(sort, (c) => (rank && c === 'ip_address' ? 'v._rank' : undefined), this.paged.columns, 's')}`,
        [...(rank?.params ?? []), ...where.params, limit, start],
        await this.quickCon(),
      );
    });
    const [r, t] = await Promise.all([rows, total]);
    this.buildSoon(filter, sort, dataVersion);
    return { rows: r, total: t };
  }
}
