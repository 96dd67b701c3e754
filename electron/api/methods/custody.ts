import { z } from 'zod';
import { method } from '../method';
import { caseInfo } from './case';

export const auditEntry = z.object({
  seq: z.number().int(),
  time: z.string(),
  user: z.string(),
  version: z.string(),
  action: z.string(),
  /** Canonical JSON text of the entry's detail. */
  detail: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

export const sourceCheck = z.object({
  id: z.number().int(),
  name: z.string(),
  path: z.string(),
  status: z.enum(['ok', 'missing', 'changed', 'unreadable']),
  expectedSha256: z.string(),
  actualSha256: z.string().nullable(),
  expectedBytes: z.number(),
  actualBytes: z.number().nullable(),
  message: z.string(),
});

export const verifyResult = z.object({
  ok: z.boolean(),
  checkedAt: z.string(),
  sources: z.array(sourceCheck),
  audit: z.object({
    ok: z.boolean(),
    dbEntries: z.number(),
    jsonlEntries: z.number(),
    headHash: z.string().nullable(),
    problems: z.array(z.object({ store: z.enum(['db', 'jsonl', 'both']), seq: z.number().nullable(), message: z.string() })),
  }),
  tables: z.array(
    z.object({
      table: z.string(),
      status: z.enum(['ok', 'changed', 'unrecorded']),
      recordedSeq: z.number().nullable(),
      recordedRows: z.number().nullable(),
      recordedChecksum: z.string().nullable(),
      rows: z.number(),
      checksum: z.string(),
      message: z.string(),
    }),
  ),
  manifestProblems: z.array(z.string()),
  /** The chain's head after the run's own entry: what an auditor records. */
  head: z.object({ seq: z.number().int(), hash: z.string() }),
  expectedHead: z.object({ expected: z.string(), ok: z.boolean(), foundSeq: z.number().nullable(), entriesSince: z.number(), message: z.string() }).nullable(),
  problems: z.array(z.string()),
  notes: z.array(z.string()),
});

export const relinkResult = z.object({
  dir: z.string(),
  relinked: z.array(z.object({ id: z.number(), name: z.string(), from: z.string(), to: z.string(), sha256: z.string() })),
  notFound: z.array(z.object({ id: z.number(), name: z.string(), sha256: z.string() })),
  unchanged: z.number(),
  scannedFiles: z.number(),
  hashedFiles: z.number(),
});

/** A chain head recorded earlier: verify fails when it is no longer in the chain. */
const verifyArgs = z.object({ expectHead: z.string().min(1).max(200).optional() });

// Chain of custody: audit log, verify, report, Parquet.
const reportArgs = z.object({
  confirmedOnly: z.boolean().optional(),
  includeDismissed: z.boolean().optional(),
  rowsPerFinding: z.number().int().min(0).max(10_000).optional(),
});

export const generatedReport = z.object({ path: z.string(), bytes: z.number(), sha256: z.string(), generatedAt: z.string() });

export const custodyMethods = {
  auditLog: method(
    z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) }),
    z.object({ total: z.number(), entries: z.array(auditEntry) }),
    'A page of the case audit log, oldest first.',
  ),
  verifyCase: method(
    verifyArgs,
    verifyResult,
    'Re-hash every source and check the audit chain (database and audit.jsonl); the run is itself audited.',
  ),
  startVerify: method(
    verifyArgs,
    z.object({ jobId: z.string() }),
    'Verify as a background job with byte-level progress (poll jobStatus; its result is a verifyCase result).',
  ),
  generateReport: method(reportArgs, generatedReport, "Write the self-contained HTML case report into the case folder's reports/ folder."),
  startReport: method(
    reportArgs,
    z.object({ jobId: z.string() }),
    'Write the case report as a background job with section-by-section progress and Cancel (nothing is written when cancelled); its result is a generateReport result.',
  ),
  exportParquet: method(
    z.object({ outDir: z.string().min(1).max(4096).optional() }),
    z.object({
      dir: z.string(),
      tables: z.array(z.object({ name: z.string(), rows: z.number(), checksum: z.string(), partitionedBy: z.string().nullable(), files: z.number() })),
    }),
    "Export every case table as Parquet partitioned by day (default: the case folder's exports/ folder).",
  ),
  relinkSources: method(
    z.object({ dir: z.string().min(1).max(4096) }),
    relinkResult,
    'Find moved evidence in a folder by SHA-256 and point the case at it.',
  ),
  openSignetExport: method(
    z.object({ path: z.string().min(1).max(4096) }),
    caseInfo,
    'Open a Signet Parquet export folder or a Signet .duckdb as a new case, checking row counts and checksums.',
  ),
};

export type AuditEntryInfo = z.infer<typeof auditEntry>;
export type VerifyResult = z.infer<typeof verifyResult>;
export type RelinkResultInfo = z.infer<typeof relinkResult>;
