import type { Database } from '../db/database';
import { UserError } from '../errors';

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Etc/UCT', 'UCT', 'Zulu', 'Etc/Zulu', 'Universal', 'Etc/Universal']);

let known: Promise<Set<string>> | null = null;

/** Zone names DuckDB's ICU knows, read once per process. */
async function knownZones(db: Database): Promise<Set<string>> {
  known ??= db.all<{ name: string }>(`SELECT name FROM pg_timezone_names()`).then((rows) => new Set(rows.map((r) => r.name)));
  return known;
}

export interface Zone {
  name: string;
  isUtc: boolean;
}

/** A display zone checked against ICU's list; the name then reaches SQL only as a parameter. */
export async function resolveZone(db: Database, name: string): Promise<Zone> {
  if (UTC_NAMES.has(name)) return { name: 'UTC', isUtc: true };
  if (!(await knownZones(db)).has(name)) throw new UserError(`Unknown time zone: ${name.slice(0, 64)}`, 'bad_time_zone');
  return { name, isUtc: false };
}
