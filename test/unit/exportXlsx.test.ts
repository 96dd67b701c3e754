import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Engine } from '../../electron/engine/engine';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import { exportView } from '../../electron/engine/export/exportView';
import { whereSql } from '../../electron/engine/query/filterSql';
import { excelText } from '../../electron/engine/export/xlsxSheet';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { csvText } from '../support/fixtures/csvText';
import { importInto, withCase, workDir, writeEvidence } from '../support/fixtures/importHarness';

const ROOT = resolve(__dirname, '../..');

/** Values a spreadsheet would run as a formula if they were written as one, and text that tests the cell encoding. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  '+cmd|\' /C calc\'!A0',
  '-1+2',
  '@SUM(A1:A9)',
  '=1+2',
  '\t=1',
  'ctrl \x01 char',
  'literal _x0041_ escape',
  'carriage\r\nreturn',
  'Ünïcødé ✓ 𝄞',
  '  leading and trailing  ',
];

interface Cell {
  t: string;
  v: string | number | null;
  date: boolean;
  formula: boolean;
}
interface Reading {
  sheet: { rows: (Cell | null)[][]; pane: Record<string, string> | null; autoFilter: string | null; formulaElements: number; widths: number[] };
  expected: (string | number)[][];
}

function readBack(xlsx: string, source: string, zone: string): Reading {
  const r = spawnSync('python3', [join(ROOT, 'test/support/python/xlsx_reference.py'), xlsx, source, zone], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Reading;
}

/** A portal CSV whose times cross Berlin's 2026 spring-forward (01:00 UTC on 29 March). */
function sourceCsv(dir: string, n: number): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const t = new Date(Date.UTC(2026, 2, 28, 22, 0, 0) + i * 17 * 60_000 + i * 7).toISOString();
    const s = signin(i + 1, { time: t, errorCode: 50126, failureReason: HOSTILE[i % HOSTILE.length]!, userAgent: HOSTILE[(i + 3) % HOSTILE.length]!, user: i % 4 === 0 ? HOSTILE[i % HOSTILE.length]! : `User ${i}` });
    return portalRow(s, HEADER_57);
  });
  return writeEvidence(dir, 'InteractiveSignIns_2026-03-28_2026-03-29.csv', '\ufeff' + csvText(HEADER_57, rows, '\r\n'));
}

const COLUMNS = ['request_id', 'time_utc', 'user_display_name', 'user_principal_name', 'user_agent', 'failure_reason', 'ip_address', 'error_code'];
const TITLES = ['Request ID', 'Date (Europe/Berlin)', 'Date (UTC, ISO 8601)', 'User', 'Username', 'User agent', 'Failure reason', 'IP address', 'Error code'];

test('excelText: controls and CR become _xHHHH_, a literal escape keeps its underscore, plain text is untouched', () => {
  assert.equal(excelText('a\x01b\rc\nd\te'), 'a_x0001_b_x000D_c\nd\te');
  assert.equal(excelText('_x0041_'), '_x005F_x0041_');
  assert.equal(excelText('=HYPERLINK("x")'), '=HYPERLINK("x")');
  assert.equal(excelText('bad \ud800 surrogate'), 'bad \ufffd surrogate');
});

test('xlsx export of a view: rows as the source CSV says, frozen header with autofilter, zoned date-times, no formula anywhere', async () => {
  await withCase('xlsx', async (dir, session) => {
    const source = sourceCsv(dir, 60);
    const [s] = await importInto(session, [source]);
    assert.equal(s!.imported, 60);
    session.close();
    const engine = new Engine({ dataDir: workDir('xlsx-data'), appVersion: 'test', mode: 'browser' });
    await engine.openCase(session.dir);
    try {
      const out = join(dir, 'exports');
      const r = await dispatch(handlerTable, 'exportView', { filter: { conditions: [] }, sort: [{ column: 'request_id', dir: 'asc' }], columns: COLUMNS, format: 'xlsx', folder: out, timeZone: 'Europe/Berlin' }, { engine, transport: 'bridge' });
      assert.ok(r.ok, JSON.stringify(r));
      const res = r.result as { file: string; manifestFile: string; rows: number; sha256: string; bytes: number };
      assert.equal(res.rows, 60);
      assert.match(res.file, /\.xlsx$/);
      const bytes = readFileSync(res.file);
      assert.equal(res.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(res.bytes, bytes.length);

      const { sheet, expected } = readBack(res.file, source, 'Europe/Berlin');
      // The header: the grid's titles, the time column's zone named, the ISO column beside it.
      assert.deepEqual(sheet.rows[0]!.map((c) => c?.v), TITLES);
      assert.deepEqual(sheet.pane && { state: sheet.pane.state, ySplit: sheet.pane.ySplit }, { state: 'frozen', ySplit: '1' });
      assert.equal(sheet.autoFilter, 'A1:I1');
      assert.equal(sheet.widths.length, TITLES.length);
      assert.ok(sheet.widths.every((w) => w >= 6 && w <= 60), String(sheet.widths));

      // Every row, cell by cell, against Python's reading of the source CSV.
      const body = sheet.rows.slice(1);
      assert.equal(body.length, expected.length);
      body.forEach((row, i) => {
        const want = expected[i]!;
        const [id, time, iso, ...rest] = row;
        assert.equal(id!.v, want[0]);
        assert.equal(time!.t, 'n', 'a date-time is a number');
        assert.ok(time!.date, 'with a date-time number format');
        assert.ok(Math.abs((time!.v as number) - (want[1] as number)) < 1e-8, `row ${i}: ${time!.v} vs ${want[1]}`);
        assert.equal(iso!.v, want[2]);
        assert.deepEqual(rest.map((c) => c!.v), want.slice(3), `row ${i}`);
        assert.equal(rest[rest.length - 1]!.t, 'n', 'the error code is a number');
        for (const c of [id, iso, ...rest.slice(0, -1)]) assert.ok(c!.t === 'inlineStr' || c!.t === 's', `text cell, not ${c!.t}`);
      });
      // Each hostile value arrived as text, exactly, and nothing in the sheet is a formula.
      const texts = new Set(body.flatMap((row) => row.map((c) => c?.v)));
      for (const h of HOSTILE) assert.ok(texts.has(h), JSON.stringify(h));
      assert.equal(sheet.formulaElements, 0);
      assert.ok(body.every((row) => row.every((c) => !c?.formula)));
      // Berlin's clock: 23:00 before the switch (UTC+1), 03:xx after it (UTC+2).
      const hours = body.map((row) => Math.round(((row[1]!.v as number) % 1) * 24 * 60) / 60);
      assert.ok(hours.some((h) => h >= 23) && hours.some((h) => h >= 3 && h < 4));

      // The same manifest as the CSV export: sources with hashes, the filter as SQL, the file's hash.
      const manifest = JSON.parse(readFileSync(res.manifestFile, 'utf8')) as {
        format: string;
        sources: { sha256: string }[];
        view: { filterSql: string; columns: string[] };
        export: { format: string; rows: number; sha256: string; times: string; xlsxCells: { truncatedCells: number } };
      };
      assert.equal(manifest.format, 'signet-export');
      assert.equal(manifest.sources[0]!.sha256, createHash('sha256').update(readFileSync(source)).digest('hex'));
      assert.deepEqual(manifest.view.columns, COLUMNS);
      assert.equal(typeof manifest.view.filterSql, 'string');
      assert.deepEqual([manifest.export.format, manifest.export.rows, manifest.export.sha256], ['xlsx', 60, res.sha256]);
      assert.match(manifest.export.times, /Europe\/Berlin/);
      assert.equal(manifest.export.xlsxCells.truncatedCells, 0);

      // The case's own colour rules reach the workbook through the API. With "In a finding" turned
      // off, the failures rule is first; every row of this fixture is a failure (error 50126).
      const ctx = { engine, transport: 'bridge' as const };
      const off = await dispatch(handlerTable, 'updateColourRule', { id: 'default-findings', enabled: false }, ctx);
      assert.ok(off.ok, JSON.stringify(off));
      const ruled = await dispatch(handlerTable, 'exportView', { filter: { conditions: [] }, sort: [{ column: 'request_id', dir: 'asc' }], columns: ['request_id', 'status'], format: 'xlsx', folder: out }, ctx);
      assert.ok(ruled.ok, JSON.stringify(ruled));
      const ruledFills = fillsByRow((ruled.result as { file: string }).file);
      assert.equal(ruledFills.length, 60);
      assert.ok(ruledFills.every((f) => f === 'FFFBE0DE'), `the failures rule's light red on every row: ${JSON.stringify([...new Set(ruledFills)])}`);

      // Colour rules: a row takes the fill of the first rule it meets.
      const coloured = await exportView(engine.requireCase(), {
        filter: { conditions: [] },
        sort: [{ column: 'request_id', dir: 'asc' }],
        columns: ['request_id', 'user_agent'],
        format: 'xlsx',
        folder: out,
        colourRules: [
          { where: whereSql({ conditions: [{ kind: 'text', column: 'user_agent', op: 'startsWith', value: '=' }] }), fill: '#ffc7ce' },
          { where: whereSql({ conditions: [] }), fill: '#c6efce' },
        ],
      });
      const fills = fillsByRow(coloured.file);
      const agents = readBack(coloured.file, source, 'UTC').sheet.rows.slice(1).map((row) => String(row[1]?.v));
      assert.equal(fills.length, agents.length);
      agents.forEach((ua, i) => assert.equal(fills[i], ua.startsWith('=') ? 'FFFFC7CE' : 'FFC6EFCE', ua));
    } finally {
      engine.close();
    }
  });
});

/** The fill colour of each data row's first cell, read with zipfile and xml.etree. */
function fillsByRow(xlsx: string): (string | null)[] {
  const script = `import sys, json, zipfile, xml.etree.ElementTree as ET
m = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
z = zipfile.ZipFile(sys.argv[1])
st = ET.fromstring(z.read('xl/styles.xml'))
fills = [f.find(m + 'patternFill') for f in st.find(m + 'fills')]
colour = [None if p is None or p.find(m + 'fgColor') is None else p.find(m + 'fgColor').get('rgb') for p in fills]
xfs = [int(x.get('fillId', '0')) for x in st.find(m + 'cellXfs')]
rows = ET.fromstring(z.read('xl/worksheets/sheet1.xml')).find(m + 'sheetData')
print(json.dumps([colour[xfs[int(r.find(m + 'c').get('s', '0'))]] for r in list(rows)[1:]]))`;
  const r = spawnSync('python3', ['-c', script, xlsx], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as (string | null)[];
}

test('signet export --format xlsx writes a workbook and its manifest; a bad zone is refused', async () => {
  await withCase('xlsx-cli', async (dir, session) => {
    const source = sourceCsv(dir, 12);
    await importInto(session, [source]);
    session.close();
    const out = join(dir, 'out', 'failures.xlsx');
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/cli/signet.ts'), 'export', '--case', session.dir, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const bad = cli('--where', 'TRUE', '--out', join(dir, 'out', 'x.xlsx'), '--time-zone', 'Mars/Olympus');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /Unknown time zone "Mars\/Olympus"/);
    const r = cli('--where', "status = 'failure'", '--out', out, '--format', 'xlsx', '--time-zone', 'UTC', '--columns', 'request_id,time_utc,user_agent,error_code');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(out) && existsSync(`${out}.manifest.json`));
    const { sheet, expected } = readBack(out, source, 'UTC');
    assert.deepEqual(sheet.rows[0]!.map((c) => c?.v), ['Request ID', 'Date (UTC)', 'Date (UTC, ISO 8601)', 'User agent', 'Error code']);
    // CLI exports are in time order; the source's request ids rise with its times.
    assert.deepEqual(sheet.rows.slice(1).map((row) => [row[0]!.v, row[3]!.v]), expected.map((e) => [e[0], e[5]]));
    assert.equal(sheet.formulaElements, 0);
  });
});
