import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, userSettings, type UserSettings } from './settingsModel';

export const SETTINGS_FILE = 'settings.json';

export function settingsPath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE);
}

/**
 * The saved settings. A missing file means defaults; a field that is invalid (hand
 * edited, or from a newer version) falls back to its default on its own, so one bad
 * value never throws away the rest.
 */
export async function loadSettings(dataDir: string): Promise<UserSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(settingsPath(dataDir), 'utf8'));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  const out: UserSettings = { ...DEFAULT_SETTINGS };
  if (typeof raw !== 'object' || raw === null) return out;
  const shape = userSettings.shape;
  for (const key of Object.keys(shape) as (keyof UserSettings)[]) {
    const parsed = shape[key].safeParse((raw as Record<string, unknown>)[key]);
    if (parsed.success) (out as Record<string, unknown>)[key] = parsed.data;
  }
  return out;
}

/** Validate the merged settings and write them atomically (temp file, then rename). */
export async function saveSettings(dataDir: string, patch: Partial<UserSettings>): Promise<UserSettings> {
  const next = userSettings.parse({ ...(await loadSettings(dataDir)), ...patch });
  await mkdir(dataDir, { recursive: true });
  const file = settingsPath(dataDir);
  await writeFile(`${file}.tmp`, JSON.stringify(next, null, 2));
  await rename(`${file}.tmp`, file);
  return next;
}

/**
 * Where new case folders go: the user's default case folder when set, else `cases`
 * under the data folder. Engine.newCaseDir is meant to call this.
 */
export async function caseFolderRoot(dataDir: string): Promise<string> {
  return (await loadSettings(dataDir)).defaultCaseFolder ?? join(dataDir, 'cases');
}
