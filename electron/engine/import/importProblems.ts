import type { CaseSession } from '../case/caseSession';
import { AUDIT_TABLE } from '../custody/schema';

/** Rejected records of one file that share a reason (line numbers taken out), with where the first one is. */
export interface RejectedReason {
  reason: string;
  count: number;
  firstRecord: number | null;
  /** The first such record's full reason (with its value). */
  example: string;
}

/** One file offered to the case that did not go in cleanly: refused or failed whole, or imported with rejects or warnings. */
export interface ImportProblemFile {
  file: string;
  path: string;
  outcome: 'refused' | 'failed' | 'imported';
  /** When the import ran (UTC, ISO). */
  at: string;
  /** Why a refused or failed file was not read. */
  reason: string | null;
  read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  rejectedReasons: RejectedReason[];
  /** What the importer noted while reading (duplicate JSON keys, rows without a time, repaired JSON, …). */
  warnings: string[];
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * A message of the import summary that only restates a rejected record ("F line 12: why",
 * "F: 40 more rejected lines"); the rejected records' reasons and counts come from
 * rejected_rows instead, so these are not repeated as warnings. `firstRejects` holds
 * "record|reason" of the source's first rejected records, which the summary names.
 */
function restatesReject(file: string, message: string, firstRejects: Set<string>): boolean {
  if (!message.startsWith(file)) return false;
  const rest = message.slice(file.length);
  const named = /^ (?:line|record) (\d+): ([\s\S]*)$/.exec(rest);
  if (named) return firstRejects.has(`${named[1]}|${named[2]}`);
  return /^: \d+ more rejected \w+s \(see rejected_rows\)$/.test(rest);
}

/** How many rejected records the import summary names one by one (describeRejects), and one more. */
const FIRST_REJECTS_NAMED = 21;

interface AuditDetail {
  file?: unknown;
  files?: unknown;
  entry?: unknown;
  reason?: unknown;
}

/**
 * Every import problem the case knows of, refusals first (from the audit log, where the
 * importer records each file it would not or could not read, whoever started the import),
 * then the imported files with rejected records or warnings (rejected_rows, manifest).
 * `sinceSeq` and `sourceIds` narrow it to one import.
 */
export async function importProblems(session: CaseSession, only?: { sinceSeq: number; sourceIds: number[] }): Promise<ImportProblemFile[]> {
  const out: ImportProblemFile[] = [];
  const audit = await session.db.all<{ time_utc: string; action: string; detail: string }>(
    `SELECT time_utc, action, detail FROM ${AUDIT_TABLE} WHERE action IN ('import-refused', 'import-failed') AND seq > ? ORDER BY seq`,
    [only?.sinceSeq ?? 0],
  );
  for (const a of audit) {
    let d: AuditDetail;
    try {
      d = JSON.parse(a.detail) as AuditDetail;
    } catch {
      continue;
    }
    const reason = typeof d.reason === 'string' ? d.reason : null;
    const outcome = a.action === 'import-refused' ? 'refused' : 'failed';
    const files = typeof d.file === 'string' ? [d.file] : Array.isArray(d.files) ? d.files.filter((f): f is string => typeof f === 'string') : [];
    for (const path of files) {
      const entry = typeof d.entry === 'string' ? d.entry : null;
      out.push({ file: entry ? `${baseName(path)}!${entry}` : baseName(path), path, outcome, at: a.time_utc, reason, read: 0, imported: 0, duplicates: 0, rejected: 0, rejectedReasons: [], warnings: [] });
    }
  }
  const sources = session.manifest.sources.filter((s) => !only || only.sourceIds.includes(s.id));
  // One line per kind of reason: the record's own value ("…: \"yesterday\"") and where it
  // starts are taken out, and one full reason is kept as the example.
  const grouped = await session.db.all<{ source_id: number; reason: string; n: string; first: string | null; example: string }>(
    `SELECT source_id, regexp_replace(regexp_replace(reason, '; the record starts on line \\d+$', ''), ': ".*"$', '') AS reason,
            count(*) AS n, min(source_record) AS first, arg_min(reason, source_record) AS example
     FROM rejected_rows GROUP BY source_id, 2 ORDER BY source_id, n DESC, 2`,
  );
  const first = await session.db.all<{ source_id: number; source_record: string | null; reason: string }>(
    `SELECT source_id, source_record, reason FROM rejected_rows
     QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY source_record) <= ${FIRST_REJECTS_NAMED}`,
  );
  for (const s of sources) {
    const file = s.entry ? `${s.name}!${s.entry}` : s.name;
    const rejectedReasons = grouped
      .filter((g) => Number(g.source_id) === s.id)
      .map((g) => ({ reason: g.reason, count: Number(g.n), firstRecord: g.first === null ? null : Number(g.first), example: g.example }));
    const named = new Set(first.filter((r) => Number(r.source_id) === s.id).map((r) => `${r.source_record}|${r.reason}`));
    const warnings = s.errors.filter((m) => !restatesReject(file, m, named));
    if (!s.rejected && !rejectedReasons.length && !warnings.length) continue;
    out.push({ file, path: s.path, outcome: 'imported', at: s.importedAt, reason: null, read: s.read, imported: s.imported, duplicates: s.duplicates, rejected: s.rejected, rejectedReasons, warnings });
  }
  return out;
}
