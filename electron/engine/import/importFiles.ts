import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CaseSession } from '../case/caseSession';
import type { ManifestSource } from '../case/manifest';
import { CancelledError, type JobContext } from '../jobs/jobRunner';
import { appendAudit } from '../custody/audit';
import { IMPORT_WRITES } from '../custody/contentTables';
import { auditImportProblems, auditImportStopped } from '../custody/importAudit';
import { installMacros } from './sqlMacros';
import { ChoiceNeeded, detectShape, ShapeError, type DetectOptions, type ImportChoice, type Plan } from './detectShape';
import { assertUnchanged, decodeHead, EvidenceChangedError, encodingOf, fileFacts, gunzipToFile, type FileFacts, looksBinary, readGzipHead, readHeadBytes, sha256File, transcodeUtf16, type TextEncoding } from './evidenceRead';
import { entryRefusal, extractEntry, listZip } from './zipEntries';
import { MAX_RECORD_BYTES, SourceReadError, type LoadOutcome, type LoadTarget } from './loadTypes';
import { loadCsv } from './csvLoad';
import { loadJson } from './jsonLoad';
import { Params, count } from './sqlParams';
import { discardSourcesFrom } from './signinsAfterLoad';
import { linkGraphCalls } from './graphActivity';
import { scanEvidence, type ScanProgress, type EvidenceScan, type RecordUnit } from '../evidence/recordIndex';
import { saveSourceIndex, type RecordFraming } from '../evidence/indexStore';

/** Per-file outcome; read = imported + duplicates + rejected, always. */
export interface FileImportSummary {
  file: string;
  sha256: string;
  bytes: number;
  shape: string;
  log_type: string | null;
  /** Why the file's rows have their log type (content, file name, or the user's choice). */
  log_type_reason: string | null;
  read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  errors: string[];
  /** Source fields with no canonical column; their values are in the rows' `extra`. */
  unmapped_fields: string[];
  /** Set when the file was cut short or damaged (gzip stream, zip entry): what was read before the damage is imported. */
  incomplete?: string;
  /**
   * Set when the file was refused only because its log type or date order cannot be told:
   * importing `path` again with the chosen `logType` / `dateOrder` settles it.
   */
  choice?: ImportChoice & { path: string };
}

const HEAD_BYTES = 1 << 20;

/** One thing to import: a file, or one entry of a zip archive. */
interface Candidate {
  path: string;
  entry?: string;
  display: string;
  sourceFile: string;
  bytes: number;
  mtimeMs: number;
  sha256: Promise<string>;
  /** Physical lines of what DuckDB reads, when counted (plain files; lets line numbering skip a fix-up pass). */
  lines: Promise<number> | null;
  readPath: string;
  compression: 'none' | 'gzip';
  encoding: TextEncoding | null;
  container: 'gzip' | 'zip' | null;
  plan: Plan | null;
  error: string | null;
  guarded: boolean;
  tolerant: boolean;
  /** A plain file's record positions (from the hashing pass), to read records back later. */
  evidence?: { framing: RecordFraming; scan: Promise<EvidenceScan> };
  /** How far the hashing pass has read a plain file: its records per byte estimate the rows read while DuckDB reads. */
  scanned?: ScanProgress;
  /** Why the fast DuckDB read was not used, reported with the file's summary. */
  retryNote: string | null;
  /** The container was cut short or damaged: only what came before the damage is read. */
  incomplete: string | null;
  /** The file as found before anything read it; checked again after its rows are in. */
  before: FileFacts | null;
  outcome: LoadOutcome | null;
  sourceId: number;
  /** The error is a failure to read (not a refusal of what was read), for the audit log. */
  unreadable?: boolean;
  /** The refusal a choice of the user's would settle. */
  choice?: ImportChoice;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class Scratch {
  private n = 0;
  constructor(readonly dir: string) {}
  file(suffix: string): string {
    return join(this.dir, `${++this.n}-${suffix.replace(/[^A-Za-z0-9._-]+/g, '_')}`);
  }
}

function failed(c: Omit<Candidate, 'plan' | 'error'>, error: string, choice?: ImportChoice): Candidate {
  return { ...c, plan: null, error, ...(choice ? { choice } : {}) };
}

/** Read the head, pick encoding and container, and decide the shape; never writes near the evidence. */
async function prepare(base: Omit<Candidate, 'plan' | 'error' | 'readPath' | 'compression' | 'encoding' | 'container'>, readPath: string, scratch: Scratch, container: 'zip' | null, opts: DetectOptions): Promise<Candidate> {
  const c0 = { ...base, readPath, compression: 'none' as const, encoding: null, container };
  if (c0.bytes === 0) return failed(c0, `${base.display}: the file is empty (0 bytes); expected a sign-in export`);
  let head = await readHeadBytes(readPath, HEAD_BYTES);
  let compression: 'none' | 'gzip' = 'none';
  let cont: 'gzip' | 'zip' | null = container;
  let gzipInput = readPath;
  let incomplete = base.incomplete;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    compression = 'gzip';
    cont = container ?? 'gzip';
    head = await readGzipHead(readPath, HEAD_BYTES);
    if (head.length === 0) return failed(c0, `${base.display}: a gzip file that holds nothing readable`);
    // DuckDB reads a truncated gzip without a word: inflate it here, where a cut is seen.
    gzipInput = scratch.file(`${basename(base.display)}.inflated`);
    incomplete = (await gunzipToFile(readPath, gzipInput)).problem ?? incomplete;
    compression = 'none';
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return failed(c0, `${base.display}: an archive inside an archive (or inside gzip) is not read; extract it first`);
  }
  const encoding = encodingOf(head);
  let finalPath = readPath;
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    finalPath = scratch.file(`${basename(base.display)}.utf8`);
    await transcodeUtf16(gzipInput, false, encoding === 'utf-16be', finalPath);
  } else finalPath = gzipInput;
  const text = decodeHead(head, encoding);
  const c = { ...c0, readPath: finalPath, compression, encoding, container: cont, incomplete };
  const bad = (text.match(/\uFFFD/g)?.length ?? 0) / Math.max(1, text.length);
  if (looksBinary(text) || bad > 0.01) {
    return failed(c, `${base.display}: binary content, not a text export (expected CSV or JSON sign-in logs)`);
  }
  try {
    return { ...c, plan: detectShape(text, basename(base.entry ?? base.path), opts), error: null };
  } catch (err) {
    if (err instanceof ShapeError) return failed(c, `${base.display}: ${err.message}`, err instanceof ChoiceNeeded ? err.choice : undefined);
    throw err;
  }
}

async function candidates(paths: string[], scratch: Scratch, opts: DetectOptions): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const common = { guarded: false, tolerant: false, retryNote: null, incomplete: null, before: null, outcome: null, sourceId: 0, lines: null };
  for (const path of paths) {
    let facts: FileFacts;
    try {
      facts = await fileFacts(path);
    } catch (err) {
      out.push({ ...common, path, display: path, sourceFile: basename(path), bytes: 0, mtimeMs: 0, sha256: Promise.resolve(''), readPath: path, compression: 'none', encoding: null, container: null, plan: null, error: `${path}: cannot be read (${message(err)})`, unreadable: true });
      continue;
    }
    const base = { ...common, before: facts, path, display: path, sourceFile: basename(path), bytes: facts.bytes, mtimeMs: facts.mtimeMs };
    if (!facts.isFile) {
      out.push(failed({ ...base, sha256: Promise.resolve(''), readPath: path, compression: 'none', encoding: null, container: null }, `${path}: not a regular file`));
      continue;
    }
    const magic = await readHeadBytes(path, 4);
    if (magic[0] === 0x50 && magic[1] === 0x4b && magic[2] === 0x03 && magic[3] === 0x04) {
      let entries;
      try {
        entries = await listZip(path);
      } catch (err) {
        out.push({ ...failed({ ...base, sha256: sha256File(path), readPath: path, compression: 'none', encoding: null, container: 'zip' }, `${path}: a damaged zip archive (${message(err)})`), unreadable: true });
        continue;
      }
      if (entries.length === 0) {
        out.push(failed({ ...base, sha256: sha256File(path), readPath: path, compression: 'none', encoding: null, container: 'zip' }, `${path}: a zip archive with no files in it`));
      }
      for (const e of entries) {
        const display = `${path}!${e.name}`;
        const eb = { ...common, before: facts, path, entry: e.name, display, sourceFile: `${basename(path)}!${e.name}`, bytes: e.uncompressedSize, mtimeMs: facts.mtimeMs };
        const refusal = entryRefusal(e);
        if (refusal) {
          out.push(failed({ ...eb, sha256: Promise.resolve(''), readPath: path, compression: 'none', encoding: null, container: 'zip' }, `${display}: ${refusal}`));
          continue;
        }
        try {
          const target = scratch.file(basename(e.name));
          const { sha256, bytes, problem } = await extractEntry(path, e.name, target);
          out.push(await prepare({ ...eb, bytes, sha256: Promise.resolve(sha256), incomplete: problem }, target, scratch, 'zip', opts));
        } catch (err) {
          out.push({ ...failed({ ...eb, sha256: Promise.resolve(''), readPath: path, compression: 'none', encoding: null, container: 'zip' }, `${display}: ${message(err)}`), unreadable: true });
        }
      }
      continue;
    }
    const c = await prepare({ ...base, sha256: Promise.resolve('') }, path, scratch, null, opts);
    // Hashing (and noting where records start) streams alongside DuckDB's read; both only read the evidence.
    const inPlace = c.readPath === path && c.compression === 'none' && (c.encoding === 'utf-8' || c.encoding === 'utf-8-bom');
    const framing = inPlace && c.plan ? recordFraming(c.plan) : null;
    const scanned: ScanProgress = { bytes: 0, records: 0 };
    const scan = scanEvidence(path, framing ? unitOf(framing) : { kind: 'line' }, scanned);
    scan.catch(() => undefined);
    c.sha256 = scan.then((h) => h.sha256);
    c.sha256.catch(() => undefined);
    // Line counts come from the evidence bytes, so they only describe plain UTF-8 files.
    if (inPlace) {
      c.lines = scan.then((h) => h.lines);
      c.lines.catch(() => undefined);
    }
    if (framing) c.evidence = { framing, scan };
    if (inPlace) c.scanned = scanned;
    out.push(c);
  }
  return out;
}

/** How a plain file's records can be found again, or null when they cannot (containers of pages). */
function recordFraming(plan: Plan): RecordFraming | null {
  if (plan.kind === 'csv') return { extent: 'csv-record', depth: 0, delimiter: plan.header.delimiter, trailingComma: false };
  if (plan.containers) return null;
  if (plan.layout === 'lines') return { extent: 'line', depth: 0, delimiter: null, trailingComma: false };
  if (plan.layout === 'page-lines') return { extent: 'line', depth: 0, delimiter: null, trailingComma: true };
  return { extent: 'json-value', depth: plan.layout === 'array' ? 1 : 0, delimiter: null, trailingComma: false };
}

function unitOf(f: RecordFraming): RecordUnit {
  return f.extent === 'json-value' ? { kind: 'json-value', depth: f.depth } : { kind: 'line' };
}

function manifestMaxId(session: CaseSession): number {
  return Math.max(0, ...session.manifest.sources.map((s) => s.id));
}

/** Remove rows of an import that was cut short (the app stopped before writing the manifest). */
export async function discardUnfinishedImports(session: CaseSession): Promise<void> {
  const con = await session.db.connect();
  try {
    await discardSourcesFrom(con, manifestMaxId(session) + 1);
  } finally {
    con.closeSync();
  }
}

async function maxRowId(con: DuckDBConnection): Promise<number> {
  return count(con, 'SELECT coalesce(max(row_id), 0) FROM signins');
}

/**
 * Rows DuckDB has read of a plain file when it is `share` of the way through: the records
 * the hashing pass counted per byte, times the bytes read (less a CSV's header line). An
 * estimate for the progress card only; the file's count replaces it once it is read.
 */
function rowsReadEstimate(c: Candidate, share: number): number {
  const s = c.scanned;
  if (!s || s.bytes === 0 || share <= 0) return 0;
  const header = c.plan?.kind === 'csv' ? 1 : 0;
  return Math.max(0, Math.round((share * c.bytes * s.records) / s.bytes) - header);
}

/**
 * How far DuckDB has read one file while a source loads. Its query progress stays at 0
 * for read_csv/read_json until the end, but its file-system log names every buffer it
 * reads with the offset: the furthest offset read, of the file's size, is the progress
 * of one big file (coarse: buffers are tens of MB).
 */
async function watchProgress(session: CaseSession, ctx: JobContext, done: number, c: Candidate, total: number, rowsBefore: number): Promise<() => Promise<void>> {
  const report = (share: number): void => {
    const bytes = Math.round(done + share * c.bytes);
    ctx.progress({ fraction: total > 0 ? Math.min(0.99, bytes / total) : null, rows: rowsBefore + rowsReadEstimate(c, share), message: `Reading ${c.sourceFile}`, bytes: { done: bytes, total } });
  };
  report(0);
  const size = (await stat(c.readPath).catch(() => null))?.size ?? 0;
  const mon = await session.db.connect();
  let logging = false;
  try {
    await mon.run(`CALL enable_logging('FileSystem')`);
    logging = true;
  } catch {
    /* progress is best effort: without the log, the file's share shows when it is read */
  }
  let polling: Promise<void> = Promise.resolve();
  const poll = async (): Promise<void> => {
    try {
      const reader = await mon.runAndReadAll(
        `SELECT max(CAST(json_extract_string(message, '$.pos') AS UBIGINT)) AS pos FROM duckdb_logs
         WHERE type = 'FileSystem' AND json_extract_string(message, '$.op') = 'READ' AND json_extract_string(message, '$.path') = $1`,
        [c.readPath],
      );
      const pos = Number(reader.getRowObjectsJson()[0]?.pos ?? 0);
      if (size > 0 && pos > 0) report(Math.min(1, pos / size));
    } catch {
      /* progress is best effort */
    }
  };
  const timer = logging && size > 0 ? setInterval(() => (polling = polling.then(poll)), 250) : null;
  return async () => {
    if (timer) clearInterval(timer);
    await polling;
    if (logging) {
      await mon.run(`CALL disable_logging()`).catch(() => undefined);
      await mon.run(`CALL truncate_duckdb_logs()`).catch(() => undefined);
    }
    mon.closeSync();
  };
}

async function recordSource(con: DuckDBConnection, c: Candidate, sha: string, importedAt: string): Promise<void> {
  const o = c.outcome!;
  const p = new Params();
  await con.run(
    `INSERT INTO sources VALUES (${p.p(c.sourceId)}, ${p.p(c.path)}, ${p.p(basename(c.path))}, ${p.p(c.entry ?? null)}, ${p.p(sha)}, ${p.p(c.bytes)},
       ${p.p(c.plan!.shape)}, ${p.p(o.logTypes.join(',') || null)}, ${p.p(o.read)}, ${p.p(o.imported)}, ${p.p(o.duplicates)}, ${p.p(o.rejected)}, CAST(${p.p(importedAt)} AS TIMESTAMP))`,
    p.values,
  );
}

/**
 * Import evidence files into an open case. Sources are opened read-only, hashed, and
 * recorded in the manifest. A file that cannot be read at all yields a summary with an
 * error and changes nothing else in the case. The whole import is one transaction, so a
 * cancelled import leaves the case as it was.
 */
export interface ImportOptions {
  /** Longest CSV line or JSON record accepted; longer ones are rejected with a message. */
  maxRecordBytes?: number;
  /**
   * Copy every original record into the case (slower, larger), so the case shows them even
   * without its evidence files. By default only rejected rows keep theirs; the rest are read
   * back from the evidence, whose hash the case holds.
   */
  keepRaw?: boolean;
  /** Log type for files whose content and name cannot tell it (the portal's two user downloads share a header). */
  logType?: DetectOptions['logType'];
  /** Day/month order for files whose slash dates cannot tell it. */
  dateOrder?: DetectOptions['dateOrder'];
  /** Test seam: called just before a source's rows are read (to change the file under the import). */
  beforeSourceRead?: (path: string, index: number) => Promise<void> | void;
}

export async function importFiles(session: CaseSession, paths: string[], ctx: JobContext, options: ImportOptions = {}): Promise<FileImportSummary[]> {
  const scratchDir = join(session.dir, '.import-tmp', randomUUID());
  await mkdir(scratchDir, { recursive: true });
  const scratch = new Scratch(scratchDir);
  const con = await session.db.connect();
  const onAbort = (): void => con.interrupt();
  ctx.signal.addEventListener('abort', onAbort);
  try {
    ctx.progress({ message: 'Reading file heads', fraction: 0 });
    const list = await candidates(paths, scratch, { ...(options.logType ? { logType: options.logType } : {}), ...(options.dateOrder ? { dateOrder: options.dateOrder } : {}) });
    await installMacros(con);
    const total = list.reduce((s, c) => s + (c.error ? 0 : c.bytes), 0);
    const importedAt = new Date().toISOString();
    // What an earlier import left unfinished (the manifest never named it) goes first.
    const firstId = manifestMaxId(session) + 1;
    await discardSourcesFrom(con, firstId);
    session.importingFrom = firstId;
    for (let attempt = 0; ; attempt++) {
      if (ctx.signal.aborted) throw new CancelledError();
      await con.run('BEGIN TRANSACTION');
      let current: Candidate | null = null;
      try {
        let nextId = firstId;
        let done = 0;
        let rowsSoFar = 0;
        for (const c of list) {
          if (c.error || !c.plan) continue;
          if (ctx.signal.aborted) throw new CancelledError();
          current = c;
          c.sourceId = nextId++;
          const target: LoadTarget = {
            sourceId: c.sourceId,
            sourceFile: c.sourceFile,
            readPath: c.readPath,
            compression: c.compression,
            base: await maxRowId(con),
            scratch: (s) => scratch.file(s),
            maxRecordBytes: Math.max(4096, Math.floor(options.maxRecordBytes ?? MAX_RECORD_BYTES)),
            lines: c.lines,
            blankLines: c.lines && c.evidence ? c.evidence.scan.then((h) => h.blankLines) : null,
            rawFromEvidence: c.evidence !== undefined && !options.keepRaw,
          };
          await options.beforeSourceRead?.(c.path, c.sourceId - firstId);
          if (ctx.signal.aborted) throw new CancelledError();
          const stop = await watchProgress(session, ctx, done, c, total, rowsSoFar);
          try {
            c.outcome = c.plan.kind === 'csv' ? await loadCsv(con, target, c.plan, { guarded: c.guarded }) : await loadJson(con, target, c.plan, { guarded: c.guarded, tolerant: c.tolerant });
          } finally {
            await stop();
          }
          const sha = await c.sha256;
          if (c.before) await assertUnchanged(c.path, c.display, c.before);
          await recordSource(con, c, sha, importedAt);
          if (c.outcome.rawFromEvidence && c.evidence) await saveSourceIndex(con, c.sourceId, c.evidence.framing, (await c.evidence.scan).index);
          done += c.bytes;
          rowsSoFar += c.outcome.read;
          ctx.progress({ fraction: total > 0 ? done / total : null, rows: rowsSoFar, message: `Read ${c.sourceFile}`, bytes: { done, total } });
        }
        current = null;
        if (ctx.signal.aborted) throw new CancelledError();
        ctx.progress({ message: 'Linking Graph activity to sign-ins and committing the import' });
        await linkGraphCalls(con);
        await con.run('COMMIT');
        break;
      } catch (err) {
        await con.run('ROLLBACK').catch(() => undefined);
        // Bulk rows are committed before they are numbered: undo them too.
        await discardSourcesFrom(con, firstId);
        if (ctx.signal.aborted || err instanceof CancelledError) throw new CancelledError();
        if (!current) throw err;
        // Escalate for this source only, then redo the import from a clean transaction.
        const c: Candidate = current;
        c.outcome = null;
        if (process.env.SIGNET_IMPORT_DEBUG) console.error(`import retry for ${c.display}: ${message(err)}`);
        if (err instanceof EvidenceChangedError) {
          c.error = err.message;
          c.unreadable = true;
        } else if (err instanceof ChoiceNeeded) {
          c.error = err.message;
          c.choice = err.choice;
        } else if (c.plan?.kind === 'csv' && err instanceof SourceReadError && !c.guarded) c.guarded = true;
        else if (c.plan?.kind === 'json' && err instanceof SourceReadError && !c.guarded && !c.tolerant) c.guarded = true;
        else if (c.plan?.kind === 'json' && err instanceof SourceReadError && !c.tolerant) {
          c.tolerant = true;
          c.retryNote = `${c.display}: DuckDB's JSON reader refused the file (${message(err).split('\n')[0]}); it was read record by record instead`;
        }
        else {
          c.error = `${c.display}: could not be read (${message(err)})`;
          c.unreadable = true;
        }
        if (attempt > list.length * 3 + 3) throw err;
      }
    }
    const summaries: FileImportSummary[] = [];
    const added: ManifestSource[] = [];
    for (const c of list) {
      const sha = await c.sha256.catch(() => '');
      if (c.error || !c.outcome || !c.plan) {
        summaries.push({ file: c.display, sha256: sha, bytes: c.bytes, shape: c.plan?.kind === 'csv' || c.plan?.kind === 'json' ? c.plan.shape : 'unknown', log_type: null, log_type_reason: null, read: 0, imported: 0, duplicates: 0, rejected: 0, errors: [c.error ?? `${c.display}: not read`], unmapped_fields: [], ...(c.choice ? { choice: { ...c.choice, path: c.path } } : {}) });
        continue;
      }
      const o = c.outcome;
      if (c.retryNote) o.errors.unshift(c.retryNote);
      if (c.incomplete) o.errors.unshift(`${c.display}: incomplete: ${c.incomplete}; the ${o.read} records before the damage were read`);
      const logType = o.logTypes.length === 1 ? o.logTypes[0]! : o.logTypes.length ? o.logTypes.join(',') : c.plan.kind === 'csv' ? c.plan.logType : null;
      summaries.push({ file: c.display, sha256: sha, bytes: c.bytes, shape: c.plan.shape, log_type: logType, log_type_reason: c.plan.logTypeReason, read: o.read, imported: o.imported, duplicates: o.duplicates, rejected: o.rejected, errors: o.errors, unmapped_fields: o.unmappedFields ?? [], ...(c.incomplete ? { incomplete: c.incomplete } : {}) });
      added.push({
        id: c.sourceId,
        path: c.path,
        name: basename(c.path),
        ...(c.entry ? { entry: c.entry } : {}),
        sha256: sha,
        bytes: c.bytes,
        mtimeMs: c.mtimeMs,
        shape: c.plan.shape,
        logType,
        logTypeReason: c.plan.logTypeReason,
        read: o.read,
        imported: o.imported,
        duplicates: o.duplicates,
        rejected: o.rejected,
        errors: o.errors,
        importedAt,
        container: c.container,
        encoding: c.encoding,
        ...(c.incomplete ? { incomplete: c.incomplete } : {}),
      });
    }
    if (added.length) {
      session.manifest.sources.push(...added);
      session.importingFrom = null;
      await session.saveManifest();
      for (const [i, s] of added.entries()) {
        await appendAudit(session, {
          action: 'import',
          detail: { sourceId: s.id, file: s.path, entry: s.entry ?? null, sha256: s.sha256, bytes: s.bytes, shape: s.shape, logType: s.logType, read: s.read, imported: s.imported, duplicates: s.duplicates, rejected: s.rejected },
          // The tables' checksums once: every file is committed already, so they cover the whole import.
          ...(i === 0 ? { tables: IMPORT_WRITES } : {}),
        });
      }
      session.changed();
    }
    const problems = list.filter((c) => c.error || !c.outcome || !c.plan);
    await auditImportProblems(session, await Promise.all(problems.map(async (c) => ({ file: c.path, entry: c.entry ?? null, outcome: c.unreadable ? ('failed' as const) : ('refused' as const), reason: c.error ?? `${c.display}: not read`, sha256: (await c.sha256.catch(() => '')) || null }))));
    ctx.progress({ fraction: 1, message: 'Import finished' });
    return summaries;
  } catch (err) {
    await auditImportStopped(session, paths, err);
    throw err;
  } finally {
    session.importingFrom = null;
    ctx.signal.removeEventListener('abort', onAbort);
    con.closeSync();
    await rm(scratchDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
