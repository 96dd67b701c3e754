import type { AuditRecord } from './audit';

export interface HeadCheck {
  expected: string;
  ok: boolean;
  /** Where the recorded head sits in the chain now, or null when it is not there. */
  foundSeq: number | null;
  /** Entries appended since the recorded head (verify runs, reports, analyst work). */
  entriesSince: number;
  message: string;
}

/**
 * A head hash recorded outside the case must still be an entry of the chain: the chain may
 * have grown since, but if the entry is gone the chain was cut back, and if no entry has
 * that hash it was rewritten (or the hash belongs to another case).
 */
export function checkExpectedHead(records: AuditRecord[], expected: string): HeadCheck {
  const want = expected.trim().toLowerCase();
  const last = records.at(-1);
  const now = last ? `the chain now ends at seq ${last.seq}, hash ${last.hash}` : 'the chain is now empty';
  if (!/^[0-9a-f]{64}$/.test(want)) {
    return { expected, ok: false, foundSeq: null, entriesSince: 0, message: `the expected head "${expected}" is not a SHA-256 (64 hexadecimal digits)` };
  }
  const at = records.findIndex((r) => r.hash === want);
  if (at < 0) {
    return {
      expected: want,
      ok: false,
      foundSeq: null,
      entriesSince: 0,
      message: `the recorded head ${want} is not in the audit chain: the chain was cut back or rewritten since it was recorded (${now})`,
    };
  }
  const since = records.length - 1 - at;
  return {
    expected: want,
    ok: true,
    foundSeq: records[at]!.seq,
    entriesSince: since,
    message: `the recorded head is audit entry seq ${records[at]!.seq}; ${since} entr${since === 1 ? 'y was' : 'ies were'} appended since`,
  };
}
