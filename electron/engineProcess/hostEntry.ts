import { handlerTable } from '../api/handlerTable';
import { serveEngine, type HostPort } from './host';
import { SettingsAwareEngine } from '../engine/settings/settingsAwareEngine';
import { testImportGate } from './testImportGate';

/**
 * Entry of the engine process. In the desktop app it is an Electron utility process
 * (messages on process.parentPort); in browser mode a Node child process (process IPC).
 */
interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function hostPort(): HostPort {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      post: (m) => parentPort.postMessage(m),
      onMessage: (listener) => parentPort.on('message', (e) => listener(e.data)),
      exit: (code) => process.exit(code),
    };
  }
  const send = process.send?.bind(process);
  if (!send) {
    console.error('The Signet engine runs as a child of the app or of `npm run serve`, not on its own.');
    process.exit(2);
  }
  return {
    post: (m) => void send(m),
    onMessage: (listener) => process.on('message', listener),
    exit: (code) => process.exit(code),
  };
}

const port = hostPort();
const beforeSourceRead = testImportGate(process.env);
const host = serveEngine(port, { table: handlerTable, ...(beforeSourceRead ? { makeEngine: (o) => new SettingsAwareEngine({ ...o, beforeSourceRead }) } : {}) });

// The parent went away without a `close` (it was killed): close the case as a stop would.
process.on('disconnect', () => {
  const session = host.engine?.current;
  host.engine?.close();
  void (session ? session.db.closed : Promise.resolve()).finally(() => process.exit(0));
  setTimeout(() => process.exit(1), 10_000).unref();
});
