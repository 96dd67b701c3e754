import { z } from 'zod';
import { method, type MethodSpec } from '../method';
import { DEFAULT_SETTINGS, userSettings, type UserSettings } from '../../engine/settings/settingsModel';

export { DEFAULT_SETTINGS, userSettings, type UserSettings };

export const settingsState = z.object({
  settings: userSettings,
  /** Where the settings live (shown so a responder knows what to back up or wipe). */
  file: z.string(),
  /** The memory limit DuckDB reports for the open case, or null when no case is open. */
  caseMemoryLimit: z.string().nullable(),
});

export const bundledData = z.object({
  name: z.string(),
  version: z.string(),
  usedFor: z.string(),
  source: z.string(),
  licence: z.string(),
});

export const aboutInfo = z.object({
  signet: z.string(),
  electron: z.string().nullable(),
  chromium: z.string().nullable(),
  node: z.string(),
  v8: z.string(),
  duckdb: z.string(),
  platform: z.string(),
  arch: z.string(),
  mode: z.enum(['desktop', 'browser']),
  dataDir: z.string(),
  bundledData: z.array(bundledData),
});

export const settingsMethods = {
  getSettings: method(z.object({}), settingsState, 'The user settings, where they are stored, and the memory limit in force.'),
  updateSettings: method(
    z.object({ patch: userSettings.partial() }),
    settingsState,
    'Change some settings; they are saved at once and the memory limit is applied to the open case.',
  ),
  resolveOpenPaths: method(
    z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(500) }),
    z.object({ files: z.array(z.string()), cases: z.array(z.string()), problems: z.array(z.string()) }),
    'Sort dropped or launched paths into export files to import (folders contribute the exports inside them), case folders to open, and problems.',
  ),
  about: method(z.object({}), aboutInfo, 'Versions of Signet and its runtime, and the licences of the data it bundles.'),
} satisfies Record<string, MethodSpec>;

export type SettingsState = z.infer<typeof settingsState>;
export type AboutInfo = z.infer<typeof aboutInfo>;
