import type { CaseInfo } from './caseInfo';
import type { CaseSession } from '../case/caseSession';
import { SIGNINS_TABLE } from '../schema/canonical';

/** Counts, sources and time span of a case, as the start screen and `info` show them. */
export async function caseSummary(session: CaseSession): Promise<CaseInfo> {
  const db = session.db;
  // A running import's committed rows are not the case's until its manifest is written: a
  // window opened meanwhile must not count them.
  const inCase = '(source_id < $1 OR $1 IS NULL)';
  const pending = [session.importingFrom];
  const totals = await db.one<{ n: string; first: string | null; last: string | null }>(
    `SELECT count(*) AS n,
            strftime(min(time_utc), '%Y-%m-%dT%H:%M:%S.%fZ') AS first,
            strftime(max(time_utc), '%Y-%m-%dT%H:%M:%S.%fZ') AS last
     FROM ${SIGNINS_TABLE} WHERE ${inCase}`,
    pending,
  );
  const byLogType = await db.all<{ logType: string | null; rows: string }>(
    `SELECT log_type AS "logType", count(*) AS rows FROM ${SIGNINS_TABLE} WHERE ${inCase} GROUP BY 1 ORDER BY 2 DESC`,
    pending,
  );
  const byStatus = await db.all<{ status: string | null; rows: string }>(
    `SELECT status, count(*) AS rows FROM ${SIGNINS_TABLE} WHERE ${inCase} GROUP BY 1 ORDER BY 2 DESC`,
    pending,
  );
  const conflicts = await db.one<{ n: string }>(`SELECT count(*) AS n FROM ${SIGNINS_TABLE} WHERE copy_conflict AND ${inCase}`, pending);
  const m = session.manifest;
  return {
    dir: session.dir,
    name: m.name,
    createdAt: m.createdAt,
    rowCount: Number(totals?.n ?? 0),
    sources: m.sources.map((s) => ({
      id: s.id,
      path: s.path,
      name: s.entry ? `${s.name}!${s.entry}` : s.name,
      sha256: s.sha256,
      bytes: s.bytes,
      shape: s.shape,
      logType: s.logType,
      logTypeReason: s.logTypeReason ?? null,
      read: s.read,
      imported: s.imported,
      duplicates: s.duplicates,
      rejected: s.rejected,
      importedAt: s.importedAt,
    })),
    byLogType: byLogType.map((r) => ({ logType: r.logType, rows: Number(r.rows) })),
    byStatus: byStatus.map((r) => ({ status: r.status, rows: Number(r.rows) })),
    conflictRows: Number(conflicts?.n ?? 0),
    firstUtc: totals?.first ?? null,
    lastUtc: totals?.last ?? null,
  };
}
