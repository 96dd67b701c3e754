import type { DuckDBConnection } from '@duckdb/node-api';
import type { CaseSession } from '../case/caseSession';
import { DETECTORS } from './detectors';
import type { FindingKind, Metrics } from './types';
import type { Thresholds } from './thresholds';
import { loadThresholds } from './thresholdStore';

export interface RecomputeResult {
  findings: number;
  ms: number;
  byKind: { kind: FindingKind; findings: number; rows: number; ms: number }[];
}

/** SQL that lists one finding's rows: the detector itself, narrowed to the finding's id. */
export function findingRowsSql(detectorSql: string, findingId: string): string {
  if (!/^[a-z_]+-[0-9a-f]{16}$/.test(findingId)) throw new Error(`Not a finding id: ${findingId}`);
  return `-- Rows of finding ${findingId}, recomputed from the sign-ins by its detector.
WITH detector AS (
${detectorSql}
)
SELECT s.*
FROM signins s
WHERE s.row_id IN (SELECT unnest(row_ids) FROM detector WHERE finding_id = '${findingId}')
ORDER BY s.time_utc, s.row_id`;
}

async function all(con: DuckDBConnection, sql: string, params: (string | number)[] = []): Promise<Record<string, unknown>[]> {
  const reader = await con.runAndReadAll(sql, params);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/**
 * Run every detector over the case's sign-ins and replace the stored findings and their
 * rows in one transaction. Reviews are keyed on the stable finding id, so they survive.
 */
export async function recomputeFindings(session: CaseSession, thresholds?: Thresholds): Promise<RecomputeResult> {
  const t = thresholds ?? (await loadThresholds(session));
  const started = performance.now();
  const con = await session.db.connect();
  const byKind: RecomputeResult['byKind'] = [];
  let total = 0;
  try {
    // Build every detector's SQL first: some prepare helper tables (place resolution) on
    // the main connection, which the transaction below must already see.
    const sqls: string[] = [];
    for (const d of DETECTORS) sqls.push(await d.sql(t, session.db, session.dataVersion));
    await con.run('BEGIN TRANSACTION');
    try {
      await con.run('DELETE FROM finding_rows');
      await con.run('DELETE FROM findings');
      await con.run(`CREATE OR REPLACE TEMP TABLE finding_meta (id VARCHAR, kind VARCHAR, severity VARCHAR, title VARCHAR, explanation VARCHAR, detector_sql VARCHAR, metrics JSON)`);
      for (const [i, d] of DETECTORS.entries()) {
        const t0 = performance.now();
        const sql = sqls[i]!;
        await con.run(`CREATE OR REPLACE TEMP TABLE finding_detected AS ${sql}`);
        await con.run(`INSERT INTO finding_rows SELECT DISTINCT finding_id, unnest(row_ids) FROM finding_detected`);
        const rows = (await all(con, `SELECT * EXCLUDE (row_ids), len(row_ids) AS row_count FROM finding_detected`)) as Metrics[];
        let rowTotal = 0;
        // One multi-row INSERT per 200 findings: thousands of single inserts would dominate.
        for (let i = 0; i < rows.length; i += 200) {
          const chunk = rows.slice(i, i + 200);
          const params: string[] = [];
          for (const m of chunk) {
            const { title, explanation } = d.describe(m, t);
            rowTotal += Number(m.row_count ?? 0);
            params.push(m.finding_id, d.kind, m.severity, title, explanation, findingRowsSql(sql, m.finding_id), JSON.stringify(m));
          }
          await con.run(`INSERT INTO finding_meta VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`, params);
        }
        total += rows.length;
        byKind.push({ kind: d.kind, findings: rows.length, rows: rowTotal, ms: Math.round(performance.now() - t0) });
      }
      await con.run(`INSERT INTO findings
        SELECT m.id, m.kind, m.severity, m.title, m.explanation,
          list_slice(list_sort(list_distinct(list(coalesce(nullif(s.user_principal_name, ''), nullif(s.user_id, ''), nullif(s.service_principal_name, ''))))), 1, 500),
          list_slice(list_sort(list_distinct(list(nullif(s.ip_address, '')))), 1, 500),
          list_sort(list_distinct(list(nullif(upper(trim(s.country)), '')))),
          min(s.time_utc), max(s.time_utc), count(*), m.detector_sql, m.metrics, now()::TIMESTAMP
        FROM finding_meta m JOIN finding_rows r ON r.finding_id = m.id JOIN signins s ON s.row_id = r.row_id
        GROUP BY ALL`);
      const rowsNow = Number((await all(con, 'SELECT count(*) AS n FROM signins'))[0]?.n ?? 0);
      const ms = performance.now() - started;
      await con.run(`INSERT INTO finding_runs VALUES (now()::TIMESTAMP, ?, ?, ?, ?)`, [rowsNow, total, ms, JSON.stringify(t)]);
      await con.run('COMMIT');
    } catch (err) {
      await con.run('ROLLBACK');
      throw err;
    }
  } finally {
    con.closeSync();
  }
  session.changed();
  return { findings: total, ms: Math.round(performance.now() - started), byKind };
}
