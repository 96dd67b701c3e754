import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { csvLine, csvText } from '../support/fixtures/csvText';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { graphObject, portalRow, signin } from '../support/fixtures/signinFixtures';
import { zipBuffer } from '../support/fixtures/zipWriter';
import { importInto, rawOf, withCase, writeEvidence } from '../support/fixtures/importHarness';
import type { CaseSession } from '../../electron/engine/case/caseSession';

// Every row's source_record is the physical line where its record starts (CSV, NDJSON), or
// the record's ordinal in a JSON array; rejected rows cite the same. Each layout below is
// imported through the real import path and compared, row by row, with Python's csv/json
// reading of the same bytes. The detail pane's read-back of each row returns the row's record.

/**
 * Independent reading. Prints [{line, key, cells}] per record: for CSV the physical line where
 * the record starts (blank lines are no records); for NDJSON the line; for an array written one
 * element per line, the element's ordinal.
 */
const PY = String.raw`
import csv, gzip, io, json, sys, zipfile
path, kind, key, entry = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
data = open(path, 'rb').read()
if data[:2] == b'\x1f\x8b':
    data = gzip.decompress(data)
if entry:
    data = zipfile.ZipFile(io.BytesIO(data)).read(entry)
if data[:2] in (b'\xff\xfe', b'\xfe\xff'):
    text = data.decode('utf-16')
else:
    text = data.decode('utf-8-sig')
out = []
if kind == 'csv':
    r = csv.reader(io.StringIO(text, newline=''))
    header = next(r)
    col = header.index(key)
    while True:
        before = r.line_num
        try:
            row = next(r)
        except StopIteration:
            break
        if row == []:
            continue
        out.append({'line': before + 1, 'key': row[col] if col < len(row) else None, 'cells': len(row), 'expected': len(header)})
elif kind == 'ndjson':
    lines = text.split('\n')
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if s == '':
            i += 1
            continue
        try:
            out.append({'line': i + 1, 'key': json.loads(s).get(key), 'cells': 1, 'expected': 1})
            i += 1
            continue
        except Exception:
            pass
        # A pretty-printed object: the lines up to the first that closes it.
        j, rec = i, None
        while j < len(lines):
            try:
                rec = json.loads('\n'.join(lines[i:j + 1]))
                break
            except Exception:
                j += 1
        if rec is None or not s.startswith('{'):
            out.append({'line': i + 1, 'key': None, 'cells': 0, 'expected': 1})
            i += 1
        else:
            out.append({'line': i + 1, 'key': rec.get(key), 'cells': 1, 'expected': 1})
            i = j + 1
elif kind == 'array-lines':
    n = 0
    for l in text.split('\n'):
        s = l.strip().rstrip(',')
        if s in ('', '[', ']'):
            continue
        n += 1
        try:
            out.append({'line': n, 'key': json.loads(s).get(key), 'cells': 1, 'expected': 1})
        except Exception:
            out.append({'line': n, 'key': None, 'cells': 0, 'expected': 1})
print(json.dumps(out))
`;

interface PyRecord {
  line: number;
  key: string | null;
  cells: number;
  expected: number;
}

function pythonRecords(path: string, kind: 'csv' | 'ndjson' | 'array-lines', key: string, entry = ''): PyRecord[] {
  const r = spawnSync('python3', ['-c', PY, path, kind, key, entry], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as PyRecord[];
}

/**
 * Every row's source_record against Python's record start; every rejected line against the
 * records Python reads as bad (cell count) or that the fixture marked bad; every row read back.
 */
async function compare(session: CaseSession, sourceFile: string, py: PyRecord[], badKeys: Set<string>, label: string): Promise<void> {
  const rows = await session.db.all<{ request_id: string; source_record: string }>(
    `SELECT request_id, CAST(source_record AS VARCHAR) AS source_record FROM signins WHERE source_file = ? ORDER BY row_id`,
    [sourceFile],
  );
  const rejected = await session.db.all<{ source_record: string }>(`SELECT CAST(source_record AS VARCHAR) AS source_record FROM rejected_rows WHERE source_file = ? ORDER BY source_record`, [sourceFile]);
  const lineOf = new Map(py.filter((p) => p.key !== null).map((p) => [p.key!, p.line]));
  const bad = py.filter((p) => p.cells !== p.expected || p.key === null || badKeys.has(p.key));
  const good = py.filter((p) => !bad.includes(p));
  assert.equal(rows.length, good.length, `${label}: rows imported`);
  const wrong = rows.filter((r) => Number(r.source_record) !== lineOf.get(r.request_id));
  assert.deepEqual(
    wrong.slice(0, 5).map((r) => `${r.request_id}: ${r.source_record} (python ${lineOf.get(r.request_id)})`),
    [],
    `${label}: ${wrong.length} of ${rows.length} rows cite the wrong place`,
  );
  assert.deepEqual(rejected.map((r) => Number(r.source_record)).sort((a, b) => a - b), bad.map((b) => b.line).sort((a, b) => a - b), `${label}: rejected lines`);
  // Rows whose record the case keeps are read from the case: a few suffice. Rows read back from the evidence: all.
  const fromEvidence = new Set(
    (await session.db.all<{ request_id: string }>(`SELECT request_id FROM signins WHERE source_file = ? AND raw IS NULL`, [sourceFile])).map((r) => r.request_id),
  );
  for (const [i, r] of rows.entries()) {
    if (!fromEvidence.has(r.request_id) && i % 10 !== 3) continue;
    const { raw } = await rawOf(session, `source_file = '${sourceFile.replace(/'/g, "''")}' AND request_id = '${r.request_id}'`);
    const id = raw.Id ?? raw['Request ID'] ?? raw.id;
    assert.equal(id, r.request_id, `${label}: row ${r.request_id} read back`);
  }
}

const LA_HEADER = [
  'TenantId', 'SourceSystem', 'TimeGenerated [UTC]', 'ResourceId', 'OperationName', 'Category', 'ResultType', 'ResultDescription',
  'CorrelationId', 'Location', 'AppDisplayName', 'AppId', 'AuthenticationDetails', 'ConditionalAccessPolicies_dynamic',
  'ConditionalAccessPolicies_string', 'ConditionalAccessStatus', 'CreatedDateTime [UTC]', 'DeviceDetail_dynamic', 'DeviceDetail_string',
  'IsInteractive', 'Id', 'IPAddress', 'LocationDetails_dynamic', 'LocationDetails_string', 'MfaDetail_dynamic', 'MfaDetail_string',
  'ResourceDisplayName', 'ResourceIdentity', 'Status_dynamic', 'Status_string', 'UserAgent', 'UserDisplayName', 'UserId',
  'UserPrincipalName', 'UniqueTokenIdentifier', 'Type',
];

/** A Log Analytics row: some JSON cells pretty-printed over several lines (CRLF inside). */
function laRow(i: number, tag: string): Record<string, string> {
  const pretty = (v: unknown): string => JSON.stringify(v, null, i % 3 === 0 ? 0 : 2).replace(/\n/g, '\r\n');
  return {
    TenantId: 'ws', SourceSystem: 'Azure AD', 'TimeGenerated [UTC]': '4/28/2021, 2:08:47.000 PM', OperationName: 'Sign-in activity',
    Category: 'SignInLogs', ResultType: '0', CorrelationId: `corr-${i}`, Location: 'IL', AppDisplayName: 'Azure Portal', AppId: 'app',
    AuthenticationDetails: pretty([{ authenticationMethod: 'Password', succeeded: true }]),
    ConditionalAccessPolicies_dynamic: pretty(Array.from({ length: i % 4 }, (_, k) => ({ id: `p${k}`, result: 'notEnabled' }))),
    'CreatedDateTime [UTC]': '4/28/2021, 2:08:45.221 PM', DeviceDetail_dynamic: pretty({ operatingSystem: 'Windows 10' }),
    Id: `${tag}-${i}`, IPAddress: '175.45.176.99', LocationDetails_dynamic: pretty({ countryOrRegion: 'IL', city: 'Azor' }),
    Status_dynamic: JSON.stringify({ errorCode: 0 }), UserAgent: 'Mozilla/5.0', UserPrincipalName: `u${i}@contoso.example`, Type: 'SigninLogs',
  };
}

/**
 * A Log Analytics CSV (BOM, CRLF) of `n` records with multi-line cells, one ragged record
 * and one with a bad quote in the middle, and trailing blank lines.
 */
function laCsv(n: number, tag: string): { text: string; bad: Set<string> } {
  const lines = [LA_HEADER.join(',')];
  const bad = new Set<string>();
  for (let i = 1; i <= n; i++) {
    const row = laRow(i, tag);
    if (i === 7) {
      // Ragged: the record stops after its Id.
      lines.push(csvLine(LA_HEADER.slice(0, LA_HEADER.indexOf('Id') + 1).map((h) => row[h])));
      bad.add(row.Id!);
    } else if (i === 19) {
      // A bad quote: text after a quoted cell's closing quote.
      lines.push(csvLine(LA_HEADER.map((h) => row[h])).replace('Mozilla/5.0', '"Mozilla"5.0'));
      bad.add(row.Id!);
    } else lines.push(csvLine(LA_HEADER.map((h) => row[h])));
  }
  return { text: '\uFEFF' + lines.join('\r\n') + '\r\n\r\n\r\n', bad };
}

function utf16(text: string, bigEndian: boolean): Buffer {
  const le = Buffer.from(text.startsWith('\uFEFF') ? text : '\uFEFF' + text, 'utf16le');
  if (bigEndian) le.swap16();
  return le;
}

test('Log Analytics CSV with multi-line JSON cells, a ragged and a bad-quote record: plain, .gz, .zip, UTF-16 LE and BE', async () => {
  await withCase('srcrec-la', async (dir, session) => {
    // Each file holds its own records (the same ones twice would be folded as duplicates).
    const la = (tag: string): string => laCsv(30, tag).text;
    const files = [
      { name: 'la_plain.csv', body: Buffer.from(la('plain'), 'utf8'), entry: '', tag: 'plain' },
      { name: 'la_gz.csv.gz', body: gzipSync(Buffer.from(la('gz'), 'utf8')), entry: '', tag: 'gz' },
      { name: 'la_zip.zip', body: zipBuffer([{ name: 'query_data.csv', data: la('zip') }]), entry: 'query_data.csv', tag: 'zip' },
      { name: 'la_le.csv', body: utf16(la('le'), false), entry: '', tag: 'le' },
      { name: 'la_be.csv', body: utf16(la('be'), true), entry: '', tag: 'be' },
      { name: 'la_le.csv.gz', body: gzipSync(utf16(la('legz'), false)), entry: '', tag: 'legz' },
    ];
    const paths = files.map((f) => writeEvidence(dir, f.name, f.body));
    for (const [i, f] of files.entries()) {
      // One import per file: a file that needs a second read redoes only itself.
      const [out] = await importInto(session, [paths[i]!]);
      assert.equal(out!.shape, 'la-csv', f.name);
      const sourceFile = f.entry ? `${f.name}!${f.entry}` : f.name;
      await compare(session, sourceFile, pythonRecords(paths[i]!, 'csv', 'Id', f.entry), laCsv(30, f.tag).bad, f.name);
    }
  });
});

test('portal CSV: multi-line cells, a bad quote and trailing blank lines; LF and CRLF', async () => {
  await withCase('srcrec-portal', async (dir, session) => {
    for (const [n, eol] of ['\n', '\r\n', '\n', '\r\n'].entries()) {
      const bad = new Set<string>();
      const rows = Array.from({ length: 60 }, (_, k) => {
        const s = signin(k + 1 + n * 1000);
        const row = portalRow(s);
        if (k % 9 === 4) row['Failure reason'] = `first line ${k}${eol}second line${eol}third`;
        return row;
      });
      let text = csvText(HEADER_57, rows, eol);
      const victim = String(rows[20]!['Request ID']);
      bad.add(victim);
      text = text.replace(`${victim},Mozilla`, `${victim},"Mozilla"/5.0 broken,Mozilla`);
      text += `${eol}${eol}`;
      const name = `InteractiveSignIns_${eol === '\n' ? 'lf' : 'crlf'}.csv${n >= 2 ? '.gz' : ''}`;
      const path = writeEvidence(dir, name, n >= 2 ? gzipSync(Buffer.from(text)) : text);
      await importInto(session, [path]);
      await compare(session, name, pythonRecords(path, 'csv', 'Request ID'), bad, name);
    }
  });
});

test('NDJSON and a JSON array with a garbage line: lines (NDJSON) and ordinals (array) as Python reads them', async () => {
  await withCase('srcrec-json', async (dir, session) => {
    const objs = Array.from({ length: 30 }, (_, i) => graphObject(signin(i + 1)));
    const nd = objs.map((o) => JSON.stringify(o));
    nd.splice(10, 0, 'this line is garbage, not JSON');
    nd.splice(20, 0, '');
    const ndPath = writeEvidence(dir, 'signins.ndjson', nd.join('\n') + '\n');
    const arr = objs.map((o) => JSON.stringify({ ...o, id: `${String(o.id)}-c` }));
    arr.splice(8, 0, 'garbage in the array');
    const arrPath = writeEvidence(dir, 'signins_array.json', `[\n${arr.join(',\n')}\n]\n`);
    const out = await importInto(session, [ndPath, arrPath]);
    assert.deepEqual(out.map((s) => s.rejected), [1, 1]);
    await compare(session, 'signins.ndjson', pythonRecords(ndPath, 'ndjson', 'id'), new Set(), 'ndjson');
    await compare(session, 'signins_array.json', pythonRecords(arrPath, 'array-lines', 'id'), new Set(), 'array');
  });
});
