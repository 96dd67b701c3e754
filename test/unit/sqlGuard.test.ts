import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReadOnlyQuery, QueryFailure, disposeConsole, consoleFor } from '../../electron/engine/sql/readOnlyQuery';
import { EXAMPLE_QUERIES } from '../../electron/engine/sql/examples';
import { QUERY_HISTORY_TABLE } from '../../electron/engine/sql/schema';
import { AUDIT_TABLE } from '../../electron/engine/custody/schema';
import { makeSqlFixture, snapshotFolder, caseTablesDigest, type SqlFixture } from './sqlFixture';

let fx: SqlFixture;

before(async () => {
  fx = await makeSqlFixture(400);
});

after(async () => {
  await disposeConsole(fx.session);
  fx.session.close();
  rmSync(fx.root, { recursive: true, force: true });
});

function hostileStatements(f: SqlFixture): string[] {
  const S = f.sandboxDir;
  const E = join(f.evidenceDir, 'InteractiveSignIns.csv');
  return [
    // DML and DDL on the case
    `INSERT INTO signins (row_id) VALUES (999999)`,
    `UPDATE signins SET status = 'success'`,
    `DELETE FROM signins`,
    `TRUNCATE signins`,
    `DROP TABLE signins`,
    `ALTER TABLE signins ADD COLUMN pwned INTEGER`,
    `MERGE INTO signins USING (SELECT 1 AS row_id) s ON signins.row_id = s.row_id WHEN MATCHED THEN DELETE`,
    `CREATE TABLE pwned AS SELECT 1`,
    `CREATE TEMP TABLE pwned_temp AS SELECT * FROM signins`,
    `CREATE OR REPLACE TABLE memory.main.pwned_mem AS SELECT 1`,
    `CREATE VIEW pwned_view AS SELECT 1`,
    `CREATE MACRO pwned_macro(x) AS x + 1`,
    `CREATE SEQUENCE pwned_seq`,
    `CREATE TYPE pwned_type AS ENUM ('a')`,
    `CREATE SECRET pwned_secret (TYPE s3, KEY_ID 'a', SECRET 'b')`,
    `INSERT INTO memory.main.anything SELECT 1`,
    // files: writing
    `COPY signins TO '${S}/out.csv'`,
    `COPY (SELECT * FROM signins) TO '${S}/out.parquet' (FORMAT parquet)`,
    `COPY signins FROM '${E}'`,
    `EXPORT DATABASE '${S}/exported'`,
    `IMPORT DATABASE '${S}'`,
    `COPY FROM DATABASE "case" TO memory`,
    // files: reading
    `SELECT * FROM read_csv('${E}')`,
    `SELECT * FROM read_text('/etc/passwd')`,
    `SELECT * FROM read_blob('${E}')`,
    `SELECT * FROM glob('${f.root}/*')`,
    `SELECT * FROM parquet_scan('${S}/x.parquet')`,
    `SELECT * FROM read_json_auto('${S}/x.json')`,
    `SELECT * FROM sniff_csv('${E}')`,
    `FROM '${E}'`,
    `SELECT * FROM '${E}'`,
    `SELECT * FROM read_csv(['${E}', '/etc/passwd'])`,
    // tricks: subqueries, CTEs, string-built paths, nesting
    `SELECT count(*) FROM signins WHERE ip_address IN (SELECT column0 FROM read_csv('${E}'))`,
    `WITH x AS (SELECT * FROM read_text('/etc/hostname')) SELECT * FROM x`,
    `SELECT * FROM read_csv('/etc/' || 'passwd')`,
    `SELECT * FROM read_text(concat('/etc', '/host' || 'name'))`,
    `SELECT * FROM (SELECT * FROM (SELECT * FROM read_text('${E}')))`,
    `WITH w AS (DELETE FROM signins RETURNING *) SELECT * FROM w`,
    `SELECT * FROM query('CREATE TABLE pwned_q AS SELECT 1')`,
    `SELECT getenv('HOME')`,
    // several statements in one string, comments, mixed case
    `SELECT 1; DROP TABLE signins`,
    `SELECT 1; SELECT 2`,
    `/* looks harmless */ dRoP tAbLe signins -- trailing comment`,
    `-- a comment first\nInSeRt INTO signins (row_id) VALUES (1)`,
    `SELECT 1 /* ; */ ; CoPy signins TO '${S}/c.csv'`,
    `CREATE TEMP TYPE __pivot_enum_fake AS ENUM ('a'); SELECT 1`,
    `EXPLAIN ANALYZE CREATE TABLE pwned_explain AS SELECT 1`,
    `EXPLAIN ANALYZE COPY (SELECT 1) TO '${S}/explain.csv'`,
    // extensions, attach, settings, pragmas, maintenance, session state
    `ATTACH ':memory:' AS m`,
    `ATTACH '${S}/new.duckdb' AS n`,
    `DETACH "case"`,
    `USE memory`,
    `INSTALL httpfs`,
    `LOAD httpfs`,
    `LOAD json`,
    `SET threads = 1`,
    `RESET memory_limit`,
    `SET enable_external_access = true`,
    `SET lock_configuration = false`,
    `SET VARIABLE v = 1`,
    `PRAGMA enable_profiling`,
    `PRAGMA memory_limit = '10GB'`,
    `CALL pragma_version()`,
    `CHECKPOINT`,
    `FORCE CHECKPOINT`,
    `VACUUM`,
    `ANALYZE`,
    `BEGIN TRANSACTION`,
    `PREPARE p AS SELECT 1`,
  ];
}

test('at least 40 hostile statements are all refused, and nothing outside or inside the case changes', async () => {
  const hostile = hostileStatements(fx);
  assert.ok(hostile.length >= 40, `only ${hostile.length} hostile statements`);
  // The snapshot instance is built first so its own files are not counted as a change.
  await runReadOnlyQuery(fx.session, 'SELECT 1');
  const tmpBefore = new Set(readdirSync(tmpdir()));
  const digestBefore = await caseTablesDigest(fx.session, [QUERY_HISTORY_TABLE, AUDIT_TABLE]);
  const isLog = (rel: string) => rel.startsWith('case.duckdb') || rel === 'audit.jsonl';
  const caseBefore = snapshotFolder(fx.caseDir, isLog);
  const evidenceBefore = snapshotFolder(fx.evidenceDir);
  const sandboxBefore = snapshotFolder(fx.sandboxDir);

  const outcomes: string[] = [];
  for (const sql of hostile) {
    await assert.rejects(
      () => runReadOnlyQuery(fx.session, sql),
      (err: unknown) => {
        assert.ok(err instanceof QueryFailure, `${sql}: not a QueryFailure: ${String(err)}`);
        assert.ok(err.kind === 'refused' || err.kind === 'error', `${sql}: ${err.kind}`);
        assert.ok(err.message.length > 10, `${sql}: message too short`);
        outcomes.push(`${err.kind}: ${sql.split('\n').join(' ').slice(0, 50)} -> ${err.message.split('\n')[0]!.slice(0, 120)}`);
        return true;
      },
      `not refused: ${sql}`,
    );
  }
  const refused = outcomes.filter((o) => o.startsWith('refused')).length;
  // A few die in DuckDB's parser or binder first (no such function without file access); the rest are named refusals.
  assert.ok(refused >= hostile.length - 6, `expected named refusals, got:\n${outcomes.join('\n')}`);

  // The case's data, the evidence and the sandbox the statements aimed at are untouched.
  assert.deepEqual(await caseTablesDigest(fx.session, [QUERY_HISTORY_TABLE, AUDIT_TABLE]), digestBefore);
  assert.deepEqual(snapshotFolder(fx.caseDir, isLog), caseBefore);
  assert.deepEqual(snapshotFolder(fx.evidenceDir), evidenceBefore);
  assert.deepEqual(snapshotFolder(fx.sandboxDir), sandboxBefore);
  assert.equal(readdirSync(fx.sandboxDir).length, 0);
  const source = fx.session.manifest.sources[0]!;
  assert.equal(createHash('sha256').update(readFileSync(source.path)).digest('hex'), source.sha256);
  // Other programs share the temp folder; only names these statements could have written count.
  const tmpAfter = readdirSync(tmpdir()).filter((n) => !tmpBefore.has(n) && /^(out|exported|new|c|explain|x)\b/.test(n));
  assert.deepEqual(tmpAfter, [], 'no new files in the temp folder');

  // Nothing was created in the console's own instance either, and its settings held.
  const check = await runReadOnlyQuery(
    fx.session,
    `SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'pwned%' OR table_name = 'anything') AS tables,
            (SELECT count(*) FROM duckdb_databases() WHERE NOT internal) AS dbs,
            current_setting('enable_external_access') AS ext,
            current_setting('lock_configuration') AS locked,
            current_setting('threads') AS threads`,
  );
  assert.deepEqual(check.rows[0]!.slice(0, 4), ['0', '2', false, true]);

  // Every attempt is in the history and the audit log, with its outcome.
  const hist = await fx.session.db.all(`SELECT outcome, count(*) AS n FROM ${QUERY_HISTORY_TABLE} GROUP BY ALL`);
  const failed = hist.filter((h) => h.outcome !== 'ok').reduce((s, h) => s + Number(h.n), 0);
  assert.equal(failed, hostile.length);
  const audited = Number(await fx.session.db.scalar(`SELECT count(*) FROM ${AUDIT_TABLE} WHERE action = 'console-query' AND json_extract_string(detail, '$.outcome') <> 'ok'`));
  assert.equal(audited, hostile.length);
});

const LEGIT: Array<[string, string, (rows: unknown[][], cols: string[]) => void]> = [
  ['count', `SELECT count(*) FROM signins`, (r) => assert.equal(r[0]![0], '400')],
  ['FROM-first', `FROM signins SELECT user_principal_name LIMIT 3`, (r) => assert.equal(r.length, 3)],
  ['CTE', `WITH f AS (SELECT * FROM signins WHERE status = 'failure') SELECT count(*) FROM f`, (r) => assert.equal(r[0]![0], '80')],
  ['recursive CTE', `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT sum(i) FROM n`, (r) => assert.equal(String(r[0]![0]), '15')],
  ['window', `SELECT user_principal_name, time_utc, lag(ip_address) OVER (PARTITION BY user_principal_name ORDER BY time_utc) AS prev FROM signins QUALIFY row_number() OVER (PARTITION BY user_principal_name ORDER BY time_utc) <= 2`, (r) => assert.equal(r.length, 10)],
  ['dynamic PIVOT', `PIVOT signins ON status USING count(*) GROUP BY log_type ORDER BY log_type`, (r, c) => (assert.deepEqual(c, ['log_type', 'failure', 'success']), assert.equal(r.length, 2))],
  ['PIVOT IN', `PIVOT (SELECT status FROM signins) ON status IN ('failure', 'success') USING count(*)`, (r) => assert.deepEqual(r[0], ['80', '320'])],
  ['UNPIVOT', `UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b INTO NAME k VALUE v`, (r) => assert.equal(r.length, 2)],
  ['UNNEST', `SELECT unnest(['a', 'b', 'c']) AS x`, (r) => assert.equal(r.length, 3)],
  ['JSON ->>', `SELECT raw ->> '$.location.countryOrRegion' AS c, count(*) FROM signins GROUP BY ALL ORDER BY c NULLS LAST`, (r) => assert.equal(r.length, 6)],
  ['JSON unnest', `SELECT p ->> 'result' AS result, count(*) AS n FROM signins, unnest(CAST(json_extract(raw, '$.appliedConditionalAccessPolicies') AS JSON[])) AS t(p) GROUP BY ALL ORDER BY result`, (r) => assert.deepEqual(r, [['failure', '80'], ['success', '320']])],
  ['json_keys', `SELECT json_keys(raw) FROM signins LIMIT 1`, (r) => assert.ok(Array.isArray(r[0]![0]))],
  ['regexp', `SELECT count(*) FROM signins WHERE regexp_matches(user_principal_name, '^(alice|bob)@')`, (r) => assert.equal(r[0]![0], '160')],
  ['regexp_extract', `SELECT DISTINCT regexp_extract(user_principal_name, '@(.+)$', 1) FROM signins`, (r) => assert.deepEqual(r, [['contoso.com']])],
  ['date_trunc', `SELECT date_trunc('day', time_utc) AS d, count(*) FROM signins GROUP BY d ORDER BY d`, (r) => assert.ok(r.length >= 10)],
  ['strftime', `SELECT strftime(min(time_utc), '%Y-%m-%d %H:%M') FROM signins`, (r) => assert.equal(r[0]![0], '2026-03-01 00:37')],
  ['list aggregates', `SELECT user_principal_name, list_distinct(list(country)) AS c, array_agg(DISTINCT client_app) FROM signins GROUP BY 1`, (r) => assert.equal(r.length, 5)],
  ['FILTER + GROUP BY ALL', `SELECT ip_address, count(*) FILTER (WHERE status = 'failure') AS f FROM signins GROUP BY ALL`, (r) => assert.equal(r.length, 23)],
  ['string_agg/histogram', `SELECT string_agg(DISTINCT status, ',' ORDER BY status), histogram(log_type) FROM signins`, (r) => assert.equal(r[0]![0], 'failure,success')],
  ['EXPLAIN', `EXPLAIN SELECT * FROM signins WHERE status = 'failure'`, (_r, c) => assert.deepEqual(c, ['explain_key', 'explain_value'])],
  ['EXPLAIN ANALYZE', `EXPLAIN ANALYZE SELECT count(*) FROM signins`, (r) => assert.equal(r.length, 1)],
  ['DESCRIBE', `DESCRIBE signins`, (r) => assert.ok(r.length > 70)],
  ['SUMMARIZE', `SUMMARIZE SELECT status, latency_ms FROM signins`, (r) => assert.equal(r.length, 2)],
  ['SHOW TABLES', `SHOW TABLES`, (r) => assert.ok(r.some((x) => x[0] === 'signins'))],
  ['VALUES', `VALUES (1, 'a'), (2, 'b')`, (r) => assert.equal(r.length, 2)],
  ['settings are readable', `SELECT current_setting('threads') AS t, (SELECT count(*) FROM duckdb_settings()) AS n`, (r) => assert.ok(Number(r[0]![1]) > 50)],
  ['functions', `SELECT count(*) FROM duckdb_functions() WHERE function_name = 'regexp_matches'`, (r) => assert.ok(Number(r[0]![0]) >= 1)],
  ['comments + semicolon', `-- failures\nSELECT count(*) /* all */ FROM signins WHERE status = 'failure'; -- done`, (r) => assert.equal(r[0]![0], '80')],
  ['mixed case', `sElEcT CoUnT(*) fRoM SiGnInS`, (r) => assert.equal(r[0]![0], '400')],
  ['; inside string', `SELECT 'a;b' AS s, "user_principal_name" FROM signins LIMIT 1`, (r) => assert.equal(r[0]![0], 'a;b')],
];

test('legitimate analyst queries all run', async () => {
  for (const [name, sql, check] of LEGIT) {
    let result;
    try {
      result = await runReadOnlyQuery(fx.session, sql, { pageSize: 1000 });
    } catch (err) {
      assert.fail(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    check(result.rows, result.columns.map((c) => c.name));
  }
});

test('every example query of the schema browser runs on a case', async () => {
  for (const ex of EXAMPLE_QUERIES) {
    const r = await runReadOnlyQuery(fx.session, ex.sql, { skipHistory: true });
    assert.ok(r.columns.length > 0, ex.title);
  }
  // Sanity on the planted data: failures by IP has every IP that failed.
  const byIp = await runReadOnlyQuery(fx.session, EXAMPLE_QUERIES[0]!.sql, { pageSize: 1000 });
  assert.equal(byIp.total, 23);
  assert.equal(consoleFor(fx.session).isRunning, false);
});

/** Run console queries (or an ending) in a child process; its exit status and what it said. */
function inChild(args: string[]): { status: number | null; signal: string | null; lines: Array<Record<string, unknown>>; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sqlConsoleChild.ts'), ...args], { encoding: 'utf8', timeout: 120_000 });
  const lines = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: r.status, signal: r.signal, lines, stderr: r.stderr };
}

const STATE_CHANGING = [
  `SELECT * FROM enable_logging(storage='file', storage_path='SANDBOX')`,
  `SELECT * FROM enable_logging()`,
  `SELECT * FROM checkpoint()`,
  `SELECT * FROM force_checkpoint()`,
  `SELECT * FROM enable_peg_parser()`,
  `SELECT * FROM disable_profiling()`,
  // the same functions hidden in other places of a query
  `SELECT * FROM "Enable_Logging"(storage='file', storage_path='SANDBOX')`,
  `SELECT * FROM system.main.enable_logging(storage='file', storage_path='SANDBOX')`,
  `WITH x AS (SELECT * FROM enable_logging(storage='file', storage_path='SANDBOX')) SELECT * FROM x`,
  `SELECT (SELECT count(*) FROM force_checkpoint())`,
  `SELECT list_transform([1], x -> (SELECT count(*) FROM checkpoint()))`,
  `SELECT 1 WHERE 1 IN (SELECT 1 FROM enable_logging())`,
  `EXPLAIN SELECT * FROM enable_logging(storage='file', storage_path='SANDBOX')`,
  `EXPLAIN ANALYZE SELECT * FROM checkpoint()`,
  `PIVOT (SELECT 'a' AS s FROM enable_logging(storage='file', storage_path='SANDBOX')) ON s USING count(*)`,
  `CALL enable_logging(storage='file', storage_path='SANDBOX')`,
  `SELECT * FROM truncate_duckdb_logs()`,
  `SELECT * FROM disable_logging()`,
  `SELECT * FROM enable_profiling()`,
  `SELECT * FROM query('SELECT * FROM enable_logging()')`,
  `SELECT * FROM query_table('signins')`,
  `SELECT * FROM json_execute_serialized_sql('{}')`,
  `SELECT * FROM read_duckdb('SANDBOX/x.duckdb')`,
];

test('table functions outside the allow-list are refused before they run, and the process survives', () => {
  const r = inChild(['queries', JSON.stringify(STATE_CHANGING)]);
  assert.equal(r.signal, null, `the child was killed by ${String(r.signal)}:\n${r.stderr.slice(-2000)}`);
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  const answers = r.lines.filter((l) => l.sql !== undefined && l.sql !== 'SELECT 42');
  assert.equal(answers.length, STATE_CHANGING.length, r.stderr.slice(-2000));
  for (const a of answers) {
    assert.equal(a.kind, 'refused', `${String(a.sql)}: ${String(a.message)}`);
    assert.match(String(a.message), /^Refused: the console is read-only; .*not among the table functions it runs/, String(a.sql));
  }
  assert.ok(r.lines.filter((l) => l.sql === 'SELECT 42').every((l) => l.message === '42'));
  assert.deepEqual(r.lines.at(-1), { sandbox: [] }, 'nothing was written where the statements pointed');
});

test('the read-only table functions an analyst uses still run', async () => {
  const ok: Array<[string, (rows: unknown[][]) => void]> = [
    [`SELECT * FROM range(3)`, (r) => assert.equal(r.length, 3)],
    [`SELECT count(*) FROM generate_series(1, 10)`, (r) => assert.equal(String(r[0]![0]), '10')],
    [`SELECT * FROM unnest([1, 2])`, (r) => assert.equal(r.length, 2)],
    [`SELECT key FROM json_each('{"a":1,"b":2}')`, (r) => assert.deepEqual(r, [['a'], ['b']])],
    [`SELECT count(*) FROM json_tree('{"a":[1,2]}')`, (r) => assert.equal(String(r[0]![0]), '4')],
    [`SELECT table_name FROM duckdb_tables() WHERE table_name = 'signins'`, (r) => assert.equal(r.length, 1)],
    [`SELECT count(*) FROM duckdb_columns() WHERE table_name = 'signins'`, (r) => assert.ok(Number(r[0]![0]) > 70)],
    [`SELECT name FROM pragma_table_info('signins') WHERE name = 'ip_address'`, (r) => assert.equal(r.length, 1)],
    [`SELECT count(*) FROM information_schema.tables`, (r) => assert.ok(Number(r[0]![0]) > 0)],
    [`SELECT count(*) FROM duckdb_settings()`, (r) => assert.ok(Number(r[0]![0]) > 50)],
    [`SELECT * FROM pragma_version()`, (r) => assert.equal(r.length, 1)],
    [`SELECT count(*) FROM pg_timezone_names()`, (r) => assert.ok(Number(r[0]![0]) > 100)],
    // a name that is also a table function, used as a column or inside text, is not a call
    [`SELECT 'checkpoint()' AS checkpoint, 1 AS "enable_logging"`, (r) => assert.equal(r[0]![0], 'checkpoint()')],
  ];
  for (const [sql, check] of ok) {
    const r = await runReadOnlyQuery(fx.session, sql, { pageSize: 1000, skipHistory: true }).catch((e: unknown) => assert.fail(`${sql}: ${String(e)}`));
    check(r.rows);
  }
});

test('the console snapshot leaves the temp folder on close and exit; one left by a process ended by SIGTERM or an abort is removed by the next console', async () => {
  const folderOf = (r: ReturnType<typeof inChild>) => {
    const said = r.lines.find((l) => Array.isArray(l.folders))!;
    rmSync(String(said.root), { recursive: true, force: true });
    const folders = said.folders as string[];
    assert.equal(folders.length, 1, r.stderr);
    return join(tmpdir(), folders[0]!);
  };
  const exited = inChild(['exit']);
  assert.equal(exited.status, 0);
  assert.equal(existsSync(folderOf(exited)), false, 'removed at exit');
  const terminated = inChild(['sigterm']);
  assert.equal(terminated.signal, 'SIGTERM', 'the signal still ends the process');
  const aborted = inChild(['abort']);
  assert.equal(aborted.signal, 'SIGABRT');
  const left = [folderOf(terminated), folderOf(aborted)];
  assert.ok(existsSync(left[1]!), 'an aborted process cannot clean up after itself');
  await disposeConsole(fx.session);
  await runReadOnlyQuery(fx.session, 'SELECT 1', { skipHistory: true });
  for (const f of left) assert.equal(existsSync(f), false, `the next console removed the orphaned snapshot ${f}`);
  // Closing the console removes its own folder.
  const own = readdirSync(tmpdir()).filter((n) => n.startsWith(`signet-console-${process.pid}-`));
  assert.equal(own.length, 1);
  await disposeConsole(fx.session);
  // The instance closes once its last page connection is released, just after dispose returns.
  for (let i = 0; i < 50 && existsSync(join(tmpdir(), own[0]!)); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(existsSync(join(tmpdir(), own[0]!)), false, 'removed on close');
});
