import type { Database, SqlParam } from '../db/database';
import { impossibleTravel } from './travel';
import { ensureRowLocations } from './rowLocations';

export interface TravelUser {
  user: string;
  signins: number;
  impossible: number;
}

/**
 * Users for the travel picker: everyone with impossible travel under the filter (most
 * segments first), then the users with the most located sign-ins, optionally narrowed
 * by a search string.
 */
export async function travelUsers(
  db: Database,
  opts: { whereSql?: string; params?: SqlParam[]; speedKmh?: number; minDistanceKm?: number; search?: string; limit: number; dataVersion?: number },
): Promise<TravelUser[]> {
  await ensureRowLocations(db, opts.dataVersion);
  const segs = await impossibleTravel(db, { ...opts, limit: 100_000 });
  const impossible = new Map<string, number>();
  for (const s of segs) impossible.set(s.user, (impossible.get(s.user) ?? 0) + 1);
  const where = opts.whereSql?.trim() || 'TRUE';
  const search = opts.search?.trim();
  const params: SqlParam[] = [...(opts.params ?? [])];
  if (search) params.push(`%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  const rows = await db.all<{ who: string; n: string }>(
    `SELECT u.who, CAST(count(*) AS VARCHAR) AS n
     FROM geo_row_loc g JOIN geo_users u USING (user_ix)
     ${where === 'TRUE' ? '' : `JOIN (SELECT row_id FROM signins WHERE ${where}) f USING (row_id)`}
     WHERE g.point_ix IS NOT NULL ${search ? `AND u.who ILIKE ? ESCAPE '\\'` : ''}
     GROUP BY u.who ORDER BY count(*) DESC, u.who LIMIT 20000`,
    params,
  );
  const out = rows.map((r) => ({ user: r.who, signins: Number(r.n), impossible: impossible.get(r.who) ?? 0 }));
  out.sort((a, b) => b.impossible - a.impossible || b.signins - a.signins || a.user.localeCompare(b.user));
  return out.slice(0, opts.limit);
}
