import { z } from 'zod';

function isTimeZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The user's preferences, kept in settings.json in the app's data folder. */
export const userSettings = z.object({
  /** How times are shown: 'UTC', 'local' (this machine's zone) or an IANA zone name. Stored data stays UTC. */
  timeZone: z.string().min(1).max(64).refine(isTimeZone, 'not a known time zone'),
  theme: z.enum(['system', 'light', 'dark']),
  /** Where new cases are created; null means the app's data folder. */
  defaultCaseFolder: z.string().min(1).max(4096).nullable(),
  /** DuckDB's memory limit for the open case in MiB; null leaves DuckDB's default (80% of RAM). */
  duckdbMemoryLimitMb: z.number().int().min(256).max(4 * 1024 * 1024).nullable(),
});

export const DEFAULT_SETTINGS: UserSettings = { timeZone: 'UTC', theme: 'system', defaultCaseFolder: null, duckdbMemoryLimitMb: null };

export type UserSettings = z.infer<typeof userSettings>;
