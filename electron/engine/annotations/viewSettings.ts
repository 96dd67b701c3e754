import type { CaseSession } from '../case/caseSession';

/** Per-case view settings (the grid's column layout), kept in the case database. */
export async function getViewSetting(session: CaseSession, key: string): Promise<string | null> {
  const row = await session.db.one<{ value: string }>(`SELECT value FROM view_settings WHERE key = ?`, [key]);
  return row?.value ?? null;
}

export async function setViewSetting(session: CaseSession, key: string, value: string): Promise<void> {
  await session.db.run(
    `INSERT INTO view_settings VALUES (?, ?, now()::TIMESTAMP)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [key, value],
  );
}
