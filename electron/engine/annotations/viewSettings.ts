import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';

/** Per-case view settings (the grid's column layout), kept in the case database. */
export async function getViewSetting(session: CaseSession, key: string): Promise<string | null> {
  const row = await session.db.one<{ value: string }>(`SELECT value FROM view_settings WHERE key = ?`, [key]);
  return row?.value ?? null;
}

export async function setViewSetting(session: CaseSession, key: string, value: string): Promise<void> {
  // Settings are case content (audited with a checksum); an unchanged value is no change.
  if ((await getViewSetting(session, key)) === value) return;
  await session.db.run(
    `INSERT INTO view_settings VALUES (?, ?, now()::TIMESTAMP)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [key, value],
  );
  await appendAudit(session, { action: 'view-settings', detail: { key }, tables: ['view_settings'] });
}
