import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, relative, resolve } from 'node:path';

/** Content types of the files the built renderer contains; anything else is served as bytes. */
export const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function contentType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Map a URL path onto a file inside `rootDir`, refusing anything that could escape it:
 * malformed escapes, NUL bytes, backslashes, `..` segments after decoding, and
 * symlinks that point outside. Both the app:// protocol and the loopback bridge serve
 * the renderer through this one function.
 */
export async function lookupStaticFile(rootDir: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'Malformed path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400, reason: 'Malformed path' };
  if (decoded.split('/').some((segment) => segment === '..')) return { ok: false, status: 403, reason: 'Forbidden path' };
  const root = resolve(rootDir);
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = normalize(join(root, rel));
  if (!isInside(root, file)) return { ok: false, status: 403, reason: 'Forbidden path' };
  const st = await stat(file).catch(() => null);
  if (!st?.isFile()) return { ok: false, status: 404, reason: 'Not found' };
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
  if (!isInside(realRoot, realFile)) return { ok: false, status: 403, reason: 'Forbidden path' };
  return { ok: true, file };
}
