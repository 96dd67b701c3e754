import { randomUUID } from 'node:crypto';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import type { FindingKind } from './types';

// Suppressions hide findings the analyst has explained once for the whole case (a known VPN
// egress address, a service account that uses a legacy protocol by design). They never
// delete a finding: the list shows suppressed findings on request, and every change is audited.

export interface Suppression {
  id: string;
  /** null: every kind. */
  kind: FindingKind | null;
  /** An account (UPN or id) or an IP address the finding involves; null: the whole kind. */
  entity: string | null;
  note: string;
  createdAt: string;
  /** How many current findings it hides. */
  findings: number;
}

type Row = { id: string; kind: FindingKind | null; entity: string | null; note: string; created_at: string; findings: string | number };

/** SQL: suppression `x` covers finding `f` (its kind, or every kind; one of its accounts or addresses, or any). */
export const SUPPRESSION_COVERS = `(x.kind IS NULL OR x.kind = f.kind)
  AND (x.entity IS NULL OR list_contains(list_transform(f.users, u -> lower(u)), lower(x.entity)) OR list_contains(f.ips, x.entity))`;

export async function listSuppressions(session: CaseSession): Promise<Suppression[]> {
  const rows = await session.db.all<Row>(
    `SELECT x.id, x.kind, x.entity, x.note, strftime(x.created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
       (SELECT count(*) FROM findings f WHERE ${SUPPRESSION_COVERS}) AS findings
     FROM finding_suppressions x ORDER BY x.created_at, x.id`,
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, entity: r.entity, note: r.note, createdAt: r.created_at, findings: Number(r.findings) }));
}

export async function addSuppression(session: CaseSession, kind: FindingKind | null, entity: string | null, note: string): Promise<Suppression> {
  const e = entity?.trim() ? entity.trim() : null;
  if (kind === null && e === null) throw new Error('A suppression needs a finding kind, an account or address, or both; suppressing every finding would hide the case.');
  const id = randomUUID();
  await session.db.run('INSERT INTO finding_suppressions VALUES (?, ?, ?, ?, now()::TIMESTAMP)', [id, kind, e, note]);
  await appendAudit(session, { action: 'finding.suppress', detail: { id, kind, entity: e, note }, tables: ['finding_suppressions'] });
  const made = (await listSuppressions(session)).find((s) => s.id === id);
  if (!made) throw new Error('The suppression was not stored');
  return made;
}

export async function removeSuppression(session: CaseSession, id: string): Promise<void> {
  const row = await session.db.one<{ kind: string | null; entity: string | null; note: string }>('SELECT kind, entity, note FROM finding_suppressions WHERE id = ?', [id]);
  if (!row) throw new Error(`No suppression ${id} in this case`);
  await session.db.run('DELETE FROM finding_suppressions WHERE id = ?', [id]);
  await appendAudit(session, { action: 'finding.unsuppress', detail: { id, kind: row.kind, entity: row.entity, note: row.note }, tables: ['finding_suppressions'] });
}
