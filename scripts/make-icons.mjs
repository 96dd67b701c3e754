#!/usr/bin/env node
// Renders build/icon.svg into the icon files electron-builder packs: PNGs (Linux and the
// window icon), icon.ico (Windows, PNG-compressed entries) and icon.icns (macOS). Run it
// after changing the SVG: node scripts/make-icons.mjs. Needs Chromium (playwright-core).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const build = resolve(dirname(fileURLToPath(import.meta.url)), '../build');
const svg = readFileSync(join(build, 'icon.svg'), 'utf8');
const SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];

const browser = await chromium.launch({ executablePath: process.env.SIGNET_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const png = {};
try {
  const page = await browser.newPage();
  for (const size of SIZES) {
    await page.setViewportSize({ width: size, height: size });
    const sized = svg.replace('width="512" height="512"', `width="${size}" height="${size}"`);
    await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
    png[size] = await page.locator('svg').screenshot({ omitBackground: true });
  }
} finally {
  await browser.close();
}

mkdirSync(join(build, 'icons'), { recursive: true });
for (const size of SIZES.filter((s) => s <= 512)) writeFileSync(join(build, 'icons', `${size}x${size}.png`), png[size]);
writeFileSync(join(build, 'icon.png'), png[512]);

// ICO: a directory of PNG images (Windows Vista and later read PNG entries).
function ico(sizes) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  const entries = [];
  let offset = 6 + 16 * sizes.length;
  for (const size of sizes) {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(png[size].length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png[size].length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...sizes.map((s) => png[s])]);
}
writeFileSync(join(build, 'icon.ico'), ico([16, 32, 48, 64, 128, 256]));

// ICNS: typed chunks of PNG data.
function icns(types) {
  const chunks = types.map(([type, size]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + png[size].length, 4);
    return Buffer.concat([head, png[size]]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}
writeFileSync(join(build, 'icon.icns'), icns([['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]]));
console.log(`Icons written to ${build}`);
