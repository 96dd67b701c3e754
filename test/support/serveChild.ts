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
 * The launch URL a serve process prints on its first complete stdout line, and all it
 * printed up to then; refused when it exits or prints none within `timeoutMs`.
 */
export function printedUrl(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<{ url: string; out: string }> {
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve printed no URL; stderr: ${stderr()}`)), timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/\S+/.exec(out);
      if (m && out.endsWith('\n')) {
        clearTimeout(timer);
        ok({ url: m[0], out });
      }
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${stderr()}`)));
  });
}

/**
 * `npm run serve -- ARGS` as the user runs it, minus npm: the real serve entry point in a
 * child process, with its own data folder, serving the built UI.
 */
export async function startServe(args: string[], timeoutMs = 90_000, env: NodeJS.ProcessEnv = {}): Promise<ServeChild> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-serve-data-'));
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, SIGNET_DATA_DIR: dataDir },
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const { url } = await printedUrl(child, timeoutMs, () => err);
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
