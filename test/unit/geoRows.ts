import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';

/** A sign-in row for geo tests: only what location and travel read. */
export interface GeoRow {
  user: string;
  time: string;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  lat?: number | null;
  lon?: number | null;
  ip?: string | null;
  status?: 'success' | 'failure';
}

export async function geoCase(rows: GeoRow[], label = 'geo'): Promise<CaseSession> {
  const session = await CaseSession.create(mkdtempSync(join(tmpdir(), `signet-${label}-`)), 'test');
  await insertGeoRows(session, rows);
  return session;
}

export async function insertGeoRows(session: CaseSession, rows: GeoRow[], firstRowId?: number): Promise<void> {
  let id = firstRowId ?? Number(await session.db.scalar('SELECT coalesce(max(row_id), 0) + 1 FROM signins'));
  for (const r of rows) {
    await session.db.run(
      `INSERT INTO signins (row_id, time_utc, request_id, user_principal_name, city, state, country, latitude, longitude, ip_address, status, error_code, log_type)
       VALUES (?, CAST(? AS TIMESTAMP), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'interactive')`,
      [
        id,
        r.time.replace('T', ' ').replace('Z', ''),
        `req-${id}`,
        r.user,
        r.city ?? null,
        r.state ?? null,
        r.country ?? null,
        r.lat ?? null,
        r.lon ?? null,
        r.ip ?? null,
        r.status ?? 'success',
        r.status === 'failure' ? 50126 : 0,
      ],
    );
    id++;
  }
  session.changed();
}
