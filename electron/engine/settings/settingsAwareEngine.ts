import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Engine, type EngineOptions } from '../engine';
import type { CaseSession } from '../case/caseSession';
import { CaseSettingsApplier } from './databaseSettings';
import { caseFolderRoot } from './userSettings';

/**
 * The engine as the desktop app and `npm run serve` run it: new cases go to the user's
 * default case folder, and every case gets the user's DuckDB settings the moment it is
 * created or opened (including cases an import job creates).
 */
export class SettingsAwareEngine extends Engine {
  readonly settings: CaseSettingsApplier;

  constructor(options: EngineOptions) {
    super(options);
    this.settings = new CaseSettingsApplier(options.dataDir);
  }

  override async newCaseDir(hint: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safe = hint.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60) || 'case';
    const dir = join(await caseFolderRoot(this.options.dataDir), `${safe}-${stamp}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  override async createCase(dir: string, name?: string): Promise<CaseSession> {
    const session = await super.createCase(dir, name);
    await this.settings.sync(session);
    return session;
  }

  override async openCase(dir: string): Promise<CaseSession> {
    const session = await super.openCase(dir);
    await this.settings.sync(session);
    return session;
  }
}
