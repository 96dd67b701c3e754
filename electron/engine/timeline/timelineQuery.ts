import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { FilterState } from '../query/filterModel';
import type { CaseSession } from '../case/caseSession';
import { quoteIdent, type SqlParam } from '../db/database';
import { SIGNINS_TABLE } from '../schema/canonical';
import type { SqlFragment } from '../query/filterSql';
import { resolvedWhereSql } from '../query/textValues';
import { resolveZone, type Zone } from './timeZone';

export type Columns = Record<string, unknown[]>;
export type RunColumns = (sql: string, params?: SqlParam[]) => Promise<Columns>;

/** A result read column by column as plain JS values (cast numbers to DOUBLE to get JS numbers). */
async function readColumns(con: DuckDBConnection, sql: string, params: SqlParam[]): Promise<Columns> {
  const reader = await con.runAndReadAll(sql, params as DuckDBValue[]);
  return reader.getColumnsObjectJS() as Columns;
}

/**
 * The per-case state of the timeline. What does not change while the user zooms (the
 * filtered extent, top-N keys, and the per-minute "cube" the histogram is cut from) is
 * cached, keyed by the data version and the filter; a zoom then never rescans the rows.
 */
export class TimelineQuery {
  private readonly cache = new Map<string, Promise<unknown>>();
  private cubeCon: Promise<DuckDBConnection> | null = null;
  /** The cube connection runs one statement at a time (its temp tables live there). */
  private cubeQueue: Promise<unknown> = Promise.resolve();
  private cubeSeq = 0;
  private readonly cubes = new Map<string, Promise<string>>();
  /** Cubes built and still kept, by id. */
  private readonly built = new Map<string, string>();
  /** The cube a background build was last asked for (until it is built or given up); older ones are skipped. */
  private wanted: string | null = null;
  private scheduled: Promise<void> = Promise.resolve();
  /** The background build whose statement is running now, so it can be stopped once no longer wanted. */
  private building: { con: DuckDBConnection; stillWanted: () => boolean } | null = null;
  private readCon: Promise<DuckDBConnection> | null = null;
  private readQueue: Promise<unknown> = Promise.resolve();

  constructor(readonly session: CaseSession) {}

  zone(name: string): Promise<Zone> {
    return resolveZone(this.session.db, name);
  }

  /** Run on the cube connection, after whatever is queued there. */
  onCubeConnection<T>(fn: (run: RunColumns, con: DuckDBConnection) => Promise<T>): Promise<T> {
    this.stopStaleBuild();
    this.cubeCon ??= this.session.db.connect();
    const next = this.cubeQueue.then(async () => {
      const con = await this.cubeCon!;
      return fn((sql, params = []) => readColumns(con, sql, params), con);
    });
    this.cubeQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * Run on a connection of its own for reads of the case tables only (no temp tables), so
   * that a first view is not queued behind cube builds.
   */
  onReadConnection<T>(fn: (run: RunColumns) => Promise<T>): Promise<T> {
    this.stopStaleBuild();
    this.readCon ??= this.session.db.connect();
    const next = this.readQueue.then(async () => {
      const con = await this.readCon!;
      return fn((sql, params = []) => readColumns(con, sql, params));
    });
    this.readQueue = next.catch(() => undefined);
    return next;
  }

  cached<T>(parts: unknown[], compute: () => Promise<T>): Promise<T> {
    const key = JSON.stringify([this.session.dataVersion, ...parts]);
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = compute();
      this.cache.set(key, hit);
      hit.catch(() => this.cache.delete(key));
      while (this.cache.size > 32) this.cache.delete(this.cache.keys().next().value as string);
    }
    return hit;
  }

  /**
   * A temp table derived from the filtered rows once and kept for the next zooms: the
   * histogram's per-minute counts per series, or the rows of the current lanes.
   */
  cube(key: unknown[], build: (table: string) => { sql: string; params: SqlParam[] }, stillWanted?: () => boolean): Promise<string> {
    const id = this.cubeId(key);
    let hit = this.cubes.get(id);
    if (!hit) {
      const table = `_timeline_cube_${++this.cubeSeq}`;
      const stmt = build(table);
      hit = this.onCubeConnection(async (_run, con) => {
        if (stillWanted && !stillWanted()) throw new Error('timeline cube no longer wanted');
        const running = stillWanted ? { con, stillWanted } : null;
        this.building = running;
        try {
          await con.run(stmt.sql, stmt.params as DuckDBValue[]);
        } finally {
          if (this.building === running) this.building = null;
        }
        return table;
      });
      this.cubes.set(id, hit);
      hit.then(
        (t) => this.cubes.get(id) === hit && this.built.set(id, t),
        () => this.cubes.delete(id),
      );
      while (this.cubes.size > 8) {
        const [oldId, old] = this.cubes.entries().next().value as [string, Promise<string>];
        this.cubes.delete(oldId);
        this.built.delete(oldId);
        void old.then((t) => this.onCubeConnection((_r, con) => con.run(`DROP TABLE IF EXISTS ${t}`))).catch(() => undefined);
      }
    }
    return hit;
  }

  private cubeId(key: unknown[]): string {
    return JSON.stringify([this.session.dataVersion, ...key]);
  }

  /** The cube's table if it is built for this data version, without waiting for one. */
  readyCube(key: unknown[]): string | null {
    return this.built.get(this.cubeId(key)) ?? null;
  }

  /**
   * Build a cube in the background once requests pause, for the zooms to come. One asked
   * for again, or made stale by another (the filter changed again) or by a data change
   * before it starts, is not built, and one made stale while it runs is interrupted by the
   * next request: quick successive filter changes leave no table builds running under the
   * next first view.
   */
  prepareCube(key: unknown[], build: (table: string) => { sql: string; params: SqlParam[] }): void {
    const id = this.cubeId(key);
    if (this.wanted === id || this.cubes.has(id)) return;
    this.wanted = id;
    this.stopStaleBuild();
    const stillWanted = () => this.wanted === id && this.cubeId(key) === id;
    const settle = () => {
      if (this.wanted === id) this.wanted = null;
    };
    const scheduled = new Promise<void>((done) =>
      setTimeout(() => {
        if (!stillWanted()) {
          settle();
          return done();
        }
        let started = false;
        this.session.db.background(() => {
          started = true;
          return this.cube(key, build, stillWanted)
            .catch(() => undefined)
            .finally(() => {
              settle();
              done();
            });
        });
        // A closing database starts nothing new.
        if (!started) {
          settle();
          done();
        }
      }, CUBE_BUILD_PAUSE_MS),
    );
    this.scheduled = Promise.all([this.scheduled, scheduled]).then(() => undefined);
  }

  /**
   * Interrupt the running background build if the filter or the data has moved on since it
   * was asked for: a build takes hundreds of milliseconds at a million rows, and the
   * request that made it stale would otherwise share the CPU with it (or, on the cube
   * connection, queue behind it). An interrupted CREATE leaves no table behind.
   */
  private stopStaleBuild(): void {
    if (this.building && !this.building.stillWanted()) {
      this.building.con.interrupt();
      this.building = null;
    }
  }

  /** Settles once every background build asked for so far has run or been skipped. */
  backgroundSettled(): Promise<void> {
    return this.scheduled;
  }

  /** The filter's WHERE fragment, text tests decided on the case's value lists where they can be. */
  where(filter: FilterState): Promise<SqlFragment> {
    return resolvedWhereSql(this.session.db, filter, { dataVersion: this.session.dataVersion });
  }

  /** Earliest and latest sign-in under the filter, with counts (cached). */
  extent(filter: FilterState): Promise<{ from: number | null; to: number | null; total: number; undated: number }> {
    return this.cached(['extent', filter], async () => {
      const where = await this.where(filter);
      const row = await this.session.db.one<{ lo: string | null; hi: string | null; n: string; dated: string }>(
        `SELECT epoch_ms(min(time_utc)) AS lo, epoch_ms(max(time_utc)) AS hi, count(*) AS n, count(time_utc) AS dated
         FROM ${SIGNINS_TABLE} WHERE ${where.sql}`,
        where.params,
      );
      const total = Number(row?.n ?? 0);
      return {
        from: row?.lo == null ? null : Number(row.lo),
        to: row?.hi == null ? null : Number(row.hi),
        total,
        undated: total - Number(row?.dated ?? 0),
      };
    });
  }

  /**
   * The N most frequent values of a column under the filter, most frequent first, with the
   * first and last sign-in of each (cached). The times cost nothing next to the grouping,
   * and for lanes they are the lanes' own figures.
   */
  topKeys(
    filter: FilterState,
    column: string,
    n: number,
    withNull = true,
  ): Promise<{ key: string | null; count: number; first: number; last: number }[]> {
    return this.cached(['top', filter, column, n, withNull], async () => {
      const where = await this.where(filter);
      const rows = await this.session.db.all<{ k: string | null; n: string; lo: string; hi: string }>(
        `SELECT ${quoteIdent(column)} AS k, count(*) AS n, epoch_ms(min(time_utc)) AS lo, epoch_ms(max(time_utc)) AS hi FROM ${SIGNINS_TABLE}
         WHERE (${where.sql}) AND time_utc IS NOT NULL${withNull ? '' : ` AND ${quoteIdent(column)} IS NOT NULL`}
         GROUP BY 1 ORDER BY n DESC, k NULLS LAST LIMIT ${Math.max(1, Math.floor(n))}`,
        where.params,
      );
      return rows.map((r) => ({ key: r.k, count: Number(r.n), first: Number(r.lo), last: Number(r.hi) }));
    });
  }
}

/** How long after a first view of lanes their table starts being built (a pause in requests). */
const CUBE_BUILD_PAUSE_MS = 300;

const queries = new WeakMap<CaseSession, TimelineQuery>();

export function timelineFor(session: CaseSession): TimelineQuery {
  let q = queries.get(session);
  if (!q) {
    q = new TimelineQuery(session);
    queries.set(session, q);
  }
  return q;
}
