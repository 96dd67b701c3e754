import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SERVE = join(ROOT, 'electron/bridge/serve.ts');

export interface ServeChild {
  child: ChildProcess;
  /** The printed launch URL (opens Signet once) and the same origin without the token. */
  url: string;
  origin: string;
  dataDir: string;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * `npm run serve -- ARGS` as the user runs it, minus npm: the real serve entry point in a
 * child process, with its own data folder, serving the built UI.
 */
export async function startServe(args: string[], timeoutMs = 90_000): Promise<ServeChild> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-serve-data-'));
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, SIGNET_DATA_DIR: dataDir },
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  let out = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve printed no URL; stderr: ${err}`)), timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/\S+/.exec(out);
      if (m && out.endsWith('\n')) {
        clearTimeout(timer);
        ok(m[0]);
      }
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${err}`)));
  });
  const stop = () =>
    new Promise<void>((ok) => {
      if (child.exitCode !== null || child.signalCode !== null) return ok();
      const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', () => {
        clearTimeout(force);
        ok();
      });
      child.kill('SIGTERM');
    });
  return { child, url, origin: new URL(url).origin, dataDir, stderr: () => err, stop };
}
