// Runs Electron's own installer (the package's install.js, i.e. @electron/get) so that
// ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR, electron_config_cache, electron_use_remote_checksums
// and the matching npm config keys work as documented by Electron.
import { spawn } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progressLine } from './progressLine.mjs';

/** Small files (SHASUMS256.txt) arrive at once; a progress line for them is noise. */
const SHOWN_FROM_BYTES = 1024 * 1024;
const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), 'downloadProgress.cjs');

/** The error install.js printed (its stack's first line), without the stack frames. */
function failureReason(stderr, code) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const first = lines.find((l) => !l.startsWith('at ')) ?? '';
  return first || `Electron's installer exited with code ${code}`;
}

/**
 * Installs the binary into pkgDir/dist. Resolves { ok: true } or { ok: false, reason }.
 * install.js resolves @electron/get and extract-zip from its own folder; NODE_PATH adds the
 * project's node_modules for a package copy outside it.
 */
export function installFromMirror({ root, pkgDir, env = process.env }) {
  const childEnv = { ...env, SIGNET_ELECTRON_INSTALL_FROM: pkgDir };
  // .ci/run and offline build machines set this so that `npm ci` never downloads; install.js
  // honours it too, and here the user asked for the download.
  delete childEnv.ELECTRON_SKIP_BINARY_DOWNLOAD;
  childEnv.NODE_PATH = [join(root, 'node_modules'), env.NODE_PATH].filter(Boolean).join(delimiter);
  const progress = progressLine();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--require', PRELOAD, join(pkgDir, 'install.js')], {
      cwd: pkgDir,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stdout.on('data', (c) => process.stderr.write(c));
    child.stderr.on('data', (c) => (stderr += c.toString()));
    child.on('message', (m) => {
      if (m?.type === 'download') {
        progress.end();
        process.stderr.write(`Signet: downloading ${m.url}\n`);
      } else if (m?.type === 'progress' && (m.total ?? Infinity) >= SHOWN_FROM_BYTES) progress.update(`  ${m.file}`, m.transferred, m.total);
    });
    child.on('error', (err) => {
      progress.end();
      done({ ok: false, reason: err.message });
    });
    child.on('exit', (code, signal) => {
      progress.end();
      if (code === 0) done({ ok: true });
      else done({ ok: false, reason: signal ? `Electron's installer was stopped (${signal})` : failureReason(stderr, code) });
    });
  });
}
