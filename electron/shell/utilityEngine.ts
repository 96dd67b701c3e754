import type { utilityProcess as UtilityProcessModule } from 'electron';
import type { EngineChannel, StartEngine } from '../engineProcess/client';

/**
 * The desktop app's engine process: an Electron utility process running engineHost.js
 * (built beside main's index.js). A DuckDB abort or an out-of-memory ends that process,
 * not the window; the engine client starts another and reopens the case.
 */
export function utilityEngine(utilityProcess: Pick<typeof UtilityProcessModule, 'fork'>, entry: string): StartEngine {
  return (): EngineChannel => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Signet engine', stdio: 'inherit' });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.once('exit', (code: number) => listener(`exited with code ${code}`)),
      kill: () => void child.kill(),
    };
  };
}
