#!/usr/bin/env node
// `npm start [-- [--electron-zip PATH] FILE...]`: make sure the Electron binary is there,
// build the app when its sources are newer than the build, then launch Electron with the
// files. `npm ci` never downloads Electron (package.json denies its install script), so the
// first start installs it: from a copied release zip when --electron-zip is given, else
// through Electron's own installer (GitHub, or ELECTRON_MIRROR). When neither works it says
// what the ways forward are and exits non-zero.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './buildState.mjs';
import { onParentExit } from './parentExit.mjs';
import { electronPackageDir, electronVersion, installedBinary, artifactName, targetPlatform } from './electron/electronPackage.mjs';
import { installFromMirror } from './electron/installFromMirror.mjs';
import { installFromZip } from './electron/installFromZip.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Exit code when Electron is not installed and could not be (distinct from a crash of the app). */
const EXIT_NO_ELECTRON = 3;
const EXIT_USAGE = 2;

/** npm runs scripts in the project folder; the user's paths are relative to where npm was started. */
function userCwd() {
  return process.env.npm_lifecycle_event === 'start' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
}

function parseArgs(argv) {
  const files = [];
  let zip = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--cli') {
      // `npm start -- --cli <command> ...`: the app's scripting mode (electron/main.ts); its
      // arguments are the command's, passed on as they are.
      return { files, zip, cli: argv.slice(i + 1) };
    }
    if (arg === '--electron-zip') {
      zip = argv[++i] ?? '';
      if (!zip) return { error: '--electron-zip needs the path of an Electron release zip' };
    } else if (arg.startsWith('--electron-zip=')) {
      zip = arg.slice('--electron-zip='.length);
    } else files.push(arg);
  }
  return { files, zip, cli: null };
}

function shellQuoted(files) {
  return files.map((f) => (/[\s"'$`\\]/.test(f) ? JSON.stringify(f) : f)).join(' ') || 'FILE...';
}

function waysForward(reason, version, files) {
  const zipName = artifactName(version, targetPlatform());
  const rest = shellQuoted(files);
  return [
    `Signet: the Electron ${version} binary is not installed on this machine and could not be installed (${reason}).`,
    'The desktop window needs it. Three ways forward:',
    `  1. a mirror of Electron's releases:  ELECTRON_MIRROR=https://mirror.example/electron/ npm start -- ${rest}`,
    `  2. a copied release zip:             npm start -- --electron-zip /path/to/${zipName} ${rest}`,
    `  3. browser mode (no Electron):       npm run serve -- ${rest}`,
  ].join('\n');
}

async function ensureElectron(pkgDir, zip) {
  const installed = installedBinary(pkgDir);
  if (installed) {
    if (zip) console.error(`Signet: Electron is already installed (${installed}); --electron-zip is not needed.`);
    return { binary: installed };
  }
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { reason: `ELECTRON_OVERRIDE_DIST_PATH is set (${process.env.ELECTRON_OVERRIDE_DIST_PATH}) and has no Electron executable` };
  }
  const version = electronVersion(pkgDir);
  let result;
  if (zip) {
    console.error(`Signet: installing Electron ${version} from ${zip} (once; later starts reuse it)`);
    result = await installFromZip({ root, pkgDir, zipPath: resolve(userCwd(), zip) });
  } else {
    console.error(`Signet: installing Electron ${version} with Electron's installer (once; later starts reuse it)`);
    result = await installFromMirror({ root, pkgDir });
  }
  if (!result.ok) return { reason: result.reason };
  const binary = installedBinary(pkgDir);
  if (!binary) return { reason: `Electron's installer finished but left no executable in ${join(pkgDir, 'dist')}` };
  console.error(`Signet: Electron ${version} installed (SHA-256 checked): ${binary}`);
  return { binary };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.error) {
    console.error(`Signet: ${args.error}\nUsage: npm start -- [--electron-zip PATH] [FILE... | --cli COMMAND ...]`);
    return EXIT_USAGE;
  }
  const pkgDir = electronPackageDir(root);
  const electron = await ensureElectron(pkgDir, args.zip);
  if (!electron.binary) {
    console.error(waysForward(electron.reason, electronVersion(pkgDir), args.files));
    return EXIT_NO_ELECTRON;
  }

  const built = buildIfStale(root);
  if (built !== 0) {
    console.error('Signet: the build failed; see the messages above.');
    return built;
  }

  // Files are resolved here because Electron's working directory is not the user's.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const files = args.files.map((f) => (f.startsWith('-') ? f : resolve(userCwd(), f)));
  const child = args.cli
    ? spawn(electron.binary, [root, ...files, '--cli', ...args.cli], { cwd: userCwd(), stdio: 'inherit', env })
    : spawn(electron.binary, [root, ...files], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  onParentExit(() => child.kill('SIGTERM'));
  return new Promise((done) => {
    child.on('error', (err) => {
      console.error(`Signet: could not start Electron (${electron.binary}): ${err.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

process.exitCode = await main();
