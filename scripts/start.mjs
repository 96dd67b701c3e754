#!/usr/bin/env node
// `npm start [-- FILE...]`: build the app when its sources are newer than the build,
// then launch Electron with the files. Where the Electron binary is not installed (the
// project's build machines install with Electron's download disabled), say so in one
// line, point at browser mode, and exit non-zero.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** Exit code when Electron is not installed (distinct from a crash of the app). */
const EXIT_NO_ELECTRON = 3;

/**
 * The Electron executable, or null when it is not installed. Requiring 'electron' from
 * Node returns the binary's path, but throws ("Electron failed to install correctly")
 * when the download was skipped at install time; the path may also point at nothing.
 */
function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

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
function needsBuild() {
  const outputs = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'].map((p) => join(root, p));
  if (outputs.some((p) => !existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = Math.max(newestMtime(join(root, 'electron')), newestMtime(join(root, 'renderer')), statSync(join(root, 'package.json')).mtimeMs);
  return sources > built;
}

const files = process.argv.slice(2);
const electron = electronBinary();
if (!electron) {
  const quoted = files.map((f) => (/[\s"']/.test(f) ? JSON.stringify(f) : f)).join(' ');
  console.error(
    `Signet: the Electron binary is not installed on this machine, so the desktop window cannot start; use browser mode instead: npm run serve --${quoted ? ` ${quoted}` : ' FILE...'}`,
  );
  process.exit(EXIT_NO_ELECTRON);
}

if (process.env.SIGNET_NO_BUILD !== '1' && needsBuild()) {
  const vite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('Signet: the build failed; see the messages above.');
    process.exit(built.status ?? 1);
  }
}

// Files are resolved here because Electron's working directory is not the user's.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron, [root, ...files.map((f) => (f.startsWith('-') ? f : resolve(f)))], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  console.error(`Signet: could not start Electron (${electron}): ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
