import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { importInto, withCase, writeEvidence } from '../support/fixtures/importHarness';

// An NDJSON line may hold an array of records (tools that write a page's `value` per line):
// each element is its own record, numbered with the line it is on. A line that is not JSON
// is one rejected record naming the file and the line.

/** Python's reading: per line, the records it holds as (line, id or null when not a sign-in object), and unreadable lines. */
const PY_LINES = String.raw`
import json, sys
recs, bad = [], []
for n, line in enumerate(open(sys.argv[1], encoding='utf-8'), 1):
    if not line.strip():
        continue
    try:
        v = json.loads(line)
    except json.JSONDecodeError:
        bad.append(n)
        continue
    for r in (v if isinstance(v, list) else [v]):
        recs.append([n, r.get('id') if isinstance(r, dict) else None])
print(json.dumps({'recs': recs, 'bad': bad}))
`;

function pythonLines(file: string): { recs: Array<[number, string | null]>; bad: number[] } {
  const r = spawnSync('python3', ['-c', PY_LINES, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { recs: Array<[number, string | null]>; bad: number[] };
}

const signIn = (id: string, minute: number): Record<string, unknown> => ({
  id,
  createdDateTime: `2026-10-05T08:${String(minute).padStart(2, '0')}:00Z`,
  userPrincipalName: `${id}@contoso.example`,
  appId: 'app',
  status: { errorCode: 0 },
});

async function importLines(name: string, lines: string[]): Promise<void> {
  await withCase(name, async (dir, session) => {
    const file = writeEvidence(dir, `${name}.ndjson`, lines.join('\n') + '\n');
    const expected = pythonLines(file);
    const [s] = await importInto(session, [file]);
    assert.equal(s!.shape, 'graph-json');
    const good = expected.recs.filter(([, id]) => id !== null);
    const notObjects = expected.recs.length - good.length;
    assert.equal(s!.read, expected.recs.length + expected.bad.length, s!.errors.join('; '));
    assert.equal(s!.imported, good.length, s!.errors.join('; '));
    assert.equal(s!.rejected, expected.bad.length + notObjects);
    const rows = await session.db.all<{ request_id: string; source_record: string; row_id: string }>(`SELECT request_id, source_record, row_id FROM signins ORDER BY request_id`);
    assert.deepEqual(
      rows.map((r) => [Number(r.source_record), r.request_id]),
      [...good].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      'each record numbered with its line',
    );
    assert.equal(new Set(rows.map((r) => r.row_id)).size, rows.length, 'row ids stay unique');
    const rejected = await session.db.all<{ source_record: string; reason: string }>(`SELECT source_record, reason FROM rejected_rows ORDER BY source_record`);
    for (const line of expected.bad) {
      assert.ok(rejected.some((r) => Number(r.source_record) === line && /not valid JSON/.test(r.reason)), `line ${line} rejected as not JSON: ${JSON.stringify(rejected)}`);
      assert.ok(s!.errors.some((e) => e.includes(`${name}.ndjson line ${line}:`)), `the summary names file and line ${line}: ${s!.errors.join('; ')}`);
    }
  });
}

test('NDJSON: a line holding an array imports each record with that line; a garbage line is one rejected record', async () => {
  await importLines('ndjson-mixed', [
    JSON.stringify(signIn('a1', 1)),
    JSON.stringify([signIn('b1', 2), signIn('b2', 3)]),
    'this line is not json {',
    JSON.stringify(signIn('c1', 4)),
    JSON.stringify([signIn('d1', 5), 42]),
  ]);
});

test('NDJSON whose first line is an array: records are numbered by line, not by position', async () => {
  await importLines('ndjson-arrays', [JSON.stringify([signIn('a1', 1), signIn('a2', 2)]), JSON.stringify(signIn('b1', 3)), JSON.stringify([signIn('c1', 4)])]);
});
