import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { csvText } from '../support/fixtures/csvText';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { graphObject, portalRow, signin } from '../support/fixtures/signinFixtures';
import { importInto, withCase, writeEvidence } from '../support/fixtures/importHarness';

// Hostile content in an evidence file costs at most its own record, named with its file and
// line, never the whole file; values are stored as the evidence holds them.

/** Python's reading of a CSV: [start line, cells] per record (blank lines are no records). */
function pythonCsv(path: string): Array<{ line: number; cells: string[] }> {
  const py = String.raw`
import csv, io, json, sys
text = open(sys.argv[1], 'rb').read().decode('utf-8-sig')
r = csv.reader(io.StringIO(text, newline=''))
next(r)
out = []
while True:
    before = r.line_num
    try:
        row = next(r)
    except StopIteration:
        break
    if row:
        out.append({'line': before + 1, 'cells': row})
print(json.dumps(out))
`;
  const r = spawnSync('python3', ['-c', py, path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Array<{ line: number; cells: string[] }>;
}

/** JSON text nested `depth` levels (JSON.stringify itself cannot write it). */
function nestText(depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '{"d":' : '[';
    close = (i % 2 ? '}' : ']') + close;
  }
  return `${open}"bottom"${close}`;
}

test('a record nested 5,000 levels deep is rejected with its place; the other records of the file import', async () => {
  await withCase('deep', async (dir, session) => {
    const objs = Array.from({ length: 12 }, (_, i) => graphObject(signin(i + 1)));
    // The deep value replaces a placeholder: JSON.stringify cannot write it.
    const deepText = (o: Record<string, unknown>): string => JSON.stringify({ ...o, riskEventTypes_v2: 'DEEP' }).replace('"DEEP"', nestText(5000));
    const arrayText = `[${[...objs.slice(0, 5).map((o) => JSON.stringify(o)), deepText(objs[5]!), ...objs.slice(6).map((o) => JSON.stringify(o))].join(',')}]`;
    // A trailing comma (a hand-saved page) sends the file to the forgiving reader.
    const file = writeEvidence(dir, 'deep.json', arrayText.replace(/\]$/, ',]'));
    const out = await importInto(session, [file]);
    assert.deepEqual(out.map((s) => [s.read, s.imported, s.rejected]), [[12, 11, 1]], out[0]!.errors.join('\n'));
    const rej = await session.db.all<{ source_file: string; source_record: string; reason: string }>(`SELECT source_file, CAST(source_record AS VARCHAR) AS source_record, reason FROM rejected_rows ORDER BY source_file`);
    assert.deepEqual(rej.map((r) => [r.source_file, r.source_record]), [['deep.json', '6']]);
    for (const r of rej) assert.match(r.reason, /nest/i);
    assert.ok(out[0]!.errors.some((e) => /deep\.json record 6: .*nest/i.test(e)), out[0]!.errors.join('\n'));
  });
});

test('a record with one 50 MB string: read, or rejected alone with its file and line', async () => {
  await withCase('huge', async (dir, session) => {
    const big = 'x'.repeat(50 * 1024 * 1024);
    const objs = Array.from({ length: 6 }, (_, i) => graphObject(signin(i + 1)));
    const lines = objs.map((o, i) => JSON.stringify(i === 3 ? { ...o, userAgent: big } : o));
    lines.splice(2, 0, 'a garbage line');
    const nd = writeEvidence(dir, 'huge.ndjson', lines.join('\n') + '\n');
    const rows = Array.from({ length: 6 }, (_, i) => portalRow(signin(100 + i, i === 2 ? { userAgent: big } : {})));
    const csv = writeEvidence(dir, 'InteractiveSignIns_huge.csv', csvText(HEADER_57, rows));
    const [j] = await importInto(session, [nd]);
    const [c] = await importInto(session, [csv]);
    assert.equal(j!.read, 7, j!.errors.join('\n'));
    assert.equal(c!.read, 6, c!.errors.join('\n'));
    for (const s of [j!, c!]) for (const e of s.errors) assert.doesNotMatch(e, /could not be read|Possible fixes/, 'the file is not refused');
    // Every row cites its line; the big record is either imported or rejected at its own line.
    const where = await session.db.all<{ source_file: string; request_id: string | null; source_record: string }>(
      `SELECT source_file, request_id, CAST(source_record AS VARCHAR) AS source_record FROM signins UNION ALL SELECT source_file, NULL, CAST(source_record AS VARCHAR) FROM rejected_rows ORDER BY 1, 3`,
    );
    assert.deepEqual(where.filter((w) => w.source_file === 'huge.ndjson').map((w) => Number(w.source_record)), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(where.filter((w) => w.source_file === 'InteractiveSignIns_huge.csv').map((w) => Number(w.source_record)), [2, 3, 4, 5, 6, 7]);
    const garbage = await session.db.one<{ reason: string }>(`SELECT reason FROM rejected_rows WHERE source_file = 'huge.ndjson' AND source_record = 3`);
    assert.ok(garbage, 'the garbage line is rejected at its line');
    for (const s of [j!, c!]) {
      if (s.rejected > (s === j ? 1 : 0)) assert.ok(s.errors.some((e) => /line (4|5)\b.*(long|limit|size)/i.test(e)), s.errors.join('\n'));
    }
  });
});

test('a CSV mixing LF and CRLF line endings is read, every cell as Python reads it', async () => {
  await withCase('mixed-eol', async (dir, session) => {
    // The last cell holds text: DuckDB copes with mixed endings only after an empty last cell.
    const last = HEADER_57[HEADER_57.length - 1]!;
    const rows = Array.from({ length: 12 }, (_, i) => ({
      ...portalRow(signin(i + 1, { errorCode: 50126, ...(i === 4 ? { failureReason: 'two\r\nlines' } : i === 8 ? { failureReason: 'bare\nLF' } : {}) })),
      [last]: `value ${i}`,
    }));
    const text = csvText(HEADER_57, rows, '\r\n');
    // Every third record ends with a bare LF.
    let n = 0;
    // Failures, so the reasons are kept (a success has no failure reason in the canonical table).
    const mixed = text.replace(/(Failed|two\r\nlines|bare\nLF)(,[^\r\n]*)\r\n/g, (_m, a: string, b: string) => `${a}${b}${++n % 3 === 0 ? '\n' : '\r\n'}`);
    assert.ok(/[^\r]\n/.test(mixed.replace(/"[^"]*"/g, '')) && mixed.includes('\r\n'), 'the fixture mixes both');
    const file = writeEvidence(dir, 'InteractiveSignIns_mixed.csv', mixed);
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [12, 12, 0], s!.errors.join('\n'));
    const py = pythonCsv(file);
    const got = await session.db.all<{ request_id: string; failure_reason: string; source_record: string }>(
      `SELECT request_id, failure_reason, CAST(source_record AS VARCHAR) AS source_record FROM signins ORDER BY row_id`,
    );
    const id = HEADER_57.indexOf('Request ID');
    const reason = HEADER_57.indexOf('Failure reason');
    assert.deepEqual(
      got.map((g) => [g.request_id, g.failure_reason, Number(g.source_record)]),
      py.map((p) => [p.cells[id], p.cells[reason], p.line]),
    );
  });
});

test('text values keep their leading and trailing spaces as the evidence holds them (CSV and JSON)', async () => {
  await withCase('spaces', async (dir, session) => {
    const padded = (i: number) => signin(i, { errorCode: 50126, user: `  Padded User ${i} `, upn: ` user${i}@contoso.example`, userAgent: `Mozilla/5.0 ${i}   `, failureReason: ` reason ${i} `, app: `\tApp ${i} ` });
    const rows = Array.from({ length: 4 }, (_, i) => portalRow(padded(i + 1)));
    const csv = writeEvidence(dir, 'InteractiveSignIns_spaces.csv', csvText(HEADER_57, rows));
    const objs = Array.from({ length: 4 }, (_, i) => graphObject(padded(i + 11)));
    const json = writeEvidence(dir, 'signins_spaces.json', JSON.stringify(objs));
    await importInto(session, [csv, json]);
    const py = spawnSync(
      'python3',
      [
        '-c',
        String.raw`
import csv, io, json, sys
out = []
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    for r in csv.DictReader(f):
        out.append([r['Request ID'], r['User'], r['Username'], r['User agent'], r['Failure reason'], r['Application']])
for o in json.load(open(sys.argv[2], encoding='utf-8')):
    out.append([o['id'], o['userDisplayName'], o['userPrincipalName'], o['userAgent'], o['status']['failureReason'], o['appDisplayName']])
print(json.dumps(out))
`,
        csv,
        json,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(py.status, 0, py.stderr);
    const want = JSON.parse(py.stdout) as string[][];
    const got = await session.db.all<Record<string, string>>(
      `SELECT request_id, user_display_name, user_principal_name, user_agent, failure_reason, app_display_name FROM signins ORDER BY row_id`,
    );
    assert.deepEqual(got.map((g) => Object.values(g)), want);
  });
});
