import type { CaseSession } from '../case/caseSession';
import { checkThreshold, defaultThresholds, THRESHOLDS, type Thresholds } from './thresholds';

/** The case's thresholds: defaults, overridden by what the analyst saved in the case. */
export async function loadThresholds(session: CaseSession): Promise<Thresholds> {
  const t = defaultThresholds();
  const rows = await session.db.all<{ key: string; value: number }>('SELECT key, value FROM finding_thresholds');
  for (const r of rows) if (r.key in t) t[r.key] = Number(r.value);
  return t;
}

/** Validate and save changes; `null` restores a default. Returns the full set. */
export async function saveThresholds(session: CaseSession, changes: Record<string, number | null>): Promise<Thresholds> {
  // Check everything first so a bad value leaves the stored set untouched.
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) {
      if (!THRESHOLDS.some((s) => s.key === key)) checkThreshold(key, 0);
    } else checkThreshold(key, value);
  }
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) {
      await session.db.run('DELETE FROM finding_thresholds WHERE key = ?', [key]);
    } else {
      await session.db.run('INSERT OR REPLACE INTO finding_thresholds VALUES (?, ?)', [key, value]);
    }
  }
  return loadThresholds(session);
}
