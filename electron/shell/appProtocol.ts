import { readFile } from 'node:fs/promises';
import type { CustomScheme } from 'electron';
import { CONTENT_SECURITY_POLICY } from './csp';
import { contentType, lookupStaticFile } from './staticFiles';

/**
 * The renderer is served from its own origin, app://signet, rather than file://: a
 * file:// page could read any local file through the browser and shares its origin with
 * every other file; app://signet serves only the built renderer folder, with the CSP as
 * a response header, and is the one origin the session lets requests through to.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'signet';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Registered before the app is ready: a standard, secure origin (so 'self' and ES modules work). */
export const APP_SCHEME_PRIVILEGES: CustomScheme[] = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
];

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

function refusal(status: number, reason: string): Response {
  return new Response(reason, { status, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The `protocol.handle('app', …)` handler: GET of files under the renderer folder, nothing else. */
export function createAppProtocolHandler(rendererDir: string, read: (file: string) => Promise<Buffer> = readFile): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'Method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refusal(400, 'Bad URL');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refusal(403, 'Foreign origin');
    const found = await lookupStaticFile(rendererDir, url.pathname);
    if (!found.ok) return refusal(found.status, found.reason);
    const body = request.method === 'HEAD' ? null : new Uint8Array(await read(found.file));
    return new Response(body, { status: 200, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': contentType(found.file) } });
  };
}
