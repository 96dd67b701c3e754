import type { DuckDBConnection } from '@duckdb/node-api';
import type { FilterState } from '../../api/schemas/filter';
import type { CaseSession } from '../case/caseSession';
import { quoteIdent, type JsonRow, type SqlParam } from '../db/database';
import { SIGNINS_TABLE } from '../schema/canonical';
import { whereSql } from '../query/filterSql';
import { resolveZone, type Zone } from './timeZone';

/**
 * The per-case state of the timeline: a small cache of what does not change while the
 * user zooms (the filtered extent and top-N keys), keyed by data version and filter.
 */
export class TimelineQuery {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(readonly session: CaseSession) {}

  zone(name: string): Promise<Zone> {
    return resolveZone(this.session.db, name);
  }

  /** One short-lived connection per request, so histogram and lanes run side by side. */
  async withConnection<T>(fn: (run: (sql: string, params?: SqlParam[]) => Promise<JsonRow[]>) => Promise<T>): Promise<T> {
    const con: DuckDBConnection = await this.session.db.connect();
    try {
      return await fn((sql, params = []) => this.session.db.all(sql, params, con));
    } finally {
      con.closeSync();
    }
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

  /** Earliest and latest sign-in under the filter, with counts (cached). */
  extent(filter: FilterState): Promise<{ from: number | null; to: number | null; total: number; undated: number }> {
    return this.cached(['extent', filter], async () => {
      const where = whereSql(filter);
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

  /** The N most frequent values of a column under the filter, most frequent first (cached). */
  topKeys(filter: FilterState, column: string, n: number): Promise<{ key: string | null; count: number }[]> {
    return this.cached(['top', filter, column, n], async () => {
      const where = whereSql(filter);
      const rows = await this.session.db.all<{ k: string | null; n: string }>(
        `SELECT ${quoteIdent(column)} AS k, count(*) AS n FROM ${SIGNINS_TABLE}
         WHERE (${where.sql}) AND time_utc IS NOT NULL
         GROUP BY 1 ORDER BY n DESC, k NULLS LAST LIMIT ${Math.max(1, Math.floor(n))}`,
        where.params,
      );
      return rows.map((r) => ({ key: r.k, count: Number(r.n) }));
    });
  }

  /** Whether a capability's mark table exists and has rows (tags and findings may not exist yet). */
  async hasRows(table: 'row_tags' | 'finding_rows'): Promise<boolean> {
    const exists = await this.session.db.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary`, [table]);
    if (!Number(exists)) return false;
    return Boolean(await this.session.db.scalar(`SELECT EXISTS (SELECT 1 FROM ${table})`));
  }
}

const queries = new WeakMap<CaseSession, TimelineQuery>();

export function timelineFor(session: CaseSession): TimelineQuery {
  let q = queries.get(session);
  if (!q) {
    q = new TimelineQuery(session);
    queries.set(session, q);
  }
  return q;
}
