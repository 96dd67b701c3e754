import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { runReadOnlyQuery, resultPage, QueryFailure, disposeConsole, consoleFor, checkReadOnlyPredicate } from '../../electron/engine/sql/readOnlyQuery';
import { PAGE_BYTE_CAP } from '../../electron/engine/sql/sqlConsole';
import { listHistory, listSaved, saveQuery, deleteSaved } from '../../electron/engine/sql/queryStore';
import { describeCase, functionNames } from '../../electron/engine/sql/schemaBrowser';
import { exportResult, resultCsv } from '../../electron/engine/sql/resultExport';
import { errorPosition } from '../../electron/engine/sql/errorPosition';
import { statementAt, statementRanges, explainedStatement } from '../../electron/engine/sql/sqlText';
import { makeSqlFixture, type SqlFixture } from './sqlFixture';
import { runQuery } from '../../electron/cli/commands/query';
import { DuckDBInstance } from '../../electron/engine/db/duckdb';

let fx: SqlFixture;

before(async () => {
  fx = await makeSqlFixture(3000);
});

after(async () => {
  await disposeConsole(fx.session);
  fx.session.close();
  rmSync(fx.root, { recursive: true, force: true });
});

test('results of any size page and sort in DuckDB, by result columns only', async () => {
  const r = await runReadOnlyQuery(fx.session, 'SELECT row_id, user_principal_name AS "user name", latency_ms FROM signins ORDER BY row_id DESC', { pageSize: 50 });
  assert.equal(r.total, 3000);
  assert.equal(r.rows.length, 50);
  assert.deepEqual(r.columns.map((c) => c.name), ['row_id', 'user name', 'latency_ms']);
  assert.equal(r.rows[0]![0], '3000', 'the query’s own ORDER BY is kept');
  const deep = await resultPage(fx.session, r.resultId, 2990, 3100);
  assert.equal(deep.rows.length, 10);
  assert.equal(deep.rows[9]![0], '1');
  const sorted = await resultPage(fx.session, r.resultId, 0, 3, [{ column: 'latency_ms', dir: 'desc' }, { column: 'row_id', dir: 'asc' }]);
  assert.deepEqual(sorted.rows.map((x) => x[2]), ['309', '309', '309'], 'latency_ms is BIGINT: as text, like row_id');
  const byName = await resultPage(fx.session, r.resultId, 0, 1, [{ column: 'user name', dir: 'asc' }]);
  assert.equal(byName.rows[0]![1], 'alice@contoso.com');
  await assert.rejects(() => resultPage(fx.session, r.resultId, 0, 1, [{ column: 'row_id; DROP TABLE signins', dir: 'asc' }]), /no column/);
  await assert.rejects(() => resultPage(fx.session, 'r999999', 0, 1), /no longer kept/);
});

test('a running query can be cancelled, and a slow one stops at its time limit', async () => {
  const slow = 'SELECT sum(hash(i)) FROM range(40000000000) t(i)';
  const started = Date.now();
  const running = runReadOnlyQuery(fx.session, slow);
  setTimeout(() => consoleFor(fx.session).cancel(), 400);
  await assert.rejects(running, (e: unknown) => e instanceof QueryFailure && e.kind === 'cancelled');
  assert.ok(Date.now() - started < 10_000, 'cancel is prompt');
  await assert.rejects(runReadOnlyQuery(fx.session, slow, { timeoutMs: 300 }), (e: unknown) => e instanceof QueryFailure && e.kind === 'timeout' && /longer than/.test(e.message));
  // The console still works afterwards.
  assert.equal((await runReadOnlyQuery(fx.session, 'SELECT 42')).rows[0]![0], 42);
});

test('errors carry DuckDB’s line and column', async () => {
  const cases: Array<[string, number, number]> = [
    ['SELECT\n  nosuchcol\nFROM signins', 2, 3],
    ['selec 1', 1, 1],
    ["SELECT *\nFROM signins\nWHERE row_id = 'abc'", 3, 16],
  ];
  for (const [sql, line, column] of cases) {
    await assert.rejects(runReadOnlyQuery(fx.session, sql), (e: unknown) => {
      assert.ok(e instanceof QueryFailure);
      assert.equal(e.kind, 'error');
      assert.equal(e.line, line, `${sql}: ${e.message}`);
      assert.equal(e.column, column, `${sql}: ${e.message}`);
      return true;
    });
  }
  const long = `SELECT ${'a'.repeat(10)}, ${Array.from({ length: 30 }, (_, i) => `c${i}`).join(', ')}, zzz FROM (SELECT ${Array.from({ length: 30 }, (_, i) => `1 AS c${i}`).join(', ')}, 1 AS aaaaaaaaaa)`;
  await assert.rejects(runReadOnlyQuery(fx.session, long), (e: unknown) => e instanceof QueryFailure && e.line === 1 && e.column === long.indexOf('zzz') + 1);
  assert.deepEqual(errorPosition('Parser Error: syntax error at position 7', 'SELECT\n 1 +'), { message: 'Parser Error: syntax error at position 7', line: 2, column: 1 });
});

test('statement splitting honours strings, quoted names, dollar quotes and comments', () => {
  const sql = "SELECT ';' AS a; -- x;y\nSELECT \"b;\" FROM t /* ; */;\nSELECT $$;$$;  ";
  const ranges = statementRanges(sql);
  assert.equal(ranges.length, 3);
  assert.equal(sql.slice(ranges[1]!.start, ranges[1]!.end).trim(), '-- x;y\nSELECT "b;" FROM t /* ; */');
  assert.deepEqual(statementAt(sql, sql.indexOf('FROM t')), ranges[1]);
  assert.equal(statementRanges('-- only a comment').length, 0);
  assert.equal(explainedStatement('/*c*/ explain analyze SELECT 1'), 'SELECT 1');
  assert.equal(explainedStatement('EXPLAIN (FORMAT json) SELECT 1'), 'SELECT 1');
  assert.equal(explainedStatement('SELECT 1'), null);
});

/** Texts where a hand-written splitter can go wrong; each is valid SQL for DuckDB. */
const TRICKY_SPLITS = [
  '-- x\r; SELECT 42',
  'SELECT 1 -- x\r; SELECT 42',
  'SELECT 1 -- x\r\n; SELECT 42',
  'SELECT 1 -- x\n; SELECT 42',
  'SELECT 1 -- a;\rAS one; SELECT 2',
  'SELECT 1;\r\n-- c;\r\nSELECT 2;\r\n',
  "SELECT ';' AS a; SELECT 'it''s; ok'",
  "SELECT 'a\\'; SELECT 2",
  "SELECT E'a\\';b'; SELECT 2",
  "SELECT e'x\\'' AS q; SELECT 3",
  'SELECT "a;""b" FROM (SELECT 1 AS "a;""b"); SELECT 2',
  'SELECT /* /* ; */ ; */ 1; SELECT 2',
  'SELECT /* ; */ 1 /* \r; */; SELECT 2',
  'SELECT $$;$$; SELECT $tag$ ; $$ ; $tag$; SELECT 3',
  'SELECT x$y$ FROM (SELECT 1 AS "x$y$"); SELECT 2',
  'SELECT 1;;; ;',
  ';;SELECT 1',
  'SELECT 1 --x\f; SELECT 2',
  'SELECT 1\r;\rSELECT 2\r',
];

test('the statement splitter agrees with DuckDB’s own statement extraction on tricky texts', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    for (const sql of TRICKY_SPLITS) {
      const duck = (await con.extractStatements(sql).catch((e: unknown) => assert.fail(`${JSON.stringify(sql)}: ${String(e)}`))).count;
      const ranges = statementRanges(sql);
      assert.equal(ranges.length, duck, `${JSON.stringify(sql)}: DuckDB reads ${duck} statements, the splitter ${ranges.length}`);
      // Each piece the splitter cut is exactly one statement for DuckDB too.
      for (const r of ranges) assert.equal((await con.extractStatements(sql.slice(r.start, r.end))).count, 1, `${JSON.stringify(sql)}: ${JSON.stringify(sql.slice(r.start, r.end))}`);
    }
  } finally {
    con.closeSync();
    db.closeSync();
  }
  // The console runs the one statement behind a CR-ended comment.
  assert.equal((await runReadOnlyQuery(fx.session, '-- x\r; SELECT 42', { skipHistory: true })).rows[0]![0], 42);
  await assert.rejects(runReadOnlyQuery(fx.session, 'SELECT 1 -- x\r; SELECT 42', { skipHistory: true }), /one statement at a time/);
  assert.equal(explainedStatement('-- c\rEXPLAIN SELECT 1'), 'SELECT 1');
  // DuckDB's extraction fails on a text without statements, so these are checked on their own.
  for (const empty of ['/* only a comment ; */', '-- c\r;', ' ;\r\n; '])
    await assert.rejects(runReadOnlyQuery(fx.session, empty, { skipHistory: true }), /Nothing to run/);
});

test('the schema browser lists the case’s tables with types and exact row counts, and completion has functions', async () => {
  const tables = await consoleFor(fx.session).inspect(describeCase);
  const signins = tables.find((t) => t.name === 'signins');
  assert.ok(signins);
  assert.equal(tables[0]!.name, 'signins');
  assert.equal(signins.rows, 3000);
  assert.deepEqual(signins.columns.find((c) => c.name === 'time_utc'), { name: 'time_utc', type: 'TIMESTAMP' });
  assert.ok(tables.some((t) => t.name === 'saved_queries'));
  assert.ok(!tables.some((t) => t.name.startsWith('_result_')), 'console result tables are not case tables');
  const fns = await consoleFor(fx.session).inspect(functionNames);
  for (const f of ['regexp_matches', 'json_extract', 'date_trunc', 'list_distinct', 'read_csv']) assert.ok(fns.includes(f), f);
});

test('new rows in the case show up in the console after the snapshot refreshes', async () => {
  const before = (await runReadOnlyQuery(fx.session, 'SELECT count(*) FROM signins')).rows[0]![0];
  await fx.session.db.run(`INSERT INTO signins (row_id, user_principal_name, status) VALUES (900001, '=HYPERLINK("http://x")', 'failure'), (900002, '+1+2', 'success')`);
  fx.session.changed();
  const after = (await runReadOnlyQuery(fx.session, 'SELECT count(*) FROM signins')).rows[0]![0];
  assert.equal(Number(after), Number(before) + 2);
});

test('exports neutralise spreadsheet formulas; JSON keeps values', async () => {
  const r = await runReadOnlyQuery(fx.session, `SELECT row_id, user_principal_name, '@SUM(1)' AS "=bad" FROM signins WHERE row_id >= 900001 ORDER BY row_id`);
  const csv = await exportResult(fx.session, r.resultId, 'csv');
  assert.equal(csv.rows, 2);
  assert.equal(csv.text.split('\r\n')[0], `row_id,user_principal_name,'=bad`);
  assert.ok(csv.text.includes(`"'=HYPERLINK(""http://x"")"`), csv.text);
  assert.ok(csv.text.includes(`'+1+2`));
  assert.ok(csv.text.includes(`'@SUM(1)`));
  const json = JSON.parse((await exportResult(fx.session, r.resultId, 'json')).text) as Array<Record<string, unknown>>;
  assert.equal(json[0]!.user_principal_name, '=HYPERLINK("http://x")');
  assert.equal(resultCsv(['a'], [[{ x: 1 }], [null], ['-2']]), `a\r\n"{""x"":1}"\r\n""\r\n'-2\r\n`);
});

test('the guard validates predicates for export --where', async () => {
  assert.deepEqual(await checkReadOnlyPredicate(fx.session, "status = 'failure' AND user_principal_name LIKE 'alice%'"), { matching: 600 });
  await assert.rejects(checkReadOnlyPredicate(fx.session, "1=1) ; DROP TABLE signins; --"), (e: unknown) => e instanceof QueryFailure && e.kind === 'refused');
  await assert.rejects(checkReadOnlyPredicate(fx.session, "ip_address IN (SELECT * FROM read_csv('/etc/passwd'))"), (e: unknown) => e instanceof QueryFailure && e.kind === 'refused');
});

test('history and saved queries live in the case and survive closing and reopening it', async () => {
  const dir = fx.caseDir;
  await saveQuery(fx.session, 'Failures', "SELECT * FROM signins WHERE status = 'failure'", 'all failures');
  await saveQuery(fx.session, 'Failures', "SELECT count(*) FROM signins WHERE status = 'failure'", null);
  const tmp = await saveQuery(fx.session, 'temp', 'SELECT 1', null);
  assert.equal(await deleteSaved(fx.session, tmp.id), true);
  await runReadOnlyQuery(fx.session, 'SELECT 12345 AS marker');
  await disposeConsole(fx.session);
  fx.session.close();
  fx.session = await CaseSession.open(dir);
  const saved = await listSaved(fx.session);
  assert.deepEqual(saved.map((s) => [s.name, s.sql]), [['Failures', "SELECT count(*) FROM signins WHERE status = 'failure'"]]);
  const hist = await listHistory(fx.session, 5);
  assert.equal(hist[0]!.sql, 'SELECT 12345 AS marker');
  assert.equal(hist[0]!.outcome, 'ok');
  assert.equal(hist[0]!.rows, 1);
  assert.ok((await listHistory(fx.session, 100)).some((h) => h.outcome === 'cancelled'));
  assert.equal((await listHistory(fx.session, 100, '12345')).length, 1);
});

test('CLI query prints JSON objects or neutralised CSV and exits 1 on a refusal', async () => {
  const dir = fx.caseDir;
  await disposeConsole(fx.session);
  fx.session.close();
  const inProcess = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runQuery(['--case', dir, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { status, stdout: out.join(''), stderr: err.join('\n') };
  };
  try {
    // Once through the real entry point, the rest in-process (same command object).
    const json = spawnSync(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../electron/cli/signet.ts'), 'query', '--case', dir, 'SELECT status, count(*) AS n FROM signins WHERE row_id < 900000 GROUP BY status ORDER BY status'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), [{ status: 'failure', n: 600 }, { status: 'success', n: 2400 }]);
    const csv = await inProcess(['--format', 'csv', 'SELECT user_principal_name FROM signins WHERE row_id = 900001']);
    assert.equal(csv.status, 0, csv.stderr);
    assert.equal(csv.stdout, `user_principal_name\r\n"'=HYPERLINK(""http://x"")"\r\n`);
    const many = await inProcess(['SELECT row_id FROM signins WHERE row_id <= 2500 ORDER BY row_id']);
    const parsed = JSON.parse(many.stdout) as Array<{ row_id: number }>;
    assert.equal(parsed.length, 2500, 'pages beyond the first are printed');
    assert.equal(parsed[2499]!.row_id, 2500);
    const refused = await inProcess(['DELETE FROM signins']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Refused: the console is read-only; DELETE/);
    const empty = await inProcess(['SELECT 1 WHERE false']);
    assert.equal(empty.stdout, '[]\n');
    await assert.rejects(inProcess(['--format', 'xml', 'SELECT 1']), /--format must be json or csv/);
  } finally {
    fx.session = await CaseSession.open(dir);
  }
});

test('a result of large values pages under the byte cap with a clear notice, exports whole, and memory goes back', async () => {
  const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
  await runReadOnlyQuery(fx.session, 'SELECT 1', { skipHistory: true });
  const base = rssMb();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 25);
  try {
    // 200 rows of 1,000,000 characters: 200 MB of text.
    const sql = `SELECT i, repeat('x', 1000000) AS s FROM range(200) t(i)`;
    const r = await runReadOnlyQuery(fx.session, sql, { pageSize: 1000, skipHistory: true });
    assert.equal(r.total, 200);
    assert.ok(JSON.stringify(r.rows).length <= PAGE_BYTE_CAP, `first page is ${JSON.stringify(r.rows).length} bytes`);
    assert.equal(r.rows.length, 200, 'every row is there, with its long text cut');
    assert.match(String(r.rows[0]![1]), /^x+ … \[cut: 1000000 characters\]$/);
    assert.match(r.notice ?? '', /^Cut for display: rows 1–200 would be 190\.\d MB, more than the 16 MB a page .* Export the result \(Export CSV or JSON, or signet query --format csv\) to get every value whole\.$/);
    // Asked for whole values (exports, the CLI), a page holds fewer rows instead.
    const whole = await consoleFor(fx.session).page(r.resultId, 0, 1000, [], { whole: true });
    assert.ok(whole.rows.length >= 1 && whole.rows.length < 20, `${whole.rows.length} whole rows`);
    assert.equal(String(whole.rows[0]![1]).length, 1_000_000);
    assert.ok(JSON.stringify(whole.rows).length <= PAGE_BYTE_CAP + 1_000_000);
    // Small results are untouched.
    assert.equal((await runReadOnlyQuery(fx.session, `SELECT repeat('y', 70000) AS s`, { skipHistory: true })).rows[0]![0], 'y'.repeat(70000));
    // A result larger than the console keeps is refused with a way out.
    await assert.rejects(
      runReadOnlyQuery(fx.session, sql, { skipHistory: true, resultByteCap: 50 * 1024 * 1024 }),
      (e: unknown) => e instanceof QueryFailure && /^The result takes about 1\d\d(\.\d)? MB, more than the 50 MB the console keeps for one result\. .*signet query --case DIR --format csv/.test(e.message),
    );
  } finally {
    clearInterval(sampler);
  }
  assert.ok(peak - base < 900, `RSS grew by ${Math.round(peak - base)} MB for 200 MB of text`);
  // Closing the console (as opening another case does) gives the memory back.
  await disposeConsole(fx.session);
  const deadline = Date.now() + 20_000;
  while (rssMb() - base > 250 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  assert.ok(rssMb() - base < 250, `RSS still ${Math.round(rssMb() - base)} MB above the start after the results were closed`);
});
