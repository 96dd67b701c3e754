import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '../..');
const START = join(ROOT, 'scripts/start.mjs');
const ELECTRON_PKG = join(ROOT, 'node_modules/electron');
const VERSION = (JSON.parse(readFileSync(join(ELECTRON_PKG, 'package.json'), 'utf8')) as { version: string }).version;
const ARCH = process.arch === 'arm' ? 'armv7l' : process.arch;
const ZIP_NAME = `electron-v${VERSION}-${process.platform}-${ARCH}.zip`;
// The stand-in is a script with a shebang: not a Windows executable.
const posixOnly = { skip: process.platform === 'win32', timeout: 60_000 };

/**
 * A temporary copy of the electron package (without a binary), so the launcher installs
 * into it and the shared node_modules/electron is never changed.
 */
function electronPackageCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'signet-electron-pkg-')), 'electron');
  cpSync(ELECTRON_PKG, dir, {
    recursive: true,
    filter: (src) => !/^(node_modules|dist|path\.txt)([\\/]|$)/.test(relative(ELECTRON_PKG, src)),
  });
  assert.ok(!existsSync(join(dir, 'path.txt')) && !existsSync(join(dir, 'dist')));
  return dir;
}

/**
 * A stand-in Electron release zip: an `electron` executable that records its argv (to
 * `record`) and exits 7, and the `version` file the real zip carries. Written by Python's
 * zipfile (Unix mode bits in the external attributes, as in Electron's own zips).
 */
function standInZip(dir: string, record: string): { zip: string; sha256: string } {
  const zip = join(dir, ZIP_NAME);
  const script = `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(7);\n`;
  const py = [
    'import os, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)',
    'def add(name, data, mode):',
    '    info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))',
    '    info.create_system = 3',
    '    info.external_attr = mode << 16',
    '    z.writestr(info, data)',
    'add("electron", sys.argv[2], 0o100755)',
    'add("version", sys.argv[3], 0o100644)',
    'add("LICENSES.chromium.html", "<p>stand-in</p>", 0o100644)',
    // Big enough (and incompressible) for the launcher to show download progress.
    'add("resources.pak", os.urandom(1536 * 1024), 0o100644)',
    'z.close()',
  ].join('\n');
  const r = spawnSync('python3', ['-c', py, zip, script, VERSION], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { zip, sha256: createHash('sha256').update(readFileSync(zip)).digest('hex') };
}

/** Lets checksums.json in the package copy list the stand-in zip (as the real one lists the real zip). */
function listInChecksums(pkgDir: string, sha256: string): void {
  const file = join(pkgDir, 'checksums.json');
  const sums = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  assert.ok(sums[ZIP_NAME], `the real checksums.json lists ${ZIP_NAME}`);
  writeFileSync(file, JSON.stringify({ ...sums, [ZIP_NAME]: sha256 }, null, 2));
}

interface Mirror {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A loopback HTTP server holding files under their URL paths. */
async function mirror(files: Record<string, Buffer | string>): Promise<Mirror> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files[req.url ?? ''];
    if (body === undefined) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const m = await mirror({});
  const port = Number(new URL(m.url).port);
  await m.close();
  return port;
}

/**
 * Runs the launcher asynchronously (the mirror answers from this process). The inherited
 * environment's Electron settings are dropped so only the test's apply; ELECTRON_SKIP_BINARY_DOWNLOAD
 * is set as .ci/run sets it, which the launcher must override when it installs on purpose.
 */
function runStart(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(electron_|ELECTRON_|npm_config_electron)/i.test(k)));
  const child = spawn(process.execPath, [START, ...args], {
    cwd: tmpdir(),
    env: { ...base, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', SIGNET_NO_BUILD: '1', electron_config_cache: mkdtempSync(join(tmpdir(), 'signet-electron-cache-')), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((ok) =>
    child.on('close', (status) => {
      clearTimeout(timer);
      ok({ status, stdout, stderr });
    }),
  );
}

function assertThreeWays(stderr: string, files: string): void {
  const lines = stderr.trim().split('\n');
  const tail = lines.slice(-5);
  assert.match(tail[0]!, new RegExp(`the Electron ${VERSION.replace(/\./g, '\\.')} binary is not installed on this machine and could not be installed`));
  assert.match(tail[1]!, /Three ways forward/);
  assert.match(tail[2]!, /ELECTRON_MIRROR=\S+ npm start -- /);
  assert.match(tail[3]!, new RegExp(`npm start -- --electron-zip \\S*${ZIP_NAME.replace(/\./g, '\\.')} `));
  assert.ok(tail[4]!.endsWith(`npm run serve -- ${files}`), tail[4]);
}

test('npm start fetches Electron from ELECTRON_MIRROR, verifies it against the served SHASUMS256.txt and starts it with the app and the files', posixOnly, async () => {
  const work = mkdtempSync(join(tmpdir(), 'signet-mirror-'));
  const record = join(work, 'argv.json');
  const { zip, sha256 } = standInZip(work, record);
  const pkgDir = electronPackageCopy();
  const m = await mirror({
    [`/releases/${VERSION}/${ZIP_NAME}`]: readFileSync(zip),
    [`/releases/${VERSION}/SHASUMS256.txt`]: `${sha256} *${ZIP_NAME}\n${'0'.repeat(64)} *electron-v${VERSION}-other.zip\n`,
  });
  try {
    const r = await runStart(['a.csv', 'sub/b.json'], {
      SIGNET_ELECTRON_PACKAGE_DIR: pkgDir,
      ELECTRON_MIRROR: m.url,
      ELECTRON_CUSTOM_DIR: 'releases/{{ version }}',
      electron_use_remote_checksums: '1',
    });
    assert.equal(r.status, 7, r.stderr);
    assert.deepEqual(m.requests.sort(), [`/releases/${VERSION}/SHASUMS256.txt`, `/releases/${VERSION}/${ZIP_NAME}`]);
    assert.deepEqual(JSON.parse(readFileSync(record, 'utf8')), [ROOT, join(tmpdir(), 'a.csv'), join(tmpdir(), 'sub/b.json')]);
    assert.equal(readFileSync(join(pkgDir, 'path.txt'), 'utf8'), 'electron');
    assert.match(r.stderr, new RegExp(`downloading ${m.url}releases/${VERSION}/${ZIP_NAME}`));
    assert.match(r.stderr, new RegExp(`${ZIP_NAME}: 100% \\(1\\.\\d of 1\\.\\d MB\\)`), `progress shown: ${r.stderr}`);
    assert.match(r.stderr, /Electron \S+ installed \(SHA-256 checked\)/);
  } finally {
    await m.close();
  }
  // Second start: installed, nothing fetched.
  const again = await runStart([], { SIGNET_ELECTRON_PACKAGE_DIR: pkgDir, ELECTRON_MIRROR: m.url });
  assert.equal(again.status, 7, again.stderr);
  assert.equal(m.requests.length, 2);
});

test('npm start checks a mirrored zip against the electron package checksums.json by default', posixOnly, async () => {
  const work = mkdtempSync(join(tmpdir(), 'signet-mirror-'));
  const record = join(work, 'argv.json');
  const { zip, sha256 } = standInZip(work, record);
  const pkgDir = electronPackageCopy();
  listInChecksums(pkgDir, sha256);
  const m = await mirror({ [`/v${VERSION}/${ZIP_NAME}`]: readFileSync(zip) });
  try {
    const r = await runStart(['x.csv'], { SIGNET_ELECTRON_PACKAGE_DIR: pkgDir, ELECTRON_MIRROR: m.url });
    assert.equal(r.status, 7, r.stderr);
    assert.deepEqual(m.requests, [`/v${VERSION}/${ZIP_NAME}`]);
    assert.deepEqual(JSON.parse(readFileSync(record, 'utf8')), [ROOT, join(tmpdir(), 'x.csv')]);
  } finally {
    await m.close();
  }
});

test('npm start refuses a mirrored zip whose SHA-256 does not match, and starts nothing', posixOnly, async () => {
  const work = mkdtempSync(join(tmpdir(), 'signet-mirror-'));
  const record = join(work, 'argv.json');
  const { zip } = standInZip(work, record);
  const pkgDir = electronPackageCopy();
  const m = await mirror({
    [`/v${VERSION}/${ZIP_NAME}`]: readFileSync(zip),
    [`/v${VERSION}/SHASUMS256.txt`]: `${'ab'.repeat(32)} *${ZIP_NAME}\n`,
  });
  try {
    const r = await runStart(['a.csv'], { SIGNET_ELECTRON_PACKAGE_DIR: pkgDir, ELECTRON_MIRROR: m.url, electron_use_remote_checksums: '1' });
    assert.equal(r.status, 3, r.stderr);
    assert.ok(m.requests.includes(`/v${VERSION}/${ZIP_NAME}`), 'the zip was fetched');
    assert.match(r.stderr, /checksum/i);
    assertThreeWays(r.stderr, 'a.csv');
    assert.ok(!existsSync(record), 'the stand-in was not started');
    assert.ok(!existsSync(join(pkgDir, 'path.txt')) && !existsSync(join(pkgDir, 'dist', 'electron')));
  } finally {
    await m.close();
  }
});

test('npm start -- --electron-zip installs a copied zip that matches checksums.json and starts it', posixOnly, async () => {
  const work = mkdtempSync(join(tmpdir(), 'signet-zip-'));
  const record = join(work, 'argv.json');
  const { zip, sha256 } = standInZip(work, record);
  const pkgDir = electronPackageCopy();
  listInChecksums(pkgDir, sha256);
  const r = await runStart(['--electron-zip', zip, 'logs/s.csv'], { SIGNET_ELECTRON_PACKAGE_DIR: pkgDir, ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
  assert.equal(r.status, 7, r.stderr);
  assert.deepEqual(JSON.parse(readFileSync(record, 'utf8')), [ROOT, join(tmpdir(), 'logs/s.csv')]);
  // Laid out the way install.js lays it out, so Electron's index.js and install.js agree.
  assert.equal(readFileSync(join(pkgDir, 'path.txt'), 'utf8'), 'electron');
  assert.equal(readFileSync(join(pkgDir, 'dist', 'version'), 'utf8'), VERSION);
  assert.ok(existsSync(join(pkgDir, 'dist', 'LICENSES.chromium.html')));
  assert.equal(createRequire(join(pkgDir, 'index.js'))(join(pkgDir, 'index.js')), join(pkgDir, 'dist', 'electron'));
  assert.ok(!existsSync(join(pkgDir, 'dist.partial')));
});

test('npm start -- --electron-zip refuses a tampered zip and writes nothing', posixOnly, async () => {
  const work = mkdtempSync(join(tmpdir(), 'signet-zip-'));
  const record = join(work, 'argv.json');
  const { zip, sha256 } = standInZip(work, record);
  const pkgDir = electronPackageCopy();
  listInChecksums(pkgDir, sha256);
  const tampered = join(work, 'copied.zip');
  const bytes = readFileSync(zip);
  bytes[bytes.length - 30]! ^= 0xff;
  writeFileSync(tampered, bytes);
  const r = await runStart(['--electron-zip', tampered, 'a.csv'], { SIGNET_ELECTRON_PACKAGE_DIR: pkgDir });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`is not ${ZIP_NAME.replace(/\./g, '\\.')}: its SHA-256 is [0-9a-f]{64}, the electron package's checksums.json lists ${sha256}`));
  assertThreeWays(r.stderr, 'a.csv');
  assert.ok(!existsSync(record));
  assert.ok(!existsSync(join(pkgDir, 'path.txt')) && !existsSync(join(pkgDir, 'dist')) && !existsSync(join(pkgDir, 'dist.partial')));
});

test('npm start with no mirror reachable and no zip prints the three ways forward, naming the files, and exits non-zero', posixOnly, async () => {
  const pkgDir = electronPackageCopy();
  const r = await runStart(['logs/InteractiveSignIns.csv', 'my export.json'], {
    SIGNET_ELECTRON_PACKAGE_DIR: pkgDir,
    ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
  });
  assert.equal(r.status, 3);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /ECONNREFUSED/);
  assertThreeWays(r.stderr, 'logs/InteractiveSignIns.csv "my export.json"');
  assert.ok(r.stderr.trim().split('\n').length <= 8, r.stderr);
  assert.ok(!existsSync(join(pkgDir, 'path.txt')));
});

test('npm start with no files names FILE... in the ways forward', posixOnly, async () => {
  const r = await runStart([], { SIGNET_ELECTRON_PACKAGE_DIR: electronPackageCopy(), ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
  assert.equal(r.status, 3);
  assertThreeWays(r.stderr, 'FILE...');
});

test('npm start launches the installed Electron with the app folder and absolute file paths', posixOnly, async () => {
  const pkgDir = electronPackageCopy();
  const dist = join(pkgDir, 'dist');
  mkdirSync(dist);
  writeFileSync(join(pkgDir, 'path.txt'), 'electron');
  const record = join(dist, 'argv.json');
  const fake = join(dist, 'electron');
  // A stand-in binary: records its arguments and exits with a code the launcher must pass on.
  writeFileSync(fake, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(7);\n`);
  chmodSync(fake, 0o755);
  const r = await runStart(['a.csv', 'sub/b.json'], { SIGNET_ELECTRON_PACKAGE_DIR: pkgDir, ELECTRON_MIRROR: 'http://127.0.0.1:1/' });
  assert.equal(r.status, 7, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(JSON.parse(readFileSync(record, 'utf8')), [ROOT, join(tmpdir(), 'a.csv'), join(tmpdir(), 'sub/b.json')]);
});

test('npm start and npm run serve rebuild only when a source is newer than the build', async () => {
  const { needsBuild } = (await import(pathToFileURL(join(ROOT, 'scripts/buildState.mjs')).href)) as { needsBuild(root: string): boolean };
  const root = mkdtempSync(join(tmpdir(), 'signet-buildstate-'));
  const write = (p: string, at: number) => {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), p);
    utimesSync(join(root, p), at, at);
  };
  write('package.json', 1000);
  write('electron/engine/engine.ts', 1000);
  write('renderer/app/App.tsx', 1000);
  assert.equal(needsBuild(root), true, 'nothing built yet');
  for (const out of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html']) write(out, 2000);
  assert.equal(needsBuild(root), true, 'the engine host is not built yet');
  write('out/main/engineHost.js', 2000);
  assert.equal(needsBuild(root), false, 'built after every source');
  write('renderer/app/App.tsx', 3000);
  assert.equal(needsBuild(root), true, 'a renderer source changed');
  write('out/renderer/index.html', 4000);
  write('out/main/index.js', 4000);
  write('out/main/engineHost.js', 4000);
  write('out/preload/index.js', 4000);
  assert.equal(needsBuild(root), false);
  write('electron.vite.config.ts', 5000);
  assert.equal(needsBuild(root), true, 'the build configuration changed');
});
