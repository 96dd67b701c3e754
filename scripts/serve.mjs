#!/usr/bin/env node
// `npm run serve [-- ARGS]`: build the UI only when it is stale, then run browser mode
// (electron/bridge/serve.ts). Stopping npm (Ctrl+C, SIGTERM, a closed terminal) reaches the
// server: the signal is passed on and this waits for it to close the case and exit.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './buildState.mjs';
import { onParentExit } from './parentExit.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const built = buildIfStale(root);
if (built !== 0) {
  console.error('Signet: the build failed; see the messages above.');
  process.exit(built);
}

// npm runs scripts in the project folder; files and --case are the user's paths, relative to
// where npm was started.
const userCwd = process.env.npm_lifecycle_event === 'serve' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'electron/bridge/serve.ts'), ...process.argv.slice(2)], {
  cwd: userCwd,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
onParentExit(() => child.kill('SIGTERM'));
child.on('error', (err) => {
  console.error(`Signet: could not start browser mode: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
