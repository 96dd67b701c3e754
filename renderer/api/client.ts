import type { ArgsOf, CallOutcome, MethodName, ResultOf, SignetApi } from '../../electron/api/contract';
import type { DesktopBridge } from '../../electron/api/desktopHost';

declare global {
  interface Window {
    signet?: DesktopBridge;
  }
}

type Transport = (method: string, args: unknown) => Promise<CallOutcome>;

const TOKEN_KEY = 'signet.token';

/** Browser mode: the token arrives once in the URL, then lives in this tab's session storage. */
function bridgeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function bridgeTransport(): Transport {
  const token = bridgeToken();
  return async (method, args) => {
    const res = await fetch('/api/call', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signet-token': token },
      body: JSON.stringify({ method, args }),
    });
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

export async function call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
  const outcome = await transport(method, args);
  if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message);
  return outcome.result as ResultOf<M>;
}

/** The engine, as the UI sees it: `await api.getRows({...})`. */
export const api = new Proxy({} as SignetApi, {
  get: (_target, method: string) => (args: unknown) => call(method as MethodName, (args ?? {}) as never),
});

export const desktop: DesktopBridge | undefined = window.signet;
