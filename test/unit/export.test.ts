import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { Engine } from '../../electron/engine/engine';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import { neutraliseCell } from '../../electron/engine/export/neutralise';
import { exportWhere } from '../../electron/engine/export/exportWhere';
import { insertSyntheticRows, HOSTILE_HTML, HOSTILE_UA } from '../support/gridFixture';

let engine: Engine;
let dir: string;
async function call<T = Record<string, unknown>>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(handlerTable, method, args, { engine, transport: 'bridge' });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
}
type Result = { file: string; manifestFile: string; rows: number; sha256: string; bytes: number };

const HOSTILE = ['=1+2', '+SUM(A1)', '-2+3', '@cmd', '\t=x', '\r=x', 'plain', '', 'a=b'];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signet-export-'));
  const s = await CaseSession.create(dir, 'test');
  await insertSyntheticRows(s, 120);
  for (let i = 0; i < HOSTILE.length; i++) await s.db.run(`UPDATE signins SET failure_reason = ? WHERE row_id = ?`, [HOSTILE[i]!, 100 + i]);
  await s.db.run(`UPDATE signins SET user_display_name = 'Line one\nline "two", with comma' WHERE row_id = 3`);
  s.close();
  engine = new Engine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-export-data-')), appVersion: 'test', mode: 'browser' });
  await engine.openCase(dir);
});
after(() => engine.close());

function parseCsv(file: string): string[][] {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'UTF-8 BOM so spreadsheets read non-ASCII names correctly');
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
  assert.equal(parsed.errors.length, 0);
  return parsed.data;
}

test('neutralisation rule, value by value', () => {
  assert.equal(neutraliseCell('=HYPERLINK("http://x","y")'), `'=HYPERLINK("http://x","y")`);
  assert.equal(neutraliseCell('+1'), "'+1");
  assert.equal(neutraliseCell('-1'), "'-1");
  assert.equal(neutraliseCell('@SUM(1)'), "'@SUM(1)");
  assert.equal(neutraliseCell('\tx'), "'\tx");
  assert.equal(neutraliseCell('\rx'), "'\rx");
  assert.equal(neutraliseCell('x=1'), 'x=1');
  assert.equal(neutraliseCell(''), '');
  assert.equal(neutraliseCell(HOSTILE_HTML), HOSTILE_HTML);
  // Every leading form a spreadsheet program reads as a formula start is neutralised…
  const formulas = ['=1+1', '+1', '-1', '@SUM(1)', '\t=1', '\r=1', '\n=1', '\nx', '\tx', '\rx',
    '\uff1d1+1', '\uff0b1', '\uff0d1', '\uff20SUM(1)', '\ufe661', '\ufe621', '\ufe631', '\ufe6bSUM(1)',
    ' =1', '  +1', '\u00a0=1', '\u200b=1', '\ufeff=1', '\u3000=1', '\u200e@x'];
  for (const f of formulas) assert.equal(neutraliseCell(f), `'${f}`, JSON.stringify(f));
  // …and text that merely contains one later is left as it is.
  for (const plain of ['x=1', 'a+b', 'user@contoso.com', '1-2', 'x\n=1', ' x', '\u200bx', '\uff21'])
    assert.equal(neutraliseCell(plain), plain, JSON.stringify(plain));
});

test('CSV export of a view: filter, sort, visible columns; every cell checked against the database', async () => {
  const out = mkdtempSync(join(tmpdir(), 'signet-export-out-'));
  const filter = { conditions: [{ kind: 'number', column: 'row_id', max: 110 }] };
  const sort = [{ column: 'row_id', dir: 'desc' }];
  const columns = ['row_id', 'time_utc', 'user_display_name', 'user_agent', 'failure_reason', 'error_code', 'is_compliant'];
  const r = await call<Result>('exportView', { filter, sort, columns, format: 'csv', folder: out });
  assert.equal(r.rows, 110);
  const rows = parseCsv(r.file);
  assert.deepEqual(rows[0], columns);
  const db = engine.requireCase().db;
  const truth = await db.all<Record<string, string | null>>(
    `SELECT CAST(row_id AS VARCHAR) AS row_id, strftime(time_utc, '%Y-%m-%dT%H:%M:%S.%fZ') AS time_utc, user_display_name, user_agent, failure_reason,
            CAST(error_code AS VARCHAR) AS error_code, CAST(is_compliant AS VARCHAR) AS is_compliant
     FROM signins WHERE row_id <= 110 ORDER BY row_id DESC`,
  );
  assert.equal(rows.length - 1, truth.length);
  let neutralised = 0;
  for (let i = 0; i < truth.length; i++) {
    for (let j = 0; j < columns.length; j++) {
      const original = truth[i]![columns[j]!] ?? '';
      const cell = rows[i + 1]![j]!;
      if (/^[=+\-@\t\r]/.test(original)) {
        assert.equal(cell, `'${original}`, `row ${truth[i]!.row_id} ${columns[j]}`);
        neutralised++;
      } else assert.equal(cell, original, `row ${truth[i]!.row_id} ${columns[j]}`);
      assert.ok(!/^[=+\-@\t\r]/.test(cell), 'no cell may start like a formula');
    }
  }
  assert.equal(neutralised, 7, 'the hostile user agent and six hostile failure reasons');
  const row1 = rows.find((x) => x[0] === '1')!;
  assert.equal(row1[3], `'${HOSTILE_UA}`);
  assert.equal(rows.find((x) => x[0] === '2')![3], HOSTILE_HTML);
  assert.equal(rows.find((x) => x[0] === '3')![2], 'Line one\nline "two", with comma');

  const manifest = JSON.parse(readFileSync(r.manifestFile, 'utf8')) as Record<string, Record<string, unknown>>;
  const sha = createHash('sha256').update(readFileSync(r.file)).digest('hex');
  assert.equal(manifest.export!.sha256, sha);
  assert.equal(r.sha256, sha);
  assert.equal(manifest.export!.rows, 110);
  assert.equal(manifest.view!.filterText, 'Row ≤ 110');
  assert.equal(manifest.view!.filterSql, '(("row_id" <= 110))');
  assert.deepEqual(manifest.view!.columns, columns);
  assert.ok(Array.isArray(manifest.sources));
});

test('JSON export keeps types and text exactly, with no neutralisation', async () => {
  const out = mkdtempSync(join(tmpdir(), 'signet-export-json-'));
  const r = await call<Result>('exportView', { filter: { conditions: [], search: 'hyperlink' }, sort: [], columns: ['row_id', 'user_agent', 'error_code', 'is_compliant', 'applied_ca_policies'], format: 'json', folder: out });
  const data = JSON.parse(readFileSync(r.file, 'utf8')) as Record<string, unknown>[];
  assert.equal(data.length, 1);
  assert.deepEqual(data[0]!.row_id, 1);
  assert.equal(data[0]!.user_agent, HOSTILE_UA);
  assert.equal(data[0]!.error_code, 0);
  assert.equal(data[0]!.is_compliant, false);
  assert.equal((data[0]!.applied_ca_policies as { id: string }[])[0]!.id, 'pol-1');
  const empty = await call<Result>('exportView', { filter: { conditions: [], search: 'no-such-thing' }, sort: [], columns: ['row_id'], format: 'json', folder: out });
  assert.deepEqual(JSON.parse(readFileSync(empty.file, 'utf8')), []);
});

test('export --where runs the predicate under the console guard and refuses anything else', async () => {
  const out = mkdtempSync(join(tmpdir(), 'signet-export-where-'));
  const session = engine.requireCase();
  const r = await exportWhere(session, { predicate: "status = 'failure' OR row_id <= 2", outFile: join(out, 'f.csv'), format: 'csv', columns: ['row_id', 'user_agent', 'status'] });
  const rows = parseCsv(r.file);
  assert.equal(r.rows, 14);
  assert.deepEqual(rows[1], ['1', `'${HOSTILE_UA}`, 'success']);
  const m = JSON.parse(readFileSync(r.manifestFile, 'utf8')) as { view: { predicate: string }; export: { sha256: string } };
  assert.equal(m.view.predicate, "status = 'failure' OR row_id <= 2");
  assert.equal(m.export.sha256, createHash('sha256').update(readFileSync(r.file)).digest('hex'));
  await assert.rejects(exportWhere(session, { predicate: 'TRUE); DROP TABLE signins; --', outFile: join(out, 'g.csv'), format: 'csv' }), /not valid SQL|must not/);
  await assert.rejects(exportWhere(session, { predicate: "row_id IN (SELECT 1 FROM read_csv('/etc/passwd'))", outFile: join(out, 'h.csv'), format: 'csv' }), /disabled|Permission/);
  await assert.rejects(exportWhere(session, { predicate: "TRUE --", outFile: join(out, 'f.csv'), format: 'csv' }), /already exists/);
  assert.equal(Number(await session.db.scalar('SELECT count(*) FROM signins')), 120);
});

test('the report shows bidi controls and zero-width characters as marked placeholders, never raw', async () => {
  const { esc } = await import('../../electron/engine/report/html');
  assert.equal(esc('admin\u202Egnp.exe'), 'admin<span class="hidden-char" title="an invisible character in the data">&#x27E8;RLO&#x27E9;</span>gnp.exe');
  assert.equal(esc('a\u200Bb\uFEFF', 'svg'), 'a&#x27E8;ZWSP&#x27E9;b&#x27E8;BOM&#x27E9;');
  const all = '\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\uFEFF';
  const shown = esc(`<b>${all}</b>`);
  assert.ok(!/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/.test(shown), shown);
  assert.equal(shown.match(/&#x27E8;[A-Z]+&#x27E9;/g)?.length, 15);
  assert.ok(shown.startsWith('&lt;b&gt;') && shown.endsWith('&lt;/b&gt;'));
});
