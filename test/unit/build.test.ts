import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';

const ROOT = resolve(__dirname, '../..');
const CONFIG = 'build/electron-builder.yml';
const quietLogger = { isEnabled: false, add() {}, addValue() {} } as never;

async function loadConfig(): Promise<Configuration> {
  // electron-builder's own loader and schema: what `npm run dist` will actually read.
  return getConfig(ROOT, CONFIG, null);
}

/** electron-builder's glob subset used here: `**` spans folders, `*` stays within one. */
function globToRegExp(glob: string): RegExp {
  const src = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
  return new RegExp(`^${src}$`);
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

test('the packaging config is valid for electron-builder (and its validator does reject a broken one)', async () => {
  const config = await loadConfig();
  await validateConfiguration(config, quietLogger);
  await assert.rejects(validateConfiguration({ ...config, asarUnpackk: ['x'] } as Configuration, quietLogger));
  assert.equal(config.appId, 'dev.signet.viewer');
  assert.equal(config.productName, 'Signet');
  assert.equal(config.electronVersion, JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version);
});

test("asarUnpack covers DuckDB's native binding", async () => {
  const config = await loadConfig();
  const patterns = ([] as string[]).concat(config.asarUnpack ?? []).map(globToRegExp);
  const natives = walk(join(ROOT, 'node_modules/@duckdb')).filter((f) => /\.(node|so|dylib|dll)$/.test(f));
  assert.ok(natives.length > 0, 'the DuckDB binding is installed');
  for (const file of natives) {
    const rel = relative(ROOT, file).split('\\').join('/');
    assert.ok(patterns.some((p) => p.test(rel)), `${rel} would stay inside the asar`);
  }
  assert.equal(config.npmRebuild, false, 'no rebuild (and no header download) for a Node-API binding');
});

test('file associations: exports (.csv .json .ndjson .gz .zip) and Signet case folders', async () => {
  const config = await loadConfig();
  const assoc = ([] as NonNullable<Configuration['fileAssociations']>[]).concat(config.fileAssociations ?? []).flat();
  const byExt = new Map(assoc.flatMap((a) => ([] as string[]).concat(a.ext).map((e) => [e, a] as const)));
  for (const ext of ['csv', 'json', 'ndjson', 'gz', 'zip', 'signetcase']) {
    const a = byExt.get(ext);
    assert.ok(a, `.${ext} is associated`);
    assert.ok(a.name && a.mimeType, `.${ext} has a name and a MIME type (Linux desktop entry)`);
  }
  assert.equal(byExt.get('signetcase')!.isPackage, true, 'a case folder opens as one document on macOS');
  assert.equal(byExt.get('csv')!.rank, 'Alternate', 'Signet does not take over CSV files from spreadsheets');
});

test('no publish target, no update provider, no updater dependency, no telemetry', async () => {
  const config = await loadConfig();
  assert.equal(config.publish, null);
  for (const platform of ['linux', 'win', 'mac'] as const) assert.ok(!config[platform]?.publish, `${platform} has no publish provider`);
  assert.equal(config.detectUpdateChannel, false);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
  for (const name of Object.keys(deps)) assert.doesNotMatch(name, /updater|update-electron-app|analytics|telemetry|sentry|crash-?report/i, name);
  assert.equal(pkg.build, undefined, 'no second electron-builder config hidden in package.json');
  const sources = walk(join(ROOT, 'electron')).filter((f) => f.endsWith('.ts'));
  for (const f of sources) {
    const text = readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /autoUpdater|electron-updater|crashReporter\.start/, relative(ROOT, f));
  }
  const yml = readFileSync(join(ROOT, CONFIG), 'utf8');
  assert.doesNotMatch(yml, /^\s*(provider|url|owner|repo):/m);
});

test('targets: AppImage and deb, NSIS and portable, dmg', async () => {
  const config = await loadConfig();
  assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win?.target, ['nsis', 'portable']);
  assert.deepEqual(config.mac?.target, ['dmg']);
});

test('the icon set exists: 512 px PNG, multi-size ICO and ICNS', () => {
  const png = readFileSync(join(ROOT, 'build/icon.png'));
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [512, 512]);
  for (const size of [16, 32, 48, 64, 128, 256, 512]) {
    const p = readFileSync(join(ROOT, `build/icons/${size}x${size}.png`));
    assert.deepEqual([p.readUInt32BE(16), p.readUInt32BE(20)], [size, size]);
  }
  const ico = readFileSync(join(ROOT, 'build/icon.ico'));
  assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2)], [0, 1]);
  const count = ico.readUInt16LE(4);
  const widths = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
  assert.ok(widths.includes(256) && widths.includes(16), `ICO sizes ${widths}`);
  const icns = readFileSync(join(ROOT, 'build/icon.icns'));
  assert.equal(icns.subarray(0, 4).toString('ascii'), 'icns');
  assert.equal(icns.readUInt32BE(4), icns.length);
});

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** The fuse states ('0' off, '1' on) in a packaged Electron binary. */
function fuseWire(binary: string): string {
  const buf = readFileSync(binary);
  const at = buf.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  return buf.subarray(at + 2, at + 2 + buf[at + 1]!).toString('ascii');
}

/** File names inside an asar archive (header: pickled JSON directory tree). */
function asarFiles(file: string): string[] {
  const buf = readFileSync(file);
  const jsonLength = buf.readUInt32LE(12);
  const header = JSON.parse(buf.subarray(16, 16 + jsonLength).toString('utf8')) as AsarDir;
  const out: string[] = [];
  const visit = (dir: AsarDir, prefix: string) => {
    for (const [name, node] of Object.entries(dir.files)) {
      if ('files' in node) visit(node, `${prefix}${name}/`);
      else out.push(`${prefix}${name}`);
    }
  };
  visit(header, '');
  return out;
}
interface AsarDir {
  files: Record<string, AsarDir | { size: number; unpacked?: boolean }>;
}

test('npm run dist -- --dir packages the app from a local Electron distribution, offline, with fuses flipped', { timeout: 240_000 }, () => {
  for (const built of ['out/main/index.js', 'out/main/engineHost.js', 'out/preload/index.js', 'out/renderer/index.html']) {
    assert.ok(existsSync(join(ROOT, built)), `${built} missing: run npm run build first (npm test does)`);
  }
  // A stand-in for an unpacked Electron (the layout electron-builder copies); no download happens.
  const electronDist = mkdtempSync(join(tmpdir(), 'signet-electron-dist-'));
  mkdirSync(join(electronDist, 'resources'));
  // Electron's fuse wire: sentinel, wire version 1, 8 fuses, Electron's defaults.
  writeFileSync(join(electronDist, 'electron'), Buffer.concat([Buffer.from(`#!/bin/sh\n# ${FUSE_SENTINEL}`), Buffer.from([1, 8]), Buffer.from('10110001\n')]));
  chmodSync(join(electronDist, 'electron'), 0o755);
  writeFileSync(join(electronDist, 'version'), 'v41.7.1');
  writeFileSync(join(electronDist, 'LICENSE'), 'MIT');
  const output = mkdtempSync(join(tmpdir(), 'signet-dist-'));
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/electron-builder/cli.js'), '--config', CONFIG, '--dir', '--linux', '--x64', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ELECTRON_BUILDER_OFFLINE: '1', CI: '1' }, timeout: 230_000 },
  );
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const app = join(output, 'linux-unpacked');
  assert.ok(existsSync(join(app, 'signet')), 'the executable is renamed to signet');
  // RunAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, asar integrity on,
  // only load app from asar on, V8 snapshot unchanged, file:// extra privileges off.
  assert.equal(fuseWire(join(app, 'signet')), '01001100');
  const inAsar = new Set(asarFiles(join(app, 'resources/app.asar')));
  // The engine's own process (engineHost.js, an Electron utility process) and the scripting CLI (--cli, in main's chunks) ship in the app.
  const mainChunks = readdirSync(join(ROOT, 'out/main/chunks')).map((f) => `out/main/chunks/${f}`);
  assert.ok(mainChunks.some((f) => /runCli-.*\.js$/.test(f)), 'the CLI is built');
  for (const f of ['package.json', 'out/main/index.js', 'out/main/engineHost.js', ...mainChunks, 'out/preload/index.js', 'out/renderer/index.html', 'node_modules/zod/package.json', 'node_modules/@duckdb/node-api/package.json']) {
    assert.ok(inAsar.has(f), `${f} is packed`);
  }
  assert.ok(![...inAsar].some((f) => f.startsWith('node_modules/electron/') || f.startsWith('node_modules/electron-updater/')), 'no Electron or updater module inside the app');
  const unpacked = walk(join(app, 'resources/app.asar.unpacked')).map((f) => relative(join(app, 'resources/app.asar.unpacked'), f));
  assert.ok(unpacked.some((f) => /^node_modules\/@duckdb\/node-bindings-[^/]+\/duckdb\.node$/.test(f)), `DuckDB binding unpacked: ${unpacked.join(', ')}`);
  assert.ok(!existsSync(join(app, 'resources/app-update.yml')), 'no update feed file');
});
