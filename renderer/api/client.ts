import type { ArgsOf, CallOutcome, MethodName, ResultOf, SignetApi } from '../../electron/api/contract';
import type { DesktopBridge } from '../../electron/api/desktopHost';

declare global {
  interface Window {
    signet?: DesktopBridge;
  }
}

type Transport = (method: string, args: unknown) => Promise<CallOutcome>;

const TOKEN_KEY = 'signet.token';

/**
 * Browser mode: the bridge exchanged the printed URL's one-time launch token for an
 * HttpOnly cookie; the API token comes from /api/session (same origin, cookie) and lives
 * in this tab's session storage.
 */
async function sessionToken(): Promise<string> {
  const res = await fetch('/api/session', { headers: { accept: 'application/json' } });
  if (!res.ok) return '';
  const token = ((await res.json()) as { token?: unknown }).token;
  if (typeof token !== 'string') return '';
  sessionStorage.setItem(TOKEN_KEY, token);
  return token;
}

function bridgeTransport(): Transport {
  let token: Promise<string> = Promise.resolve(sessionStorage.getItem(TOKEN_KEY) ?? '').then((t) => t || sessionToken());
  const post = async (method: string, args: unknown) =>
    fetch('/api/call', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signet-token': await token },
      body: JSON.stringify({ method, args }),
    });
  return async (method, args) => {
    let res = await post(method, args);
    if (res.status === 401) {
      // A token kept from an earlier run of the bridge: ask for this run's once.
      sessionStorage.removeItem(TOKEN_KEY);
      token = sessionToken();
      res = await post(method, args);
    }
    if (!res.ok) return { ok: false, error: { code: `http_${res.status}`, message: await res.text() } };
    return (await res.json()) as CallOutcome;
  };
}

const transport: Transport = window.signet ? (m, a) => window.signet!.call(m, a) : bridgeTransport();

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const engineRestartListeners = new Set<(message: string) => void>();

/**
 * Told when the engine process stopped during a call and was restarted: the message names
 * the call and what became of the case, whichever view made the call.
 */
export function onEngineRestart(listener: (message: string) => void): () => void {
  engineRestartListeners.add(listener);
  return () => engineRestartListeners.delete(listener);
}

export async function call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
  const outcome = await transport(method, args);
  if (!outcome.ok) {
    if (outcome.error.code === 'engine_restarted') for (const l of engineRestartListeners) l(outcome.error.message);
    throw new ApiError(outcome.error.code, outcome.error.message);
  }
  return outcome.result as ResultOf<M>;
}

/** The engine, as the UI sees it: `await api.getRows({...})`. */
export const api = new Proxy({} as SignetApi, {
  get: (_target, method: string) => (args: unknown) => call(method as MethodName, (args ?? {}) as never),
});

export const desktop: DesktopBridge | undefined = window.signet;
