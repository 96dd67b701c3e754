// Whether the electron-vite build in out/ is current, and building it when it is not.
// Shared by `npm start` and `npm run serve`, so neither rebuilds an up-to-date app.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// engineHost.js is the engine's own process; a build from before it existed is stale.
const OUTPUTS = ['out/main/index.js', 'out/main/engineHost.js', 'out/preload/index.js', 'out/renderer/index.html'];
const SOURCE_DIRS = ['electron', 'renderer'];
const SOURCE_FILES = ['package.json', 'electron.vite.config.ts'];

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The build is stale when any output is missing or older than any source. */
export function needsBuild(root) {
  const outputs = OUTPUTS.map((p) => join(root, p));
  if (outputs.some((p) => !existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = Math.max(
    ...SOURCE_DIRS.map((d) => newestMtime(join(root, d))),
    ...SOURCE_FILES.map((f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0)),
  );
  return sources > built;
}

/**
 * Builds when stale (SIGNET_NO_BUILD=1 skips the check). Returns the build's exit code,
 * 0 when nothing had to be done.
 */
export function buildIfStale(root, env = process.env) {
  if (env.SIGNET_NO_BUILD === '1' || !needsBuild(root)) return 0;
  const vite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  return built.status ?? 1;
}
