import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CaseSession } from './case/caseSession';
import { JobRunner } from './jobs/jobRunner';
import { importFiles, type ImportOptions } from './import/importFiles';
import { FINDINGS_JOB, startFindingsJob } from './jobs/findingsJob';
import { REPORT_JOB } from './jobs/reportJob';
import { UserError } from './errors';
import { importProblems } from './import/importProblems';
import { appendAudit } from './custody/audit';
import { AUDIT_TABLE } from './custody/schema';

/** Longest case name kept (it titles windows, lists and reports). */
export const MAX_CASE_NAME = 200;

/** A new case's name when the user gave none: the folder the files share, else the first file. */
export function defaultCaseName(paths: readonly string[]): string {
  const first = paths[0];
  if (!first) return 'case';
  const folder = dirname(resolve(first));
  if (paths.length > 1 && paths.every((p) => dirname(resolve(p)) === folder) && basename(folder)) return basename(folder);
  return basename(first);
}

function cleanCaseName(name: string): string {
  // One line of plain text: control characters would break titles and the audit detail's reading.
  return name.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_CASE_NAME);
}

export interface EngineOptions {
  /** Where new cases and the recent-cases list live (the app's data directory). */
  dataDir: string;
  appVersion: string;
  mode: 'desktop' | 'browser';
  /** Called before each evidence file of an import is read (tests hold an import there). */
  beforeSourceRead?: (path: string, index: number) => Promise<void>;
}

interface RecentCase {
  dir: string;
  name: string;
  openedAt: string;
}

/**
 * The engine owns all data: one open case at a time, and the jobs that change it.
 * Everything here runs in plain Node, so it is tested without Electron.
 */
/** Jobs whose end changes what the open case holds (or which case is open). */
export const CASE_CHANGING_JOBS = ['import', 'demo'] as const;

export class Engine {
  readonly jobs = new JobRunner();
  private session: CaseSession | null = null;
  /** Cases created, opened, closed or renamed; with the settled imports it makes the revision. */
  private caseEvents = 0;
  /** Cases being closed, by folder, until their database file is really closed. */
  private readonly closing = new Map<string, Promise<void>>();

  constructor(readonly options: EngineOptions) {}

  get current(): CaseSession | null {
    return this.session;
  }

  /**
   * Changes whenever another case is open or an import into it has ended: every window
   * compares it with the one its views were drawn from and re-queries when it moved.
   */
  get revision(): number {
    return this.caseEvents + this.jobs.settledOf(CASE_CHANGING_JOBS);
  }

  /** The case changed under the views (a rename, a case opened or closed). */
  protected caseChanged(): void {
    this.caseEvents++;
  }

  requireCase(): CaseSession {
    if (!this.session) throw new UserError('No case is open. Open a file or a case first.', 'no_case');
    return this.session;
  }

  /** A fresh case folder under the data directory, named after the first file and the time. */
  async newCaseDir(hint: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safe = hint.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60) || 'case';
    const dir = join(this.options.dataDir, 'cases', `${safe}-${stamp}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async createCase(dir: string, name?: string): Promise<CaseSession> {
    this.closeCase();
    this.session = await CaseSession.create(dir, this.options.appVersion, name);
    this.caseChanged();
    await this.rememberRecent(this.session);
    return this.session;
  }

  async openCase(dir: string): Promise<CaseSession> {
    this.closeCase();
    // Reopening a case that is still closing (background warm-ups finishing) waits for its
    // file to be closed: one database file is never open twice.
    await this.closing.get(resolve(dir));
    try {
      this.session = await CaseSession.open(dir, { access: 'app' });
    } catch (err) {
      // A refusal because another Signet holds the case is already one sentence naming the holder.
      const code = (err as { code?: unknown }).code;
      if (err instanceof Error && (code === 'case_locked' || code === 'case_read_only')) throw new UserError(err.message, code);
      throw new UserError(`Cannot open case ${dir}: ${err instanceof Error ? err.message : String(err)}`, 'bad_case');
    }
    this.caseChanged();
    await this.rememberRecent(this.session);
    return this.session;
  }

  closeCase(): boolean {
    if (!this.session) return false;
    // A job (an import, a verify) may still be using the database: close it only once
    // running jobs have settled, never under their feet.
    const closing = this.session;
    // Findings and reports of the case being closed are of no use any more: stop them rather than wait.
    for (const j of this.jobs.running()) if (j.kind === FINDINGS_JOB || j.kind === REPORT_JOB) this.jobs.cancel(j.id);
    // Background warm-ups (value lists, the lanes' table) hold the database open a little longer.
    const done = this.jobs
      .idle()
      .then(() => {
        closing.close();
        return closing.db.closed;
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.closing.get(closing.dir) === done) this.closing.delete(closing.dir);
      });
    this.closing.set(closing.dir, done);
    this.session = null;
    this.caseChanged();
    return true;
  }

  /**
   * Import into the open case, or into a new case when none is open (named `caseName`, else
   * after the files' folder or the first file). Returns a job id. A new case that ends up
   * holding no source (every file refused, the import failed or was cancelled) is not kept:
   * it would be an empty case in Recent.
   */
  startImport(paths: string[], caseDir?: string, options: Pick<ImportOptions, 'logType' | 'dateOrder'> & { caseName?: string } = {}): string {
    const absolute = paths.map((p) => resolve(p));
    const { caseName, ...importOptions } = options;
    return this.jobs.start('import', async (ctx) => {
      // The open case itself is imported into as it is: closing and reopening it here would
      // wait for this very job, and its lock is this session's.
      const sameCase = caseDir !== undefined && this.session?.dir === resolve(caseDir);
      let fresh: CaseSession | null = null;
      if ((caseDir && !sameCase) || !this.session) {
        const name = cleanCaseName(caseName ?? '') || defaultCaseName(absolute);
        fresh = await this.createCase(caseDir ?? (await this.newCaseDir(name)), name);
      }
      // Only a folder this import made itself is removed again; one the user named stays.
      const discardable = fresh !== null && caseDir === undefined ? fresh : null;
      const session = this.requireCase();
      session.requireWritable('the import');
      const sinceSeq = Number(await session.db.scalar(`SELECT coalesce(max(seq), 0) FROM ${AUDIT_TABLE}`));
      const lastSource = Math.max(0, ...session.manifest.sources.map((s) => s.id));
      let files;
      try {
        files = await importFiles(session, absolute, ctx, { ...importOptions, ...(this.options.beforeSourceRead ? { beforeSourceRead: this.options.beforeSourceRead } : {}) });
      } catch (err) {
        if (discardable) await this.discardNewCase(discardable);
        throw err;
      }
      const problems = await importProblems(session, { sinceSeq, sourceIds: session.manifest.sources.filter((s) => s.id > lastSource).map((s) => s.id) });
      if (discardable && !session.manifest.sources.length) {
        await this.discardNewCase(discardable);
        return { case: null, files, problems };
      }
      // Findings are ready by the time the analyst opens them (or the report asks), as a job every window shows.
      // Started before this job settles, so no window sees the import end without it.
      await this.startBackgroundFindings(session);
      return { case: session.dir, files, problems };
    });
  }

  /** Compute the findings of what was just imported, as a job; its failure shows in the Findings tab when opened. */
  async startBackgroundFindings(session: CaseSession): Promise<void> {
    await startFindingsJob(this.jobs, session).catch(() => undefined);
  }

  /**
   * Close a case a job had just created and that holds nothing, forget it in Recent and
   * remove its folder once the database file is closed (after the job that made it ends).
   */
  async discardNewCase(session: CaseSession): Promise<void> {
    if (this.session === session) this.closeCase();
    const list = (await this.recentCases()).filter((r) => r.dir !== session.dir);
    await writeFile(this.recentFile(), JSON.stringify(list, null, 2)).catch(() => undefined);
    void (this.closing.get(session.dir) ?? Promise.resolve()).then(() => rm(session.dir, { recursive: true, force: true })).catch(() => undefined);
  }

  /** Rename the open case: the manifest, Recent and every window's title follow; the audit log records it. */
  async renameCase(name: string): Promise<CaseSession> {
    const session = this.requireCase();
    const next = cleanCaseName(name);
    if (!next) throw new UserError('A case name cannot be empty.', 'bad_name');
    session.requireWritable('renaming it');
    const before = session.manifest.name;
    if (next === before) return session;
    session.manifest.name = next;
    await session.saveManifest();
    await appendAudit(session, { action: 'case-renamed', detail: { from: before, to: next } });
    await this.rememberRecent(session);
    return session;
  }

  private recentFile(): string {
    return join(this.options.dataDir, 'recent-cases.json');
  }

  async recentCases(): Promise<RecentCase[]> {
    try {
      const list = JSON.parse(await readFile(this.recentFile(), 'utf8')) as RecentCase[];
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  }

  private async rememberRecent(session: CaseSession): Promise<void> {
    const list = (await this.recentCases()).filter((r) => r.dir !== session.dir);
    list.unshift({ dir: session.dir, name: session.manifest.name, openedAt: new Date().toISOString() });
    await mkdir(this.options.dataDir, { recursive: true });
    await writeFile(this.recentFile(), JSON.stringify(list.slice(0, 20), null, 2));
  }

  /** Close the open case; settles once every case this engine was closing is closed (its database file released). */
  close(): Promise<void> {
    this.closeCase();
    return Promise.all([...this.closing.values()]).then(() => undefined);
  }
}
