// `npm start -- --electron-zip PATH`: install a copied Electron release zip for a machine
// that can reach neither GitHub nor a mirror. The zip must be the exact release asset for
// this package version and platform: its SHA-256 is checked against the list that ships
// with the electron package (checksums.json) before anything is written. It is then laid
// out the way install.js does it: unpacked into dist/, electron.d.ts moved up, path.txt
// naming the executable.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
import { artifactName, electronVersion, platformPath, targetPlatform } from './electronPackage.mjs';
import { progressLine } from './progressLine.mjs';

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** Checks the zip against checksums.json; returns null when it matches, else the reason. */
export function checksumProblem(zipBytes, zipPath, pkgDir, env = process.env) {
  const version = electronVersion(pkgDir);
  const expectedName = artifactName(version, targetPlatform(env));
  const checksums = JSON.parse(readFileSync(join(pkgDir, 'checksums.json'), 'utf8'));
  const actual = createHash('sha256').update(zipBytes).digest('hex');
  const expected = checksums[expectedName];
  if (!expected) return `the electron package's checksums.json has no entry for ${expectedName}, so no zip can be checked for this machine`;
  if (actual === expected) return null;
  const other = Object.keys(checksums).find((name) => checksums[name] === actual);
  if (other) return `${zipPath} is ${other}; this machine needs ${expectedName}`;
  return `${zipPath} is not ${expectedName}: its SHA-256 is ${actual}, the electron package's checksums.json lists ${expected}`;
}

function openZip(bytes, yauzl) {
  return new Promise((ok, fail) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => (err ? fail(err) : ok(zip))));
}

function openEntry(zip, entry) {
  return new Promise((ok, fail) => zip.openReadStream(entry, (err, stream) => (err ? fail(err) : ok(stream))));
}

async function streamText(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Unpacks every entry under dir, keeping Unix modes and symlinks (macOS frameworks use them). */
async function unpack(bytes, dir, label, yauzl) {
  const zip = await openZip(bytes, yauzl);
  const progress = progressLine();
  let count = 0;
  await mkdir(dir, { recursive: true });
  const root = await realpath(dir);
  await new Promise((ok, fail) => {
    zip.on('error', fail);
    zip.on('end', ok);
    zip.on('entry', (entry) => {
      (async () => {
        progress.update(`Signet: unpacking ${label}`, ++count, zip.entryCount, 'files');
        if (entry.fileName.startsWith('__MACOSX/')) return;
        const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
        const isDir = (mode & S_IFMT) === S_IFDIR || entry.fileName.endsWith('/');
        const dest = join(root, entry.fileName);
        const parent = isDir ? dest : dirname(dest);
        await mkdir(parent, { recursive: true });
        // yauzl refuses absolute and ".." names; a symlink earlier in the zip could still lead out.
        const within = relative(root, await realpath(parent));
        if (within.split(sep).includes('..')) throw new Error(`${entry.fileName} would be written outside ${root}`);
        if (isDir) return;
        const stream = await openEntry(zip, entry);
        if ((mode & S_IFMT) === S_IFLNK) await symlink(await streamText(stream), dest);
        else await pipeline(stream, createWriteStream(dest, { mode: (mode & 0o777) || 0o644 }));
      })().then(() => zip.readEntry(), fail);
    });
    zip.readEntry();
  });
  progress.end();
}

/**
 * Installs from the zip into pkgDir/dist. Resolves { ok: true } or { ok: false, reason };
 * on any failure nothing is left in dist/ or path.txt.
 */
export async function installFromZip({ root, pkgDir, zipPath, env = process.env }) {
  const executable = platformPath(targetPlatform(env).platform);
  if (!executable) return { ok: false, reason: `Electron has no build for ${process.platform}` };
  let bytes;
  try {
    bytes = await readFile(zipPath);
  } catch (err) {
    return { ok: false, reason: `cannot read ${zipPath}: ${err.code === 'ENOENT' ? 'no such file' : err.message}` };
  }
  const problem = checksumProblem(bytes, zipPath, pkgDir, env);
  if (problem) return { ok: false, reason: problem };
  process.stderr.write(`Signet: ${zipPath} matches the electron package's checksums.json (SHA-256)\n`);

  const yauzl = createRequire(join(root, 'package.json'))('yauzl');
  const dist = join(pkgDir, 'dist');
  const partial = join(pkgDir, 'dist.partial');
  try {
    await rm(partial, { recursive: true, force: true });
    await unpack(bytes, partial, basename(zipPath), yauzl);
    await rm(join(pkgDir, 'path.txt'), { force: true });
    await rm(dist, { recursive: true, force: true });
    await rename(partial, dist);
    if (existsSync(join(dist, 'electron.d.ts'))) await rename(join(dist, 'electron.d.ts'), join(pkgDir, 'electron.d.ts'));
    if (!existsSync(join(dist, executable))) {
      await rm(dist, { recursive: true, force: true });
      return { ok: false, reason: `${zipPath} has no ${executable}` };
    }
    await writeFile(join(pkgDir, 'path.txt'), executable);
    return { ok: true };
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    return { ok: false, reason: `could not unpack ${zipPath}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
