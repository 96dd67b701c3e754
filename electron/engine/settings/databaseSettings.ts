import type { Database } from '../db/database';
import type { CaseSession } from '../case/caseSession';
import type { UserSettings } from './settingsModel';
import { loadSettings } from './userSettings';

/**
 * Apply the user's DuckDB settings to a case database and return the memory limit now
 * in force. The limit is a validated integer, so it can be written into the statement
 * (SET takes no parameters).
 */
export async function applyDatabaseSettings(db: Database, settings: Pick<UserSettings, 'duckdbMemoryLimitMb'>): Promise<string> {
  const mb = settings.duckdbMemoryLimitMb;
  if (mb === null) await db.run('RESET memory_limit');
  else {
    if (!Number.isInteger(mb) || mb <= 0) throw new Error(`Invalid memory limit: ${mb}`);
    await db.run(`SET memory_limit = '${mb}MiB'`);
  }
  return currentMemoryLimit(db);
}

export async function currentMemoryLimit(db: Database): Promise<string> {
  return String(await db.scalar("SELECT current_setting('memory_limit')"));
}

/**
 * Applies the saved settings once to each case the engine opens. Both transports call
 * `sync` after every call, so a case opened by any path (the UI, a menu, the command
 * line, an import job) gets the limit as soon as it exists.
 */
export class CaseSettingsApplier {
  private readonly applied = new WeakSet<CaseSession>();

  constructor(private readonly dataDir: string) {}

  async sync(session: CaseSession | null): Promise<void> {
    if (!session || this.applied.has(session)) return;
    this.applied.add(session);
    await applyDatabaseSettings(session.db, await loadSettings(this.dataDir));
  }
}
