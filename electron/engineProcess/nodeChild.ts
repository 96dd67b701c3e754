import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EngineChannel, StartEngine } from './client';

/**
 * Browser mode's engine process: a Node child running hostEntry. From the sources (npm run
 * serve and the tests run TypeScript through tsx) the child loads tsx too; from a build it
 * runs the bundled engineHost.js beside this file (or `hostFile`).
 */
export function nodeEngine(hostFile?: string): StartEngine {
  const entry = hostFile ?? (__filename.endsWith('.ts') ? join(__dirname, 'hostEntry.ts') : join(__dirname, 'engineHost.js'));
  const fromSource = entry.endsWith('.ts');
  if (!existsSync(entry)) throw new Error(`The engine process's entry ${entry} is missing; run npm run build`);
  const execArgv = fromSource ? ['--import', pathToFileURL(require.resolve('tsx')).href] : [];
  return (): EngineChannel => {
    // stdout is the parent's to print on (serve prints exactly one URL): the engine's output goes to stderr.
    const child = fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 2, 2, 'ipc'] });
    let ended = false;
    const exitListeners: ((how: string) => void)[] = [];
    const end = (how: string) => {
      if (ended) return;
      ended = true;
      for (const l of exitListeners) l(how);
    };
    child.on('exit', (code, signal) => end(signal ? `killed by ${signal}` : `exited with code ${code}`));
    child.on('error', (err) => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) return;
      end(`could not start: ${err.message}`);
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => void child.kill('SIGKILL'),
    };
  };
}
