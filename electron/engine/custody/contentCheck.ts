import type { CaseSession } from '../case/caseSession';
import { CONTENT_TABLES, TABLE_CHECKSUM_METHOD, tableState } from './contentTables';
import type { RecordedTable } from './chainRecords';

export interface TableCheck {
  table: string;
  status: 'ok' | 'changed' | 'unrecorded';
  /** The audit entry whose checksum this table is compared with. */
  recordedSeq: number | null;
  recordedRows: number | null;
  recordedChecksum: string | null;
  rows: number;
  checksum: string;
  message: string;
}

/**
 * Recompute every content table's row count and checksum (over the columns recorded) and
 * compare with the last state the audit chain recorded for it. A table no entry recorded
 * must still be empty, except in a case whose chain predates table checksums (`legacy`).
 */
export async function checkContent(session: CaseSession, recorded: Map<string, RecordedTable>): Promise<{ tables: TableCheck[]; legacy: boolean }> {
  const legacy = recorded.size === 0;
  const out: TableCheck[] = [];
  for (const table of CONTENT_TABLES) {
    const rec = recorded.get(table);
    const now = await tableState(session.db, table, undefined, rec?.state.columns.length ? rec.state.columns : undefined);
    const base = { table, rows: now.rows, checksum: now.checksum, recordedSeq: rec?.seq ?? null, recordedRows: rec?.state.rows ?? null, recordedChecksum: rec?.state.checksum ?? null };
    if (!rec) {
      const empty = now.rows === 0;
      out.push({
        ...base,
        status: empty || legacy ? 'unrecorded' : 'changed',
        message: empty
          ? `table ${table} is empty and no change to it is recorded`
          : legacy
            ? `table ${table} (${now.rows} rows) is not covered: the case was made before Signet recorded table checksums`
            : `table ${table} holds ${now.rows} rows, but the audit chain records no change to it (rows were added outside Signet)`,
      });
      continue;
    }
    const same = now.rows === rec.state.rows && now.checksum === rec.state.checksum;
    const method = rec.method !== TABLE_CHECKSUM_METHOD ? ` (recorded with checksum method ${rec.method}, now ${TABLE_CHECKSUM_METHOD})` : '';
    out.push({
      ...base,
      status: same ? 'ok' : 'changed',
      message: same
        ? `table ${table} matches audit entry seq ${rec.seq}: ${now.rows} rows, checksum ${now.checksum}`
        : `table ${table} has changed since audit entry seq ${rec.seq} (${rec.action}) recorded it: recorded ${rec.state.rows} rows, checksum ${rec.state.checksum}; now ${now.rows} rows, checksum ${now.checksum}${method}`,
    });
  }
  return { tables: out, legacy };
}
