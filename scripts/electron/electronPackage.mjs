// The installed `electron` npm package as install.js sees it: its folder, version, the
// zip it would download for this machine and where the executable lands.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * The electron package folder. SIGNET_ELECTRON_PACKAGE_DIR points the launcher at another
 * copy of the package (the tests use a temporary one so the shared install is never
 * changed); otherwise it is the project's node_modules/electron.
 */
export function electronPackageDir(root, env = process.env) {
  if (env.SIGNET_ELECTRON_PACKAGE_DIR) return resolve(env.SIGNET_ELECTRON_PACKAGE_DIR);
  return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
}

export function electronVersion(pkgDir) {
  return JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
}

/** Platform and architecture as install.js / @electron/get name them. */
export function targetPlatform(env = process.env) {
  const platform = env.npm_config_platform || process.platform;
  const arch = env.npm_config_arch || process.arch;
  return { platform, arch: arch === 'arm' ? 'armv7l' : arch };
}

/** The release asset install.js downloads, e.g. electron-v41.7.1-linux-x64.zip. */
export function artifactName(version, { platform, arch }) {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/** The executable's path inside dist/, exactly as install.js writes it to path.txt. */
export function platformPath(platform) {
  switch (platform) {
    case 'mas':
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'freebsd':
    case 'openbsd':
    case 'linux':
      return 'electron';
    case 'win32':
      return 'electron.exe';
    default:
      return null;
  }
}

/**
 * The Electron executable, or null when it is not installed. The package's index.js
 * returns the path from path.txt (or throws "Electron failed to install correctly" when
 * the download was skipped at install time); the path may also point at nothing. It is
 * loaded afresh each time because it reads path.txt only when first required.
 */
export function installedBinary(pkgDir) {
  const index = join(pkgDir, 'index.js');
  const require = createRequire(index);
  try {
    delete require.cache[require.resolve(index)];
    const path = require(index);
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
