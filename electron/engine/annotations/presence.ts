import type { CaseSession } from '../case/caseSession';

/** Whether a case has tagged rows, notes, or rows in a finding. */
export interface AnnotationPresence {
  tagged: boolean;
  noted: boolean;
  inFinding: boolean;
}

const cache = new WeakMap<CaseSession, { version: number; presence: Promise<AnnotationPresence> }>();

/**
 * Asked on every grid page and every first timeline view: when a case has no tags or notes
 * (the usual case), the per-row lookups are skipped. Tagging, notes and findings bump the
 * data version, so the answer is kept until then. One catalog read and one probe (the
 * tables may not exist yet).
 */
export function annotationPresence(session: CaseSession): Promise<AnnotationPresence> {
  const hit = cache.get(session);
  if (hit && hit.version === session.dataVersion) return hit.presence;
  const presence = probe(session);
  cache.set(session, { version: session.dataVersion, presence });
  presence.catch(() => cache.delete(session));
  return presence;
}

async function probe(session: CaseSession): Promise<AnnotationPresence> {
  const present = await session.db.all<{ t: string }>(
    `SELECT table_name AS t FROM duckdb_tables() WHERE table_name IN ('row_tags', 'row_notes', 'finding_rows') AND NOT temporary`,
  );
  const has = new Set(present.map((r) => r.t));
  const exists = (t: string) => (has.has(t) ? `EXISTS (SELECT 1 FROM ${t})` : 'false');
  const row = await session.db.one<{ tagged: boolean; noted: boolean; in_finding: boolean }>(
    `SELECT ${exists('row_tags')} AS tagged, ${exists('row_notes')} AS noted, ${exists('finding_rows')} AS in_finding`,
  );
  return { tagged: Boolean(row?.tagged), noted: Boolean(row?.noted), inFinding: Boolean(row?.in_finding) };
}
