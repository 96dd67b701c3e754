import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALLOCATOR_CONF } from '../../electron/engine/db/allocatorConfig';
import { Database } from '../../electron/engine/db/database';

test('rows read column by column equal the reader\'s own row objects, names de-duplicated the same way', async () => {
  const db = await Database.open(':memory:');
  try {
    const sql = `SELECT i AS a, i AS a, CASE WHEN i % 3 = 0 THEN NULL ELSE 'x' || i END AS s, [i, i + 1] AS l, {'k': i} AS st,
        CAST(i AS DECIMAL(10, 2)) AS d, TIMESTAMP '2026-10-01 00:00:00' + to_seconds(i) AS t, CAST('{"j": 1}' AS JSON) AS j, i % 2 = 0 AS b
      FROM range(5000) r(i)`;
    const expected = (await db.connection.runAndReadAll(sql)).getRowObjectsJson();
    assert.deepEqual(await db.all(sql), expected);
    assert.deepEqual(await db.all(`SELECT 1 AS x WHERE false`), []);
  } finally {
    db.close();
  }
});

test('a close waits for background work, which runs to its end', async () => {
  const db = await Database.open(':memory:');
  let finished: (n: unknown) => void = () => undefined;
  const result = new Promise((resolve) => (finished = resolve));
  db.background(async () => finished(await db.scalar(`SELECT count(*) FROM range(20000000) r(i) WHERE i % 7 = 0`)));
  db.close();
  assert.equal(Number(await result), 2857143);
  // Nothing new starts once closing.
  let ran = false;
  db.background(async () => {
    ran = true;
  });
  assert.equal(ran, false);
});

/** A closed case holding `rows` synthetic sign-ins, and an engine (with a data folder of its own) to open it. */
async function closedCaseAndEngine(prefix: string, rows: number) {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { Engine } = await import('../../electron/engine/engine');
  const { CaseSession } = await import('../../electron/engine/case/caseSession');
  const { insertSyntheticRows } = await import('../support/gridFixture');
  const dir = mkdtempSync(join(tmpdir(), `signet-${prefix}-`));
  const made = await CaseSession.create(dir, 'test');
  if (rows) await insertSyntheticRows(made, rows);
  made.close();
  await made.db.closed;
  const engine = new Engine({ dataDir: mkdtempSync(join(tmpdir(), `signet-${prefix}-data-`)), appVersion: 'test', mode: 'browser' });
  return { dir, engine };
}

test('reopening a case that is still closing waits until its file is closed', async () => {
  const { rmSync } = await import('node:fs');
  const { dir, engine } = await closedCaseAndEngine('reopen', 0);
  try {
    const first = await engine.openCase(dir);
    let finished = false;
    first.db.background(async () => {
      await first.db.scalar(`SELECT count(*) FROM range(20000000) r(i) WHERE i % 7 = 0`);
      finished = true;
    });
    const second = await engine.openCase(dir);
    assert.equal(finished, true, 'the first database finished its work and closed before the second opened');
    assert.equal(Number(await second.db.scalar('SELECT count(*) FROM signins')), 0);
  } finally {
    const last = engine.current;
    engine.close();
    await last?.db.closed;
    rmSync(dir, { recursive: true, force: true });
  }
});

test("DuckDB's allocator is configured before the library loads, whichever engine module loads it first", () => {
  // jemalloc reads its variable once, when libduckdb loads: record what the variable held then.
  const probe = `
    const Module = require('node:module');
    const load = Module._load;
    let seen = 'not loaded';
    Module._load = function (request, ...rest) {
      if (request === '@duckdb/node-api' && seen === 'not loaded') seen = String(process.env.DUCKDB_JE_MALLOC_CONF);
      return load.call(this, request, ...rest);
    };
    require(process.argv[1]);
    process.stdout.write(seen);`;
  const env = { ...process.env };
  delete env.DUCKDB_JE_MALLOC_CONF;
  for (const entry of ['electron/engine/db/database.ts', 'electron/engine/sql/guardedInstance.ts', 'electron/api/handlers/settings.ts']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', probe, resolve(entry)], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, ALLOCATOR_CONF, entry);
  }
  // A value the user set is kept.
  const own = spawnSync(process.execPath, ['--import', 'tsx', '-e', probe, resolve('electron/engine/db/database.ts')], { env: { ...env, DUCKDB_JE_MALLOC_CONF: 'dirty_decay_ms:500' }, encoding: 'utf8' });
  assert.equal(own.stdout, 'dirty_decay_ms:500');
});

test('no engine module but db/duckdb.ts loads @duckdb/node-api itself (types only elsewhere)', () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, name.name);
      if (name.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith(join('db', 'duckdb.ts'))) {
        const text = readFileSync(p, 'utf8');
        if (/^import (?!type )[^;]*'@duckdb\/node-api'/m.test(text) || /require\('@duckdb\/node-api'\)|import\('@duckdb\/node-api'\)/.test(text)) offenders.push(p);
      }
    }
  };
  walk(resolve('electron'));
  assert.deepEqual(offenders, []);
});

/** Whether another process can open the DuckDB file for writing (it cannot while this process holds it). */
function otherProcessOpens(file: string): string {
  const probe = `import { DuckDBInstance } from '@duckdb/node-api';
try { (await DuckDBInstance.create(${JSON.stringify(file)})).closeSync(); console.log('opened'); } catch (e) { console.log(String(e.message).split('\\n')[0]); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: resolve(__dirname, '../..'), encoding: 'utf8' });
  return r.stdout.trim();
}

test('a closed case releases its database file: connections the grid and other work took from it are closed with it', async () => {
  const { rmSync } = await import('node:fs');
  const { dir, engine } = await closedCaseAndEngine('release', 200);
  try {
    const session = await engine.openCase(dir);
    // The grid's pager keeps connections of its own for pages, counts and quick reads.
    const page = await session.pager.page({ conditions: [], search: '' }, [{ column: 'user_principal_name', dir: 'asc' }], 0, 50);
    assert.equal(page.rows.length, 50);
    const held = await session.db.connect();
    await held.run('SELECT 1');
    assert.match(otherProcessOpens(join(dir, 'case.duckdb')), /lock/i, 'while open, the case is held');
    await engine.close();
    assert.equal(otherProcessOpens(join(dir, 'case.duckdb')), 'opened');
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('closing while a handed-out connection runs a statement interrupts it and waits: the statement settles and the file closes', { timeout: 60_000 }, async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'signet-drain-'));
  const db = await Database.open(join(dir, 'x.duckdb'));
  try {
    const con = await db.connect();
    const started = Date.now();
    const running = con.run('SELECT count(*) FROM range(3000000000) t(x) WHERE hash(x) % 7 = 0').then(
      () => 'finished',
      (err: unknown) => String((err as Error).message).split('\n')[0] ?? '',
    );
    await new Promise((r) => setTimeout(r, 200));
    db.close();
    assert.match(await running, /interrupt/i);
    await db.closed;
    assert.ok(Date.now() - started < 30_000, 'closed well before the statement would have finished');
    assert.equal(otherProcessOpens(join(dir, 'x.duckdb')), 'opened');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
