import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { targetOf, type CallRoute } from '../api/dispatch';
import type { CallOutcome } from '../api/contract';
import { CONTENT_SECURITY_POLICY } from '../shell/csp';
import { contentType, lookupStaticFile } from '../shell/staticFiles';

/** API calls go to `target` (browser mode: the engine process's client) or a handler table run here (tests). */
export type BridgeOptions = CallRoute & {
  /** Folder holding the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  token?: string;
  /** Told about every completed API call (e.g. to apply settings to a newly opened case). */
  afterCall?(method: string, outcome: CallOutcome): void | Promise<void>;
};

export interface RunningBridge {
  server: Server;
  port: number;
  /** The session secret: the HttpOnly cookie's value and the API calls' header. Never in a URL. */
  token: string;
  /** The URL to open: it carries a one-time launch token that is exchanged for the cookie. */
  url: string;
  close(): Promise<void>;
}

/** API calls carry filters and paths, never evidence; anything bigger is refused. */
export const MAX_BODY = 1024 * 1024;
const COOKIE = 'signet_token';

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE) return v;
  }
  return undefined;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), payment=()');
}

class BodyTooLarge extends Error {}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.statusCode = status;
  // A refused upload is not read to its end; close rather than leave it in the socket.
  if (status === 413) res.setHeader('Connection', 'close');
  res.setHeader('Content-Type', type);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The loopback bridge: the same handler table as Electron IPC, over HTTP on 127.0.0.1.
 * Every request needs the per-run token: the printed URL carries a one-time launch token
 * that is exchanged for an HttpOnly cookie (assets, /api/session), and API calls send the
 * session token, which the page fetches from /api/session, in a header; a foreign Host or Origin is
 * refused so that other sites and DNS rebinding cannot reach it.
 */
export async function startBridge(opts: BridgeOptions): Promise<RunningBridge> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  let launchToken: string | null = randomBytes(24).toString('hex');
  const firstUrl = launchToken;
  const rendererDir = resolve(opts.rendererDir);
  const target = targetOf(opts);
  let port = 0;

  // Only the loopback names of this very port: a DNS-rebinding page (evil.example
  // resolving to 127.0.0.1) sends its own name as Host and is refused.
  const allowedHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  // Browsers send Origin on cross-origin requests and on every POST; another site's
  // page (or a sandboxed frame, Origin "null") is refused.
  const allowedOrigin = (origin: string | undefined) =>
    origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;

  const handleApi = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return send(res, 405, 'Method not allowed: API calls are POST');
    }
    if (!sameToken(headerValue(req, 'x-signet-token'), token)) return send(res, 401, 'Missing or wrong token');
    const mediaType = (headerValue(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') return send(res, 415, 'API calls must be application/json');
    if (Number(headerValue(req, 'content-length') ?? 0) > MAX_BODY) return send(res, 413, `Request body larger than ${MAX_BODY} bytes`);
    let payload: unknown;
    try {
      payload = JSON.parse(await readBody(req));
    } catch (err) {
      if (err instanceof BodyTooLarge) return send(res, 413, `Request body larger than ${MAX_BODY} bytes`);
      return send(res, 400, `Bad request body: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof payload !== 'object' || payload === null || typeof (payload as { method?: unknown }).method !== 'string') {
      return send(res, 400, 'Bad request body: expected {"method": string, "args": object}');
    }
    const { method, args } = payload as { method: string; args?: unknown };
    const call = target(method, args, 'bridge');
    inFlight.add(call);
    const outcome = await call.finally(() => inFlight.delete(call));
    if (opts.afterCall) await Promise.resolve(opts.afterCall(method, outcome)).catch(() => undefined);
    return send(res, 200, JSON.stringify(outcome), 'application/json; charset=utf-8');
  };

  /**
   * The page's own script learns the API token here: the cookie proves it is a page the
   * launch link opened, and another site can neither send that cookie (SameSite=Strict)
   * nor read this answer (no CORS, cross-site requests refused above).
   */
  const handleSession = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return send(res, 405, 'Method not allowed');
    }
    if (!sameToken(cookieToken(req), token)) return send(res, 401, 'Missing or wrong token');
    return send(res, 200, JSON.stringify({ token }), 'application/json; charset=utf-8');
  };

  const handleStatic = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'Method not allowed');
    }
    const hasCookie = sameToken(cookieToken(req), token);
    if (url.searchParams.has('token')) {
      // The printed URL opens Signet once: its launch token becomes the cookie and the
      // browser is sent on to the same address without it, so the URL left in the
      // history, a bookmark or a shared screen opens nothing.
      const fresh = launchToken !== null && sameToken(url.searchParams.get('token') ?? undefined, launchToken);
      if (!fresh && !hasCookie)
        return send(res, 401, 'Signet: this link has been used already (it opens Signet once). Stop and start `npm run serve` again for a new link.');
      if (fresh) {
        launchToken = null;
        res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      }
      url.searchParams.delete('token');
      res.setHeader('Location', `${url.pathname}${url.search}`);
      return send(res, 303, 'Signet: continue without the launch token.');
    }
    if (!hasCookie) return send(res, 401, 'Signet: open the URL printed by `npm run serve` (it carries the access token).');
    // The raw path, not url.pathname: the URL parser would already have resolved "..".
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const found = await lookupStaticFile(rendererDir, rawPath);
    if (!found.ok) return send(res, found.status, found.reason);
    res.statusCode = 200;
    res.setHeader('Content-Type', contentType(found.file));
    return res.end(req.method === 'HEAD' ? undefined : await readFile(found.file));
  };

  /** API calls the engine is still working on (see close()). */
  const inFlight = new Set<Promise<unknown>>();
  const server = createServer(async (req, res) => {
    securityHeaders(res);
    try {
      if (!allowedHost(headerValue(req, 'host'))) return send(res, 403, 'Forbidden host');
      if (!allowedOrigin(headerValue(req, 'origin'))) return send(res, 403, 'Forbidden origin');
      if (headerValue(req, 'sec-fetch-site') === 'cross-site') return send(res, 403, 'Cross-site requests are refused');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname === '/api/call') return await handleApi(req, res);
      if (url.pathname === '/api/session') return handleSession(req, res);
      return await handleStatic(req, res, url);
    } catch (err) {
      return send(res, 500, err instanceof Error ? err.message : String(err));
    }
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${firstUrl}`,
    // A call whose client has gone away may still be running in the engine; closing only
    // after it settles keeps the engine from being closed under a running query.
    close: async () => {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeIdleConnections();
      });
      await Promise.allSettled([...inFlight]);
    },
  };
}
