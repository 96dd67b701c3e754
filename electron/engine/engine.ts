import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CaseSession } from './case/caseSession';
import { JobRunner } from './jobs/jobRunner';
import { importFiles, type ImportOptions } from './import/importFiles';
import { ensureFindings } from './findings/compute';
import { UserError } from './errors';

export interface EngineOptions {
  /** Where new cases and the recent-cases list live (the app's data directory). */
  dataDir: string;
  appVersion: string;
  mode: 'desktop' | 'browser';
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

  /** Import into the open case, or into a new case when none is open. Returns a job id. */
  startImport(paths: string[], caseDir?: string, options: Pick<ImportOptions, 'logType' | 'dateOrder'> = {}): string {
    const absolute = paths.map((p) => resolve(p));
    return this.jobs.start('import', async (ctx) => {
      // The open case itself is imported into as it is: closing and reopening it here would
      // wait for this very job, and its lock is this session's.
      const sameCase = caseDir !== undefined && this.session?.dir === resolve(caseDir);
      if ((caseDir && !sameCase) || !this.session) {
        const name = absolute[0]?.split(/[\\/]/).pop() ?? 'case';
        await this.createCase(caseDir ?? (await this.newCaseDir(name)), caseDir ? undefined : name);
      }
      const session = this.requireCase();
      session.requireWritable('the import');
      const files = await importFiles(session, absolute, ctx, options);
      // Findings are ready by the time the analyst opens them (or the report asks).
      session.db.background(() => ensureFindings(session));
      return { case: session.dir, files };
    });
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

  close(): void {
    this.closeCase();
  }
}
