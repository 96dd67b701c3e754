import { mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Database } from '../db/database';
import { ensureCaseSchema } from '../schema/caseSchema';
import { Pager } from '../query/pager';
import { DATABASE_FILE, readManifest, writeManifest, type Manifest } from './manifest';
import { discardUnfinishedImports } from '../import/importFiles';

/** An open case: its folder, its DuckDB database and its manifest. */
export class CaseSession {
  /** Bumped whenever rows, tags or findings change, so cached grid views are rebuilt. */
  private version = 0;
  readonly pager: Pager;

  private constructor(
    readonly dir: string,
    readonly db: Database,
    public manifest: Manifest,
  ) {
    this.pager = new Pager(db, () => this.version);
  }

  get dataVersion(): number {
    return this.version;
  }

  changed(): void {
    this.version++;
  }

  static async create(dir: string, appVersion: string, name?: string): Promise<CaseSession> {
    const abs = resolve(dir);
    await mkdir(abs, { recursive: true });
    const exists = await stat(join(abs, DATABASE_FILE)).then(() => true, () => false);
    if (exists) return CaseSession.open(abs);
    const manifest: Manifest = {
      format: 'signet-case',
      version: 1,
      name: name ?? basename(abs),
      createdAt: new Date().toISOString(),
      appVersion,
      sources: [],
    };
    const db = await Database.open(join(abs, DATABASE_FILE));
    await ensureCaseSchema(db);
    await writeManifest(abs, manifest);
    return new CaseSession(abs, db, manifest);
  }

  static async open(dir: string): Promise<CaseSession> {
    const abs = resolve(dir);
    const manifest = await readManifest(abs);
    const db = await Database.open(join(abs, DATABASE_FILE));
    await ensureCaseSchema(db);
    const session = new CaseSession(abs, db, manifest);
    await discardUnfinishedImports(session);
    return session;
  }

  async saveManifest(): Promise<void> {
    await writeManifest(this.dir, this.manifest);
  }

  close(): void {
    this.db.close();
  }
}
