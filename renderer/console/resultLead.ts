import { api } from '../api/client';
import type { SqlRunResult } from '../../electron/api/methods/sql';
import type { Lead } from '../app/navigation';

type Success = Extract<SqlRunResult, { ok: true }>;

/** The filter model's bounds: a row-id list and a values list. */
const MAX_ROW_IDS = 200_000;
const MAX_REQUEST_IDS = 10_000;
const PAGE = 1000;

/**
 * The grid filter for a console result's rows: its row_id column as a row list, else its
 * request_id column as a values list. Only ids travel to the engine, never the query.
 */
export async function resultRowsLead(result: Success): Promise<Lead & { note?: string }> {
  const byRowId = result.columns.findIndex((c) => c.name === 'row_id');
  const col = byRowId >= 0 ? byRowId : result.columns.findIndex((c) => c.name === 'request_id');
  if (col < 0) throw new Error('This result has no row_id or request_id column.');
  const max = byRowId >= 0 ? MAX_ROW_IDS : MAX_REQUEST_IDS;
  const want = Math.min(result.total, max);
  const values = new Set<string>();
  const take = (rows: unknown[][]) => {
    for (const r of rows) {
      const v = r[col];
      if (v !== null && v !== undefined && v !== '') values.add(String(v));
    }
  };
  take(result.rows.slice(0, want));
  const starts: number[] = [];
  for (let s = result.rows.length; s < want; s += PAGE) starts.push(s);
  // A few pages at a time: the bridge and the console instance stay responsive.
  for (let i = 0; i < starts.length; i += 6) {
    const pages = await Promise.all(starts.slice(i, i + 6).map((s) => api.sqlPage({ resultId: result.resultId, start: s, end: Math.min(want, s + PAGE) })));
    for (const p of pages) take(p.rows);
  }
  const note = result.total > max ? `The grid filter holds the first ${max.toLocaleString('en-US')} of ${result.total.toLocaleString('en-US')} result rows.` : undefined;
  if (byRowId >= 0) {
    const rowIds = [...values].map(Number).filter((n) => Number.isInteger(n));
    return { conditions: [{ kind: 'rows', rowIds, label: `Console result: ${rowIds.length.toLocaleString('en-US')} rows` }], note };
  }
  return { conditions: [{ kind: 'values', column: 'request_id', values: [...values] }], note };
}
