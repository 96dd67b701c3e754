import type { CaseSession } from '../case/caseSession';
import { AUDIT_JSONL, auditHash, GENESIS_HASH, readAuditDb, readAuditJsonl, type AuditRecord } from './audit';

export interface ChainProblem {
  /** Which store the problem is in: the case database, the JSONL mirror, or a disagreement between them. */
  store: 'db' | 'jsonl' | 'both';
  seq: number | null;
  message: string;
}

export interface ChainReport {
  ok: boolean;
  dbEntries: number;
  jsonlEntries: number;
  /** Hash of the last database entry: write it down to anchor the chain outside the case. */
  headHash: string | null;
  problems: ChainProblem[];
}

const FIELDS: (keyof AuditRecord)[] = ['time', 'user', 'version', 'action', 'detail', 'prevHash', 'hash'];
const FIELD_NAMES: Record<string, string> = { prevHash: 'prev_hash' };

/** Each entry must hash to its stored hash, follow its predecessor, and seq must run 1, 2, 3… */
function checkLinks(records: AuditRecord[], store: 'db' | 'jsonl', where: string): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let expectedSeq = 1;
  let prev: AuditRecord | null = null;
  for (const r of records) {
    if (r.seq > expectedSeq) {
      const gap = r.seq - 1 === expectedSeq ? `seq ${expectedSeq} is` : `seq ${expectedSeq}–${r.seq - 1} are`;
      problems.push({ store, seq: expectedSeq, message: `audit entry ${gap} missing from ${where} (deleted)` });
    } else if (r.seq < expectedSeq) {
      problems.push({ store, seq: r.seq, message: `audit entry seq ${r.seq} appears out of order or twice in ${where}` });
    }
    if (auditHash(r) !== r.hash) {
      problems.push({ store, seq: r.seq, message: `audit entry seq ${r.seq} in ${where} was altered: its content no longer matches its hash` });
    }
    const expectedPrev = prev ? prev.hash : GENESIS_HASH;
    if (r.prevHash !== expectedPrev && (prev === null || r.seq === prev.seq + 1)) {
      problems.push({
        store,
        seq: r.seq,
        message: prev
          ? `audit entry seq ${r.seq} in ${where} does not chain to seq ${prev.seq}: prev_hash differs (an earlier entry was altered, removed or replaced)`
          : `audit entry seq ${r.seq} in ${where} is first but its prev_hash is not the genesis hash (earlier entries were removed)`,
      });
    }
    prev = r;
    expectedSeq = Math.max(expectedSeq, r.seq) + 1;
  }
  return problems;
}

/**
 * Check the audit chain in the case database and in the JSONL mirror, then compare the two
 * entry by entry. Rewriting one store consistently still shows up as a disagreement with
 * the other; rewriting both is what the head hash (recorded outside the case) catches.
 */
export async function checkAuditChain(session: CaseSession): Promise<ChainReport> {
  const db = await readAuditDb(session);
  const lines = await readAuditJsonl(session.dir);
  const problems: ChainProblem[] = [];
  const jsonl: AuditRecord[] = [];
  for (const l of lines) {
    if (l.record) jsonl.push(l.record);
    else problems.push({ store: 'jsonl', seq: null, message: `${AUDIT_JSONL} line ${l.line}: ${l.error}` });
  }
  problems.push(...checkLinks(db, 'db', 'the case database'));
  problems.push(...checkLinks(jsonl, 'jsonl', AUDIT_JSONL));

  const bySeq = new Map<number, AuditRecord>();
  for (const r of jsonl) if (!bySeq.has(r.seq)) bySeq.set(r.seq, r);
  const dbSeqs = new Set(db.map((r) => r.seq));
  for (const r of db) {
    const m = bySeq.get(r.seq);
    if (!m) {
      problems.push({ store: 'both', seq: r.seq, message: `audit entry seq ${r.seq} is in the case database but not in ${AUDIT_JSONL}` });
      continue;
    }
    const differing = FIELDS.filter((f) => r[f] !== m[f]).map((f) => FIELD_NAMES[f] ?? f);
    if (differing.length) {
      problems.push({
        store: 'both',
        seq: r.seq,
        message: `audit entry seq ${r.seq} differs between the case database and ${AUDIT_JSONL} (${differing.join(', ')})`,
      });
    }
  }
  for (const seq of bySeq.keys()) {
    if (!dbSeqs.has(seq)) problems.push({ store: 'both', seq, message: `audit entry seq ${seq} is in ${AUDIT_JSONL} but not in the case database` });
  }
  problems.sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1));
  return { ok: problems.length === 0, dbEntries: db.length, jsonlEntries: jsonl.length, headHash: db.at(-1)?.hash ?? null, problems };
}
