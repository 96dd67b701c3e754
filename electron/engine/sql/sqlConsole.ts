import { performance } from 'node:perf_hooks';
import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement, type Json } from '../db/duckdb';
import type { CaseSession } from '../case/caseSession';
import { quoteIdent } from '../db/database';
import { GuardedInstance } from './guardedInstance';
import { errorPosition } from './errorPosition';
import { explainedStatement, statementRanges } from './sqlText';
import { ALLOWED_TABLE_FUNCTIONS, tableFunctionsInText, tableFunctionsInTree } from './tableFunctions';

export type QueryOutcome = 'ok' | 'refused' | 'error' | 'cancelled' | 'timeout';

/** A query that did not produce a result: refused by the guard, failed, cancelled or too slow. */
export class QueryFailure extends Error {
  constructor(
    readonly kind: Exclude<QueryOutcome, 'ok'>,
    message: string,
    readonly line: number | null = null,
    readonly column: number | null = null,
  ) {
    super(message);
  }
}

export interface ResultColumn {
  name: string;
  type: string;
}

export interface ResultSort {
  column: string;
  dir: 'asc' | 'desc';
}

export interface RunOptions {
  /** Rows of the first page returned with the result. */
  pageSize?: number;
  /** Interrupt the query after this long (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Largest result kept for paging, in bytes of the console's memory (default RESULT_BYTE_CAP). */
  resultByteCap?: number;
}

/** What one page may weigh as text: far below V8's string limit and quick to send and draw. */
export const PAGE_BYTE_CAP = 16 * 1024 * 1024;
/** Longest a text value is shown in a page that would otherwise exceed PAGE_BYTE_CAP. */
export const CELL_CHAR_CAP = 65_536;
/** Largest result the console keeps for paging (DuckDB memory, spilled or not). */
export const RESULT_BYTE_CAP = 512 * 1024 * 1024;

export interface Page {
  rows: Json[][];
  total: number;
  /** Set when the page was cut to stay under PAGE_BYTE_CAP: what was cut and how to get it whole. */
  notice: string | null;
}

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
const TEXT_TYPE = /^(VARCHAR|JSON)$/;

export interface RunResult {
  resultId: string;
  columns: ResultColumn[];
  rows: Json[][];
  total: number;
  durationMs: number;
  /** 'rows' for a query result, 'plan' for EXPLAIN output. */
  kind: 'rows' | 'plan';
  /** Set when the first page was cut (see Page.notice). */
  notice: string | null;
}

interface StoredResult {
  id: string;
  owner: GuardedInstance;
  columns: ResultColumn[];
  total: number;
  /** Large results live in a table of the console instance; small ones (EXPLAIN, dynamic PIVOT) in memory. */
  table: string | null;
  rows: Json[][] | null;
}

const POS = '__signet_pos';

// Ids are unique for the life of the process, so a result id kept by the UI across closing
// and reopening a case can never name a different result.
let resultSeq = 0;
const nextResultId = () => `r${++resultSeq}`;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const MAX_INLINE_ROWS = 200_000;
const KEEP_RESULTS = 8;

const TYPE_REFUSALS: Partial<Record<StatementType, string>> = {
  [StatementType.INSERT]: 'INSERT would change the case',
  [StatementType.UPDATE]: 'UPDATE would change the case',
  [StatementType.DELETE]: 'DELETE would change the case',
  [StatementType.MERGE_INTO]: 'MERGE would change the case',
  [StatementType.CREATE]: 'CREATE (tables, temp tables, views, macros, types, secrets) would change the database',
  [StatementType.CREATE_FUNC]: 'CREATE FUNCTION/MACRO would change the database',
  [StatementType.ALTER]: 'ALTER would change the case',
  [StatementType.DROP]: 'DROP would change the case',
  [StatementType.COPY]: 'COPY reads or writes files',
  [StatementType.COPY_DATABASE]: 'COPY FROM DATABASE writes a database',
  [StatementType.EXPORT]: 'EXPORT DATABASE writes files',
  [StatementType.ATTACH]: 'ATTACH opens another database',
  [StatementType.DETACH]: 'DETACH changes the attached databases',
  [StatementType.LOAD]: 'INSTALL/LOAD adds extensions',
  [StatementType.UPDATE_EXTENSIONS]: 'UPDATE EXTENSIONS changes extensions',
  [StatementType.EXTENSION]: 'extension statements change extensions',
  [StatementType.SET]: 'SET/RESET/USE change settings',
  [StatementType.VARIABLE_SET]: 'SET VARIABLE changes session state',
  [StatementType.PRAGMA]: 'PRAGMA statements change settings or run maintenance',
  [StatementType.CALL]: 'CALL runs procedures (checkpoint, pragmas); use SELECT * FROM fn() for table functions',
  [StatementType.VACUUM]: 'VACUUM rewrites storage',
  [StatementType.ANALYZE]: 'ANALYZE rewrites statistics',
  [StatementType.TRANSACTION]: 'transactions are managed by the console',
  [StatementType.PREPARE]: 'PREPARE/EXECUTE/DEALLOCATE keep session state',
  [StatementType.EXECUTE]: 'PREPARE/EXECUTE/DEALLOCATE keep session state',
};

const ONLY_SELECT = 'Only SELECT-style queries (SELECT, WITH, FROM, PIVOT, UNPIVOT, VALUES, DESCRIBE, SUMMARIZE, SHOW) and EXPLAIN are run.';

function refusal(type: StatementType): QueryFailure {
  const why = TYPE_REFUSALS[type] ?? `${StatementType[type] ?? 'this'} statements are not read-only`;
  return new QueryFailure('refused', `Refused: the console is read-only; ${why}. ${ONLY_SELECT}`);
}

function functionRefusal(names: string[]): QueryFailure {
  const list = [...new Set(names)].map((n) => `${n.slice(0, 80)}()`).join(', ');
  return new QueryFailure(
    'refused',
    `Refused: the console is read-only; ${list} ${names.length > 1 ? 'are' : 'is'} not among the table functions it runs (generators such as range, generate_series, unnest, json_each, and catalog reads such as duckdb_tables, duckdb_columns, pragma_table_info). ${ONLY_SELECT}`,
  );
}

/**
 * Refuse any table function outside the allow-list before DuckDB binds the statement:
 * some act while being bound or run, and one aborts the process (see tableFunctions.ts).
 */
async function checkTableFunctions(con: DuckDBConnection, text: string): Promise<void> {
  const target = explainedStatement(text) ?? text;
  const tree = await tableFunctionsInTree(con, target).catch(() => null);
  if (tree && tree.statements !== 1) throw new QueryFailure('refused', `Refused: one statement at a time; DuckDB reads ${tree.statements} statements in this text.`);
  const names = tree ? tree.names : await tableFunctionsInText(con, target);
  const refused = names.filter((n) => !ALLOWED_TABLE_FUNCTIONS.has(n));
  if (refused.length) throw functionRefusal(refused);
}

/** DuckDB invalidates an instance after an internal error; every later query on it would fail. */
const INSTANCE_BROKEN = /INTERNAL Error|FATAL Error|database has been invalidated/i;

/** An error from the wrapped (materialising) text, whose line numbers are `lineShift` lines off. */
class WrappedQueryError extends Error {
  constructor(
    message: string,
    readonly lineShift: number,
  ) {
    super(message);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The SQL console of one case: runs guarded, read-only queries on a locked DuckDB instance
 * over a snapshot of the case (see GuardedInstance), keeps recent results as tables for
 * paging and sorting, and can interrupt the running query.
 */
export class SqlConsole {
  private current: GuardedInstance | null = null;
  private building: Promise<GuardedInstance> | null = null;
  private readonly retired = new Set<GuardedInstance>();
  private readonly results = new Map<string, StoredResult>();
  private readonly pageCons = new Map<GuardedInstance, Promise<DuckDBConnection>>();
  private running: { con: DuckDBConnection; reason: 'cancelled' | 'timeout' | null } | null = null;
  private disposed = false;

  constructor(private readonly session: CaseSession) {}

  get memoryLimit(): string | null {
    return this.current?.memoryLimit ?? null;
  }

  /** What decides whether the snapshot is stale: the data version and the tables' sizes. */
  private async fingerprint(): Promise<string> {
    const tables = await this.session.db.scalar(
      `SELECT string_agg(table_name || ':' || CASE WHEN table_name = 'signins' THEN estimated_size ELSE 0 END, ',' ORDER BY table_name)
       FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary`,
    );
    return `${this.session.dataVersion}|${String(tables)}`;
  }

  /** The guarded instance over an up-to-date snapshot of the case (rebuilt after data changes). */
  async instance(forceRefresh = false): Promise<GuardedInstance> {
    if (this.disposed) throw new QueryFailure('error', 'The case was closed');
    if (this.building) return this.building;
    const fp = await this.fingerprint();
    if (this.current && this.current.fingerprint === fp && !forceRefresh) return this.current;
    this.building = GuardedInstance.create(this.session, fp).then(
      (fresh) => {
        if (this.current) this.retire(this.current);
        this.current = fresh;
        this.snapshotAt = new Date().toISOString();
        this.building = null;
        return fresh;
      },
      (err: unknown) => {
        this.building = null;
        throw err;
      },
    );
    return this.building;
  }

  snapshotAt: string | null = null;

  /** An old instance stays open while results still point at it. */
  private retire(inst: GuardedInstance): void {
    this.retired.add(inst);
    this.collect();
  }

  private collect(): void {
    for (const inst of this.retired) {
      if ([...this.results.values()].some((r) => r.owner === inst)) continue;
      this.retired.delete(inst);
      const con = this.pageCons.get(inst);
      this.pageCons.delete(inst);
      void (con ? con.then((c) => c.closeSync()).catch(() => undefined) : Promise.resolve()).then(() => inst.close());
    }
  }

  private pageCon(inst: GuardedInstance): Promise<DuckDBConnection> {
    let con = this.pageCons.get(inst);
    if (!con) {
      con = inst.connect();
      this.pageCons.set(inst, con);
    }
    return con;
  }

  /** Run trusted, fixed SQL (schema browser, completion) on a connection of the guarded instance. */
  async inspect<T>(fn: (con: DuckDBConnection) => Promise<T>, refresh = false): Promise<T> {
    const inst = await this.instance(refresh);
    const con = await inst.connect();
    try {
      return await fn(con);
    } finally {
      con.closeSync();
    }
  }

  /** Interrupt the running query, if any. */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.reason ??= 'cancelled';
    this.running.con.interrupt();
    return true;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /**
   * Check and run one statement. Throws QueryFailure (refused / error / cancelled /
   * timeout) with DuckDB's line and column when it names one.
   */
  async run(sql: string, opts: RunOptions = {}): Promise<RunResult> {
    const t0 = performance.now();
    const text = sql.replace(/[\s;]+$/, '');
    const top = statementRanges(text);
    if (top.length === 0) throw new QueryFailure('refused', 'Nothing to run: the text holds no statement.');
    if (top.length > 1)
      throw new QueryFailure(
        'refused',
        `Refused: one statement at a time; this text holds ${top.length} statements. Put the cursor in one (Ctrl+Enter runs the statement under the cursor) or select it.`,
      );
    if (this.running) this.cancel();
    const inst = await this.instance();
    const con = await inst.connect();
    const run = { con, reason: null as 'cancelled' | 'timeout' | null };
    this.running = run;
    const timer = setTimeout(() => {
      run.reason ??= 'timeout';
      con.interrupt();
    }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const onAbort = () => {
      run.reason ??= 'cancelled';
      con.interrupt();
    };
    opts.signal?.addEventListener('abort', onAbort);
    try {
      const stored = await this.execute(con, inst, text, opts.resultByteCap ?? RESULT_BYTE_CAP);
      this.remember(stored);
      const { rows, notice } = await this.rows(stored, 0, Math.min(opts.pageSize ?? 200, 1000), [], false);
      return {
        resultId: stored.id,
        columns: stored.columns,
        rows,
        notice,
        total: stored.total,
        durationMs: Math.round((performance.now() - t0) * 10) / 10,
        kind: stored.table === null && stored.columns[0]?.name === 'explain_key' ? 'plan' : 'rows',
      };
    } catch (err) {
      if (err instanceof QueryFailure) throw err;
      if (INSTANCE_BROKEN.test(messageOf(err)) && this.current === inst) {
        // The next query builds a fresh instance instead of failing on this one forever.
        this.current = null;
        this.retire(inst);
      }
      if (run.reason === 'timeout') throw new QueryFailure('timeout', `Stopped: the query ran longer than ${Math.round((opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s.`);
      if (run.reason === 'cancelled') throw new QueryFailure('cancelled', 'Cancelled.');
      if (err instanceof WrappedQueryError) throw classify(err.message, text, inst.memoryLimit, err.lineShift);
      throw classify(messageOf(err), text, inst.memoryLimit);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (this.running === run) this.running = null;
      con.closeSync();
    }
  }

  private async execute(con: DuckDBConnection, inst: GuardedInstance, text: string, byteCap: number): Promise<StoredResult> {
    await checkTableFunctions(con, text);
    const extracted = await con.extractStatements(text);
    const n = extracted.count;
    if (n === 0) throw new QueryFailure('refused', 'Nothing to run: the text holds no statement.');
    if (n > 1) return this.executeExpanded(con, inst, extracted.prepare.bind(extracted), n);
    const prepared = await extracted.prepare(0);
    const type = prepared.statementType;
    if (type === StatementType.EXPLAIN) {
      const inner = explainedStatement(text);
      if (inner === null) throw refusal(type);
      const innerEx = await con.extractStatements(inner);
      if (innerEx.count !== 1) throw new QueryFailure('refused', 'Refused: EXPLAIN must wrap exactly one SELECT-style query.');
      const innerType = (await innerEx.prepare(0)).statementType;
      if (innerType !== StatementType.SELECT) throw refusal(innerType);
      return this.inline(inst, prepared);
    }
    if (type !== StatementType.SELECT) throw refusal(type);
    return this.materialise(con, inst, text, prepared, byteCap);
  }

  /**
   * DuckDB turns a dynamic PIVOT (no IN list) into CREATE TYPE … AS ENUM + SELECT. Those
   * leading statements run inside a transaction that is always rolled back, and only if
   * the catalog shows that all they did was create the pivot's enum types.
   */
  private async executeExpanded(
    con: DuckDBConnection,
    inst: GuardedInstance,
    prepare: (i: number) => Promise<DuckDBPreparedStatement>,
    n: number,
  ): Promise<StoredResult> {
    await con.run('BEGIN TRANSACTION');
    try {
      for (let i = 0; i < n - 1; i++) {
        const p = await prepare(i);
        if (p.statementType !== StatementType.CREATE) throw refusal(p.statementType);
        const before = await catalogObjects(con);
        await p.run();
        const added = [...(await catalogObjects(con))].filter((o) => !before.has(o));
        if (added.some((o) => !/^type:temp\.main\.__pivot_enum_/.test(o)) || added.length === 0) throw refusal(StatementType.CREATE);
      }
      const last = await prepare(n - 1);
      if (last.statementType !== StatementType.SELECT) throw refusal(last.statementType);
      return await this.inline(inst, last);
    } finally {
      await con.run('ROLLBACK').catch(() => undefined);
    }
  }

  private async inline(inst: GuardedInstance, prepared: DuckDBPreparedStatement): Promise<StoredResult> {
    const reader = await prepared.runAndReadUntil(MAX_INLINE_ROWS + 1);
    const rows = reader.getRowsJson();
    if (rows.length > MAX_INLINE_ROWS)
      throw new QueryFailure('error', `This result has more than ${MAX_INLINE_ROWS.toLocaleString('en-US')} rows; for PIVOT, list the values (ON col IN (…)) so the result can be paged.`);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return {
      id: nextResultId(),
      owner: inst,
      columns: names.map((name, i) => ({ name, type: types[i]!.toString() })),
      total: rows.length,
      table: null,
      rows,
    };
  }

  /** The checked query becomes a result table, so any size pages and sorts in DuckDB. */
  private async materialise(con: DuckDBConnection, inst: GuardedInstance, text: string, checked: DuckDBPreparedStatement, byteCap: number): Promise<StoredResult> {
    const id = nextResultId();
    const table = `memory.main.${quoteIdent(`_result_${id}`)}`;
    // The text was just parsed and typed as exactly one SELECT-style statement; the line
    // breaks keep a trailing comment from swallowing the closing parenthesis.
    const wrapped = `CREATE TABLE ${table} AS SELECT row_number() OVER () AS ${POS}, * FROM (\n${text}\n)`;
    const ex = await con.extractStatements(wrapped).catch(() => null);
    if (!ex || ex.count !== 1) return this.inline(inst, checked);
    const p = await ex.prepare(0).catch(() => null);
    // Some SELECT-style statements (SHOW, some DESCRIBE forms) cannot be a subquery.
    if (!p) return this.inline(inst, checked);
    const before = await memoryInUse(con);
    try {
      await p.run();
    } catch (err) {
      throw new WrappedQueryError(messageOf(err), 1);
    }
    const size = (await memoryInUse(con)) - before;
    if (size > byteCap) {
      await con.run(`DROP TABLE IF EXISTS ${table}`);
      throw new QueryFailure(
        'error',
        `The result takes about ${MB(size)}, more than the ${MB(byteCap)} the console keeps for one result. Narrow it (WHERE, LIMIT, fewer columns, left(column, 1000) for long text), or write it to a file with: signet query --case DIR --format csv "…" > FILE`,
      );
    }
    const cols = (await con.runAndReadAll(`SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'memory' AND table_name = ? ORDER BY column_index`, [`_result_${id}`])).getRowObjectsJson();
    const total = Number((await con.runAndReadAll(`SELECT count(*) AS n FROM ${table}`)).getRowObjectsJson()[0]!.n);
    return {
      id,
      owner: inst,
      columns: cols.filter((c) => c.column_name !== POS).map((c) => ({ name: String(c.column_name), type: String(c.data_type) })),
      total,
      table,
      rows: null,
    };
  }

  private remember(stored: StoredResult): void {
    this.results.set(stored.id, stored);
    while (this.results.size > KEEP_RESULTS) {
      const [oldId, old] = this.results.entries().next().value as [string, StoredResult];
      this.results.delete(oldId);
      if (old.table) void this.pageCon(old.owner).then((c) => c.run(`DROP TABLE IF EXISTS ${old.table}`)).catch(() => undefined);
    }
    this.collect();
  }

  result(resultId: string): { columns: ResultColumn[]; total: number } {
    const r = this.results.get(resultId);
    if (!r) throw new QueryFailure('error', 'That result is no longer kept; run the query again.');
    return { columns: r.columns, total: r.total };
  }

  /**
   * Rows [start, end) of a result, optionally sorted by result columns (checked, quoted).
   * A page never weighs more than PAGE_BYTE_CAP: for display, long text values are cut
   * (and say so); with `whole`, values stay whole and fewer rows come back instead.
   */
  async page(resultId: string, start: number, end: number, sort: ResultSort[] = [], opts: { whole?: boolean } = {}): Promise<Page> {
    const r = this.results.get(resultId);
    if (!r) throw new QueryFailure('error', 'That result is no longer kept; run the query again.');
    return { ...(await this.rows(r, start, Math.min(end, start + 1000) - start, sort, opts.whole ?? false)), total: r.total };
  }

  private async rows(r: StoredResult, start: number, limit: number, sort: ResultSort[], whole: boolean): Promise<{ rows: Json[][]; notice: string | null }> {
    const order = sort.map((s) => {
      const idx = r.columns.findIndex((c) => c.name === s.column);
      if (idx < 0) throw new QueryFailure('error', `The result has no column ${s.column.slice(0, 100)}`);
      return { idx, dir: s.dir };
    });
    if (limit <= 0) return { rows: [], notice: null };
    if (r.rows) {
      const rows = order.length ? [...r.rows].sort((a, b) => compareRows(a, b, order)) : r.rows;
      return { rows: rows.slice(start, start + limit), notice: null };
    }
    const con = await this.pageCon(r.owner);
    const by = [...order.map((o) => `${quoteIdent(r.columns[o.idx]!.name)} ${o.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`), POS].join(', ');
    const window = `FROM ${r.table} ORDER BY ${by} LIMIT ? OFFSET ?`;
    const quoted = r.columns.map((c) => quoteIdent(c.name));
    const text = r.columns.map((c) => TEXT_TYPE.test(c.type));
    const textCount = text.filter(Boolean).length;
    // Long text is cut so that a full page of text columns takes at most half the cap.
    const cellCap = Math.max(1024, Math.min(CELL_CHAR_CAP, Math.floor(PAGE_BYTE_CAP / 2 / Math.max(1, Math.min(limit, r.total - start) * textCount))));
    const size = (capped: boolean) =>
      quoted.map((q, i) => `coalesce(${text[i] ? (capped ? `least(strlen(${q}), ${cellCap + 40})` : `strlen(${q})`) : `strlen(CAST(${q} AS VARCHAR))`}, 4)`).join(' + ') || '0';
    const sizes = (await con.runAndReadAll(`SELECT ${size(false)} AS whole, ${size(true)} AS capped ${window}`, [limit, start])).getRowsJson();
    const fit = (k: 0 | 1) => {
      let sum = 0;
      let n = 0;
      for (const row of sizes) {
        sum += Number(row[k]) + 8 * quoted.length;
        if (sum > PAGE_BYTE_CAP && n > 0) break;
        n++;
      }
      return { n, bytes: sizes.reduce((t, row) => t + Number(row[k]), 0) };
    };
    const all = fit(0);
    if (all.n === sizes.length) return { rows: (await con.runAndReadAll(`SELECT ${quoted.join(', ')} ${window}`, [limit, start])).getRowsJson(), notice: null };
    const range = `rows ${(start + 1).toLocaleString('en-US')}–${(start + sizes.length).toLocaleString('en-US')}`;
    if (whole) {
      const rows = (await con.runAndReadAll(`SELECT ${quoted.join(', ')} ${window}`, [all.n, start])).getRowsJson();
      return { rows, notice: `${range} would be ${MB(all.bytes)} as text; this page holds the first ${all.n.toLocaleString('en-US')} of them.` };
    }
    const cut = fit(1);
    const cols = quoted.map((q, i) =>
      text[i] ? `CASE WHEN length(${q}) > ${cellCap} THEN left(${q}, ${cellCap}) || ' … [cut: ' || length(${q}) || ' characters]' ELSE ${q} END AS ${q}` : q,
    );
    const rows = (await con.runAndReadAll(`SELECT ${cols.join(', ')} ${window}`, [cut.n, start])).getRowsJson();
    const fewer = cut.n < sizes.length ? ` Only the first ${cut.n.toLocaleString('en-US')} rows fit.` : '';
    return {
      rows,
      notice: `Cut for display: ${range} would be ${MB(all.bytes)}, more than the ${MB(PAGE_BYTE_CAP)} a page of results may hold, so text longer than ${cellCap.toLocaleString('en-US')} characters is cut here (marked "… [cut: N characters]").${fewer} Export the result (Export CSV or JSON, or signet query --format csv) to get every value whole.`,
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancel();
    this.results.clear();
    if (this.current) this.retired.add(this.current);
    this.current = null;
    this.collect();
  }
}

function compareRows(a: Json[], b: Json[], order: Array<{ idx: number; dir: 'asc' | 'desc' }>): number {
  for (const o of order) {
    const x = a[o.idx] ?? null;
    const y = b[o.idx] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    const nx = typeof x === 'number' ? x : Number(x);
    const ny = typeof y === 'number' ? y : Number(y);
    const c = typeof x !== 'object' && !Number.isNaN(nx) && !Number.isNaN(ny) && typeof y !== 'object' ? nx - ny : JSON.stringify(x).localeCompare(JSON.stringify(y));
    if (c !== 0) return o.dir === 'desc' ? -c : c;
  }
  return 0;
}

/** Bytes DuckDB holds for the console instance, in memory or spilled. */
async function memoryInUse(con: DuckDBConnection): Promise<number> {
  const v = (await con.runAndReadAll(`SELECT sum(memory_usage_bytes + temporary_storage_bytes) AS n FROM duckdb_memory()`)).getRowObjectsJson()[0]?.n;
  return Number(v ?? 0);
}

/** Every user-visible catalog object of the console instance, as "kind:db.schema.name". */
async function catalogObjects(con: DuckDBConnection): Promise<Set<string>> {
  const reader = await con.runAndReadAll(`
    SELECT 'type:' || database_name || '.' || schema_name || '.' || type_name AS o FROM duckdb_types() WHERE NOT internal
    UNION ALL SELECT 'table:' || database_name || '.' || schema_name || '.' || table_name FROM duckdb_tables()
    UNION ALL SELECT 'view:' || database_name || '.' || schema_name || '.' || view_name FROM duckdb_views() WHERE NOT internal
    UNION ALL SELECT 'sequence:' || database_name || '.' || schema_name || '.' || sequence_name FROM duckdb_sequences()
    UNION ALL SELECT 'index:' || database_name || '.' || schema_name || '.' || index_name FROM duckdb_indexes()
    UNION ALL SELECT 'schema:' || database_name || '.' || schema_name FROM duckdb_schemas() WHERE NOT internal
    UNION ALL SELECT 'function:' || database_name || '.' || schema_name || '.' || function_name FROM duckdb_functions() WHERE NOT internal
    UNION ALL SELECT 'database:' || database_name FROM duckdb_databases()`);
  return new Set(reader.getRowObjectsJson().map((r) => String(r.o)));
}

/** Turn a DuckDB error into what the analyst sees; what the lock stopped reads as a refusal. */
function classify(raw: string, sql: string, memoryLimit: string, lineShift = 0): QueryFailure {
  const pos = errorPosition(raw.replace(/^Failed to extract statements: /, ''), sql, lineShift);
  if (/^Permission Error/i.test(pos.message) || /file system operations are disabled/i.test(pos.message))
    return new QueryFailure('refused', `Refused: the console cannot read or write files outside the case. ${pos.message}`, pos.line, pos.column);
  if (/configuration has been locked|Loading external extensions is disabled/i.test(pos.message))
    return new QueryFailure('refused', `Refused: the console cannot change settings or load extensions. ${pos.message}`, pos.line, pos.column);
  if (/attached in read-only mode|read-only/i.test(pos.message))
    return new QueryFailure('refused', `Refused: the case is read-only in the console. ${pos.message}`, pos.line, pos.column);
  if (/Out of Memory/i.test(pos.message))
    return new QueryFailure('error', `The query needs more memory than the console allows (${memoryLimit}). Narrow it down (WHERE, LIMIT, fewer columns). ${pos.message}`, pos.line, pos.column);
  const tableName = /Table with name (\S+) does not exist/.exec(pos.message)?.[1];
  if (tableName && /[\\/.]/.test(tableName))
    return new QueryFailure('refused', `Refused: the console reads only the case's tables, not files (${tableName}). ${pos.message}`, pos.line, pos.column);
  return new QueryFailure('error', pos.message, pos.line, pos.column);
}
