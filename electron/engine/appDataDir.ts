import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Signet keeps its cases and settings. Matches Electron's userData folder for an
 * app named "Signet", so desktop and browser mode share recent cases.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SIGNET_DATA_DIR) return env.SIGNET_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Signet');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Signet');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Signet');
}
