// Runs console queries in a child process for sqlGuard.test.ts, so that a statement that
// aborts the process cannot take the test runner with it. Usage:
//   queries JSON_ARRAY_OF_SQL       → one JSON line per query on stderr: { sql, kind, message }
//   exit|sigterm|abort              → prints the snapshot folder, then ends that way
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { makeSqlFixture } from './sqlFixture';
import { runReadOnlyQuery, disposeConsole, QueryFailure } from '../../electron/engine/sql/readOnlyQuery';

const say = (o: unknown) => process.stderr.write(`${JSON.stringify(o)}\n`);

void (async () => {
  const fx = await makeSqlFixture(50);
  const [mode, arg] = process.argv.slice(2);
  if (mode === 'queries') {
    for (const raw of JSON.parse(arg!) as string[]) {
      const sql = raw.replace(/SANDBOX/g, fx.sandboxDir);
      try {
        const r = await runReadOnlyQuery(fx.session, sql);
        say({ sql: raw, kind: 'ok', message: JSON.stringify(r.rows).slice(0, 200) });
      } catch (err) {
        say({ sql: raw, kind: err instanceof QueryFailure ? err.kind : 'thrown', message: err instanceof Error ? err.message : String(err) });
      }
      // Whatever the statement set up must not bring the process down afterwards either.
      const after = await runReadOnlyQuery(fx.session, 'SELECT 42 AS answer');
      say({ sql: 'SELECT 42', kind: 'ok', message: String(after.rows[0]![0]) });
      await new Promise((r) => setTimeout(r, 50));
    }
    await disposeConsole(fx.session);
    fx.session.close();
    say({ sandbox: readdirSync(fx.sandboxDir) });
    rmSync(fx.root, { recursive: true, force: true });
    return;
  }
  await runReadOnlyQuery(fx.session, 'SELECT count(*) FROM signins');
  const mine = readdirSync(tmpdir()).filter((n) => n.startsWith(`signet-console-${process.pid}-`));
  say({ folders: mine, root: fx.root });
  if (mode === 'exit') process.exit(0);
  if (mode === 'sigterm') process.kill(process.pid, 'SIGTERM');
  if (mode === 'abort') process.abort();
  setTimeout(() => undefined, 10_000);
})();
