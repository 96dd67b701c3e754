import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CaseSession } from '../case/caseSession';
import { APP_VERSION } from '../../appVersion';
import { canonicalJson } from './canonicalJson';
import { AUDIT_TABLE } from './schema';
import { CONTENT_TABLES, TABLE_CHECKSUM_METHOD, tableState, type ContentTable, type TableState } from './contentTables';

/**
 * One auditable action. `detail` is JSON-serialisable and names what was acted on.
 * `tables` names the case tables the action changed: their row counts and content
 * checksums, taken in the same transaction as the entry, are stored in the detail under
 * `tableChecksums`, and `verify` recomputes them.
 */
export interface AuditEntry {
  action: string;
  detail: Record<string, unknown>;
  tables?: readonly ContentTable[];
}

/** Key of the detail member that holds the checksums of the tables an entry changed. */
export const TABLE_CHECKSUMS_KEY = 'tableChecksums';

export interface RecordedTableChecksums {
  method: string;
  tables: Record<string, TableState>;
}

/** One stored link of the chain. `detail` is the canonical (sorted-key) JSON text. */
export interface AuditRecord {
  seq: number;
  time: string;
  user: string;
  version: string;
  action: string;
  detail: string;
  prevHash: string;
  hash: string;
}

export const AUDIT_JSONL = 'audit.jsonl';
/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The exact bytes each entry's hash covers. Any change to any field of an entry changes
 * its hash, and because the next entry hashes this one's, every later link breaks too.
 */
export function auditHashInput(r: Omit<AuditRecord, 'hash'>): string {
  return canonicalJson([r.seq, r.time, r.user, r.version, r.action, r.detail, r.prevHash]);
}

export function auditHash(r: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(auditHashInput(r), 'utf8').digest('hex');
}

/** The JSONL mirror line: the same fields, detail as an object so the file reads naturally. */
export function auditJsonLine(r: AuditRecord): string {
  return canonicalJson({
    seq: r.seq,
    time: r.time,
    user: r.user,
    version: r.version,
    action: r.action,
    detail: JSON.parse(r.detail) as unknown,
    prev_hash: r.prevHash,
    hash: r.hash,
  });
}

function osUser(): string {
  try {
    return userInfo().username || process.env.USER || process.env.USERNAME || 'unknown';
  } catch {
    // userInfo throws when the uid has no passwd entry (some containers).
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

// Appends overlap (a console query and a tag change at once); each case gets one queue so
// seq and prev_hash are always read after the previous append has landed.
const queues = new WeakMap<CaseSession, Promise<unknown>>();
function enqueue<T>(session: CaseSession, work: () => Promise<T>): Promise<T> {
  const prev = queues.get(session) ?? Promise.resolve();
  const next = prev.then(work, work);
  queues.set(
    session,
    next.catch(() => undefined),
  );
  return next;
}

interface HeadRow {
  seq: string;
  hash: string;
  [key: string]: unknown;
}

async function appendOne(session: CaseSession, con: DuckDBConnection, entry: AuditEntry): Promise<AuditRecord> {
  // The row only commits once the mirror line is durably on disk, so a failure leaves
  // both stores as they were (or, at worst, a mirror line that verify will name). The
  // table checksums are read in the same transaction, so they describe one state.
  await con.run('BEGIN TRANSACTION');
  try {
    const head = await session.db.one<HeadRow>(`SELECT seq, hash FROM ${AUDIT_TABLE} ORDER BY seq DESC LIMIT 1`, [], con);
    let detail = entry.detail;
    if (entry.tables?.length) {
      const tables: Record<string, TableState> = {};
      for (const t of [...new Set(entry.tables)].sort()) tables[t] = await tableState(session.db, t, con);
      const recorded: RecordedTableChecksums = { method: TABLE_CHECKSUM_METHOD, tables };
      detail = { ...detail, [TABLE_CHECKSUMS_KEY]: recorded };
    }
    const base = {
      seq: head ? Number(head.seq) + 1 : 1,
      time: new Date().toISOString(),
      user: osUser(),
      version: APP_VERSION,
      action: entry.action,
      detail: canonicalJson(detail),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const record: AuditRecord = { ...base, hash: auditHash(base) };
    await con.run(
      `INSERT INTO ${AUDIT_TABLE} (seq, time_utc, user_name, app_version, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [record.seq, record.time, record.user, record.version, record.action, record.detail, record.prevHash, record.hash],
    );
    const fh = await open(join(session.dir, AUDIT_JSONL), 'a');
    try {
      await fh.write(auditJsonLine(record) + '\n');
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await con.run('COMMIT');
    return record;
  } catch (err) {
    await con.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Append an entry to the case's tamper-evident audit log. Every capability calls this for
 * actions that matter (import, verify, console query, export, tag or note change,
 * finding review, report). The hash chain and storage live in this module.
 *
 * Cases whose log is still empty get a `case-created` entry first, so the chain always
 * starts with the case itself even when the creator did not record it.
 */
export async function appendAudit(session: CaseSession, entry: AuditEntry): Promise<void> {
  // A read-only case cannot record anything: reading it (verify, reports, exports, queries)
  // still works and goes unrecorded; anything else is refused before it is written.
  if (session.readOnly && READ_ACTIONS.has(entry.action)) return;
  await appendAuditRecord(session, entry);
}

/** Actions that only read a case (they are audited when the case is writable). */
export const READ_ACTIONS = new Set(['verify', 'report-generated', 'report.pdf', 'export', 'export-parquet', 'console-query', 'console-export']);

/** As appendAudit, returning the stored record (seq and hash) for callers that show it. */
export function appendAuditRecord(session: CaseSession, entry: AuditEntry): Promise<AuditRecord> {
  return enqueue(session, async () => {
    session.requireWritable(`recording "${entry.action}" in its audit log`);
    // A connection of our own, closed straight after: the audit transaction must never
    // swallow statements other capabilities run on the main connection, and an open
    // connection would keep the case file locked after the session closes.
    const con = await session.db.connect();
    try {
      const count = Number(await session.db.scalar(`SELECT count(*) FROM ${AUDIT_TABLE}`, [], con));
      if (count === 0 && entry.action !== 'case-created') {
        // The entry right after records its own tables (nothing can come between: appends
        // are queued), so case-created need not checksum them a second time.
        const first = caseCreatedEntry(session);
        await appendOne(session, con, { ...first, tables: first.tables?.filter((t) => !entry.tables?.includes(t)) });
      }
      return await appendOne(session, con, entry);
    } finally {
      con.closeSync();
    }
  });
}

export function caseCreatedEntry(session: CaseSession): AuditEntry {
  const m = session.manifest;
  // Every content table's state when the chain starts, so a row added to a table that no
  // later action touched is still caught.
  return { action: 'case-created', detail: { name: m.name, dir: session.dir, createdAt: m.createdAt, createdBy: m.appVersion }, tables: CONTENT_TABLES };
}

/** Wait for every queued append of this case (before closing it, or before verifying). */
export async function auditSettled(session: CaseSession): Promise<void> {
  await enqueue(session, async () => undefined);
}

interface AuditRow {
  seq: string;
  time_utc: string;
  user_name: string;
  app_version: string;
  action: string;
  detail: string;
  prev_hash: string;
  hash: string;
  [key: string]: unknown;
}

function fromRow(r: AuditRow): AuditRecord {
  return {
    seq: Number(r.seq),
    time: r.time_utc,
    user: r.user_name,
    version: r.app_version,
    action: r.action,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Entries from the case database, oldest first. */
export async function readAuditDb(session: CaseSession, offset = 0, limit?: number): Promise<AuditRecord[]> {
  const params: number[] = [];
  let page = '';
  if (limit !== undefined) {
    page = ' LIMIT ? OFFSET ?';
    params.push(limit, offset);
  }
  const rows = await session.db.all<AuditRow>(`SELECT * FROM ${AUDIT_TABLE} ORDER BY seq${page}`, params);
  return rows.map(fromRow);
}

export async function auditCount(session: CaseSession): Promise<number> {
  return Number(await session.db.scalar(`SELECT count(*) FROM ${AUDIT_TABLE}`));
}

/** One mirror line, parsed; `error` says why a line could not be read as an entry. */
export interface JsonlLine {
  line: number;
  record: AuditRecord | null;
  error: string | null;
}

/** The JSONL mirror, line by line. A missing file reads as no lines. */
export async function readAuditJsonl(dir: string): Promise<JsonlLine[]> {
  let text: string;
  try {
    text = await readFile(join(dir, AUDIT_JSONL), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: JsonlLine[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => out.push(parseLine(raw, i + 1)));
  return out;
}

function parseLine(raw: string, line: number): JsonlLine {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { line, record: null, error: 'not valid JSON' };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { line, record: null, error: 'not a JSON object' };
  const o = v as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
  const seq = typeof o.seq === 'number' && Number.isInteger(o.seq) ? o.seq : null;
  const fields = { time: str('time'), user: str('user'), version: str('version'), action: str('action'), prevHash: str('prev_hash'), hash: str('hash') };
  const missing = Object.entries(fields)
    .filter(([, val]) => val === null)
    .map(([k]) => k);
  if (seq === null) missing.unshift('seq');
  if (!('detail' in o)) missing.push('detail');
  if (missing.length) return { line, record: null, error: `missing or mistyped field(s): ${missing.join(', ')}` };
  return {
    line,
    record: {
      seq: seq!,
      time: fields.time!,
      user: fields.user!,
      version: fields.version!,
      action: fields.action!,
      detail: canonicalJson(o.detail),
      prevHash: fields.prevHash!,
      hash: fields.hash!,
    },
    error: null,
  };
}
