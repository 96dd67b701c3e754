import type { CaseSession } from '../case/caseSession';
import { appendAudit, auditSettled } from './audit';
import { checkAuditChain, type ChainReport } from './chainCheck';
import { checkSources, type SourceCheck, type VerifyProgress } from './sourceCheck';

export interface VerifyReport {
  ok: boolean;
  checkedAt: string;
  sources: SourceCheck[];
  audit: ChainReport;
  /** One line per problem, sources first then the audit chain, for the CLI and the UI. */
  problems: string[];
}

/**
 * Re-hash every source and check the audit chain in both stores. The run itself is then
 * recorded in the audit log with its outcome (after the check, so it never checks itself).
 */
export async function verifyCase(session: CaseSession, onProgress?: (p: VerifyProgress) => void): Promise<VerifyReport> {
  await auditSettled(session);
  const checkedAt = new Date().toISOString();
  const sources = await checkSources(session, onProgress);
  const audit = await checkAuditChain(session);
  const problems = [...sources.filter((s) => s.status !== 'ok').map((s) => s.message), ...audit.problems.map((p) => p.message)];
  const ok = problems.length === 0;
  await appendAudit(session, {
    action: 'verify',
    detail: {
      ok,
      sources: sources.length,
      sourcesOk: sources.filter((s) => s.status === 'ok').length,
      auditEntries: audit.dbEntries,
      auditHeadHash: audit.headHash,
      problems: problems.slice(0, 50),
      moreProblems: Math.max(0, problems.length - 50),
    },
  });
  return { ok, checkedAt, sources, audit, problems };
}
