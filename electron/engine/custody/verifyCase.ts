import type { CaseSession } from '../case/caseSession';
import { appendAuditRecord, auditSettled, GENESIS_HASH, readAuditDb } from './audit';
import { checkAuditChain, type ChainReport } from './chainCheck';
import { chainSourcesById, recordedTables } from './chainRecords';
import { checkContent, type TableCheck } from './contentCheck';
import { checkExpectedHead, type HeadCheck } from './headCheck';
import { checkManifestAgainstChain } from './manifestCheck';
import { checkSources, type SourceCheck, type VerifyProgress } from './sourceCheck';

export interface VerifyReport {
  ok: boolean;
  checkedAt: string;
  sources: SourceCheck[];
  audit: ChainReport;
  /** Every content table compared with the checksum its last audit entry recorded. */
  tables: TableCheck[];
  /** manifest.json compared with the import entries of the chain. */
  manifestProblems: string[];
  /** The chain's head after this run's own entry: what an auditor writes down. */
  head: { seq: number; hash: string };
  /** Present when the caller gave the head it recorded earlier. */
  expectedHead: HeadCheck | null;
  /** One line per problem, sources first then the database, the manifest and the audit chain. */
  problems: string[];
  /** What the run could not check (a case made before table checksums were recorded). */
  notes: string[];
}

export interface VerifyOptions {
  /** A head hash recorded earlier (on receipt of the case): it must still be in the chain. */
  expectHead?: string;
}

/**
 * Re-hash every source against the SHA-256 its hash-chained import entry recorded, check the
 * audit chain in both stores, recompute every content table's checksum, and check that
 * manifest.json agrees with the chain. The run itself is then recorded in the audit log
 * with its outcome (after the check, so it never checks itself).
 */
export async function verifyCase(session: CaseSession, onProgress?: (p: VerifyProgress) => void, options: VerifyOptions = {}): Promise<VerifyReport> {
  await auditSettled(session);
  const checkedAt = new Date().toISOString();
  const records = await readAuditDb(session);
  const chain = chainSourcesById(records, session.manifest.sources.map((s) => s.id));
  const sources = await checkSources(session, onProgress, chain);
  const audit = await checkAuditChain(session);
  const content = await checkContent(session, recordedTables(records));
  const manifestProblems = checkManifestAgainstChain(session.manifest.sources, chain);
  const expectedHead = options.expectHead !== undefined ? checkExpectedHead(records, options.expectHead) : null;
  const problems = [
    ...sources.filter((s) => s.status !== 'ok').map((s) => s.message),
    ...content.tables.filter((t) => t.status === 'changed').map((t) => t.message),
    ...manifestProblems,
    ...audit.problems.map((p) => p.message),
    ...(expectedHead && !expectedHead.ok ? [expectedHead.message] : []),
  ];
  const notes = content.legacy ? ['the audit chain records no table checksums (the case was made before Signet recorded them): the database content is not checked'] : [];
  const ok = problems.length === 0;
  // A read-only case (write-protected media, or open in another Signet) is checked from a
  // snapshot and the run cannot be recorded: the head is then the chain's last entry.
  const last = records.at(-1);
  if (session.readOnly) {
    notes.push(`this run was not recorded in the audit log: the case is open read-only because ${session.readOnly}`);
    return { ok, checkedAt, sources, audit, tables: content.tables, manifestProblems, head: { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH }, expectedHead, problems, notes };
  }
  const record = await appendAuditRecord(session, {
    action: 'verify',
    detail: {
      ok,
      sources: sources.length,
      sourcesOk: sources.filter((s) => s.status === 'ok').length,
      tables: content.tables.length,
      tablesOk: content.tables.filter((t) => t.status !== 'changed').length,
      auditEntries: audit.dbEntries,
      auditHeadHash: audit.headHash,
      ...(expectedHead ? { expectedHead: expectedHead.expected, expectedHeadFound: expectedHead.ok } : {}),
      problems: problems.slice(0, 50),
      moreProblems: Math.max(0, problems.length - 50),
    },
  });
  return { ok, checkedAt, sources, audit, tables: content.tables, manifestProblems, head: { seq: record.seq, hash: record.hash }, expectedHead, problems, notes };
}
