// The engine process's host run inside the test's own process, behind the same message
// channel (every message structured-cloned and delivered asynchronously, as between
// processes), so shell tests can drive the desktop app and still look inside its engine.
import { handlerTable } from '../../electron/api/handlerTable';
import type { Engine } from '../../electron/engine/engine';
import type { EngineChannel, StartEngine } from '../../electron/engineProcess/client';
import { serveEngine, type EngineHost } from '../../electron/engineProcess/host';

export interface LoopbackEngine {
  start: StartEngine;
  /** The engine of the last started host. */
  engine(): Engine;
}

export function loopbackEngine(): LoopbackEngine {
  let host: EngineHost | null = null;
  const start: StartEngine = (): EngineChannel => {
    const toParent: ((m: unknown) => void)[] = [];
    const toHost: ((m: unknown) => void)[] = [];
    const exits: ((how: string) => void)[] = [];
    let alive = true;
    const deliver = (listeners: ((m: unknown) => void)[], message: unknown) => {
      const copy = structuredClone(message);
      setImmediate(() => alive && listeners.forEach((l) => l(copy)));
    };
    const end = (how: string) => {
      if (!alive) return;
      alive = false;
      setImmediate(() => exits.forEach((l) => l(how)));
    };
    host = serveEngine({ post: (m) => deliver(toParent, m), onMessage: (l) => toHost.push(l), exit: (code) => end(`exited with code ${code}`) }, { table: handlerTable });
    return {
      pid: process.pid,
      send: (m) => deliver(toHost, m),
      onMessage: (l) => toParent.push(l),
      onExit: (l) => exits.push(l),
      kill: () => end('killed'),
    };
  };
  return {
    start,
    engine: () => {
      if (!host?.engine) throw new Error('the loopback engine has not been started');
      return host.engine;
    },
  };
}
