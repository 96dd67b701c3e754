import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../engine/appDataDir';
import { startBridge } from './server';
import { APP_VERSION } from '../appVersion';
import { EngineClient } from '../engineProcess/client';
import { nodeEngine } from '../engineProcess/nodeChild';

/** How long a stop waits for running work before it exits anyway. */
const STOP_GRACE_MS = 10_000;

const USAGE = 'Usage: npm run serve -- [--port N] [--case DIR] [--demo] [FILE...]';

/**
 * Browser mode: the built UI and the loopback bridge in this process, the engine in a child
 * process of its own (a DuckDB abort ends that child, not the server; it is restarted).
 */
async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        case: { type: 'string' },
        demo: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port ? Number(values.port) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    console.error(`--port must be a number from 0 to 65535\n${USAGE}`);
    process.exit(2);
  }
  const rendererDir = resolve(process.env.SIGNET_RENDERER_DIR ?? resolve(__dirname, '../../out/renderer'));
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    console.error(`The UI is not built (${rendererDir} is missing). Run: npm run build`);
    process.exit(1);
  }
  for (const file of positionals) {
    if (!existsSync(file)) {
      console.error(`${file}: no such file`);
      process.exit(1);
    }
  }

  const dataDir = defaultDataDir();
  const engine = new EngineClient(nodeEngine(), { dataDir, appVersion: APP_VERSION, mode: 'browser' });
  const first = async (method: string, args: unknown) => {
    const outcome = await engine.invoke(method, args, 'bridge');
    if (!outcome.ok) {
      await engine.close();
      throw new Error(outcome.error.message);
    }
  };
  if (values.case) await first('openCase', { dir: resolve(values.case) });
  if (values.demo) await first('openDemo', { rows: 20_000 });
  else if (positionals.length) await first('openFiles', { paths: positionals.map((p) => resolve(p)) });
  engine.onRestart((r) => console.error(`Signet: ${r.message}`));

  const bridge = await startBridge({
    rendererDir,
    target: engine.call,
    port,
  }).catch((err: unknown) => {
    const code = (err as { code?: string }).code;
    throw new Error(code === 'EADDRINUSE' ? `Port ${port} on 127.0.0.1 is already in use; choose another with --port or omit it` : String(err));
  });
  console.log(`Signet is serving on 127.0.0.1 only (stop with Ctrl+C). Open this URL in a browser:\n${bridge.url}`);
  // One stop for every signal: Ctrl+C reaches npm, the launcher and this process at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`Signet: ${signal} received; stopping the server and closing the case…`);
    // A long import holds the case until it settles; the database keeps what it committed,
    // so after a grace period the process exits anyway and the OS releases the file.
    setTimeout(() => {
      console.error(`Signet: the case did not close within ${STOP_GRACE_MS / 1000} s; exiting (committed data is kept)`);
      process.exit(1);
    }, STOP_GRACE_MS).unref();
    void (async () => {
      await bridge.close();
      await engine.close(STOP_GRACE_MS);
      process.exit(0);
    })();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
