import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { dispatch, type CallContext, type HandlerTable } from '../api/dispatch';
import { CONTENT_SECURITY_POLICY } from '../shell/csp';

export interface BridgeOptions {
  /** Folder holding the built renderer (index.html and assets). */
  rendererDir: string;
  table: HandlerTable;
  context: Omit<CallContext, 'transport'>;
  port?: number;
  token?: string;
}

export interface RunningBridge {
  server: Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
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

const MAX_BODY = 8 * 1024 * 1024;
const COOKIE = 'signet_token';

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
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
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The loopback bridge: the same handler table as Electron IPC, over HTTP on 127.0.0.1.
 * Every request needs the per-run token (query on the first page load, then an
 * HttpOnly cookie for assets and a header for API calls); a foreign Host or Origin is
 * refused so that other sites and DNS rebinding cannot reach it.
 */
export async function startBridge(opts: BridgeOptions): Promise<RunningBridge> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const rendererDir = resolve(opts.rendererDir);
  let port = 0;

  const allowedHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  const allowedOrigin = (origin: string | undefined) =>
    origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;

  const server = createServer(async (req, res) => {
    securityHeaders(res);
    try {
      if (!allowedHost(req.headers.host)) return send(res, 403, 'Forbidden host');
      if (!allowedOrigin(req.headers.origin)) return send(res, 403, 'Forbidden origin');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

      if (url.pathname === '/api/call') {
        if (req.method !== 'POST') return send(res, 405, 'Method not allowed');
        if (!sameToken(req.headers['x-signet-token'] as string | undefined, token)) return send(res, 401, 'Missing or wrong token');
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
        let payload: { method?: unknown; args?: unknown };
        try {
          payload = JSON.parse(await readBody(req)) as { method?: unknown; args?: unknown };
        } catch (err) {
          return send(res, 400, `Bad request body: ${err instanceof Error ? err.message : String(err)}`);
        }
        const outcome = await dispatch(opts.table, String(payload.method ?? ''), payload.args, { ...opts.context, transport: 'bridge' });
        return send(res, 200, JSON.stringify(outcome), 'application/json; charset=utf-8');
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
      const queryToken = url.searchParams.get('token') ?? undefined;
      if (sameToken(queryToken, token)) {
        res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      } else if (!sameToken(cookieToken(req), token)) {
        return send(res, 401, 'Signet: open the URL printed by `npm run serve` (it carries the access token).');
      }

      const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
      const file = normalize(join(rendererDir, rel));
      if (file !== rendererDir && !file.startsWith(rendererDir + sep)) return send(res, 403, 'Forbidden path');
      const st = await stat(file).catch(() => null);
      if (!st?.isFile()) return send(res, 404, 'Not found');
      res.statusCode = 200;
      res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
      return res.end(req.method === 'HEAD' ? undefined : await readFile(file));
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
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
