import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { generateDataset, type Shape } from '../../electron/engine/demo/generate';
import { csvText } from '../support/fixtures/csvText';
import { AUTH_DETAILS_HEADER, HEADER_57 } from '../support/fixtures/portalHeaders';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { importInto, withCase, workDir, writeEvidence } from '../support/fixtures/importHarness';

// The same sign-in exported in several shapes, header generations or serialisations is one
// row whose provenance names every copy; copies that disagree are recorded, not duplicated.

/** A Graph record written another way: other key order, spaces after ':', non-ASCII as \\u escapes. */
function reserialise(record: Record<string, unknown>): string {
  const reversed = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
  return JSON.stringify(reversed(record), null, 1)
    .replace(/\n\s*/g, ' ')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

test('the same generated events in every shape, re-serialised and in two portal generations: one row per event', async (t) => {
  const dir = workDir('one-row');
  try {
    const shapes: Shape[] = ['portal-csv', 'portal-csv-55', 'portal-csv-49', 'graph-json', 'graph-ndjson', 'graph-array', 'eventhub', 'la-csv'];
    const truth = await generateDataset({ outDir: join(dir, 'evidence'), rows: 800, shapes, seed: 'one-row' });
    const graphPage = truth.files.find((f) => f.shape === 'graph-json')!.path;
    const records = (JSON.parse(readFileSync(graphPage, 'utf8')) as { value: Array<Record<string, unknown>> }).value;
    // One copy disagrees on the browser: the row stays one, the conflict is recorded.
    const changed = records.findIndex((r) => r.userId && (r.deviceDetail as { browser?: string })?.browser);
    const copy = records.map((r, i) => (i === changed ? { ...r, deviceDetail: { ...(r.deviceDetail as object), browser: 'Other Browser 1.0' } } : r));
    const resaved = writeEvidence(dir, 'graph-resaved.json', `{"value": [\n${copy.map(reserialise).join(',\n')}\n]}`);
    assert.match(readFileSync(resaved, 'utf8'), /\\u00/, 'the re-serialised copy escapes non-ASCII');

    // Independent count: distinct (request id, log type) in the Graph page, read by Python.
    const py = spawnSync('python3', ['-c', `
import json, sys
v = json.load(open(sys.argv[1], encoding='utf-8'))['value']
print(len({(r['id'], r['signInEventTypes'][0]) for r in v}))`, graphPage], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const events = Number(py.stdout.trim());
    assert.equal(events, truth.rows);

    const session = await CaseSession.create(join(dir, 'case'), 'test');
    try {
      const files = [...truth.files.map((f) => f.path), resaved];
      const out = await importInto(session, files);
      for (const s of out) assert.deepEqual([s.rejected, s.errors], [0, []], s.file);
      const imported = out.reduce((n, s) => n + s.imported, 0);
      const duplicates = out.reduce((n, s) => n + s.duplicates, 0);
      t.diagnostic(`${files.length} files, ${out.reduce((n, s) => n + s.read, 0)} records read: ${imported} rows, ${duplicates} copies`);
      assert.equal(Number(await session.db.scalar('SELECT count(*) FROM signins')), events, 'one row per event');
      assert.equal(imported, events);
      // Every copy is in the provenance: each event was read from every shape's files.
      const copies = await session.db.all<{ n: string; rows: string }>(`SELECT n, count(*) AS rows FROM (SELECT row_id, count(*) AS n FROM row_provenance GROUP BY row_id) GROUP BY n`);
      assert.deepEqual(copies, [{ n: String(shapes.length + 1), rows: String(events) }]);
      const conflicts = await session.db.all(`SELECT "column", kept, other FROM row_conflicts`);
      assert.deepEqual(conflicts, [{ column: 'browser', kept: (records[changed]!.deviceDetail as { browser: string }).browser, other: 'Other Browser 1.0' }]);
      assert.equal(await session.db.scalar(`SELECT count(*) FROM signins WHERE copy_conflict`), '1');
      assert.equal(await session.db.scalar(`SELECT request_id FROM signins WHERE copy_conflict`), records[changed]!.id);
      // The kept row takes what only another shape carried (the portal has no coordinates).
      assert.equal(await session.db.scalar(`SELECT count(*) FROM signins WHERE latitude IS NULL AND city IS NOT NULL AND log_type <> 'managedidentity'`), '0');
    } finally {
      session.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('non-interactive rows sharing a request id at other times are other events; # Sign-ins is kept', async () => {
  await withCase('grouped', async (dir, session) => {
    const header = [...HEADER_57, '# Sign-ins'];
    const a = signin(1);
    const rows = [
      { ...portalRow(a), '# Sign-ins': 3 },
      { ...portalRow({ ...a, time: '2026-10-02T05:00:00Z' }), '# Sign-ins': 1 },
      { ...portalRow({ ...a, ip: '198.51.100.9' }), '# Sign-ins': 2 },
    ];
    const file = writeEvidence(dir, 'NonInteractiveSignIns_2026-10-01_2026-10-02.csv', csvText(header, rows));
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.imported, s!.duplicates], [3, 0]);
    const got = await session.db.all(`SELECT sign_in_count, request_conflict FROM signins ORDER BY row_id`);
    assert.deepEqual(got, [
      { sign_in_count: 3, request_conflict: true },
      { sign_in_count: 1, request_conflict: true },
      { sign_in_count: 2, request_conflict: true },
    ]);
    // The same file again: every row is a copy.
    const [again] = await importInto(session, [file]);
    assert.deepEqual([again!.imported, again!.duplicates], [0, 3]);
  });
});

test('the same AuthDetails file imported twice keeps each step once', async () => {
  await withCase('auth-twice', async (dir, session) => {
    const rid = signin(1).id;
    const text = csvText(AUTH_DETAILS_HEADER, [
      { 'Request ID': rid, 'Authentication step date': '2026-10-02T01:11:21Z', 'Authentication method': 'Password', Succeeded: 'true', 'Result detail': 'Correct password', Requirement: 'Primary authentication' },
      { 'Request ID': rid, 'Authentication step date': '2026-10-02T01:11:30Z', 'Authentication method': 'Mobile app notification', Succeeded: 'false', 'Result detail': 'MFA denied', Requirement: 'MFA' },
    ]);
    const a = writeEvidence(dir, 'InteractiveSignIns_AuthDetails_a.csv', text);
    const b = writeEvidence(dir, 'InteractiveSignIns_AuthDetails_b.csv', text);
    const out = await importInto(session, [a, b]);
    assert.deepEqual(out.map((s) => [s.read, s.imported, s.duplicates]), [[2, 2, 0], [2, 0, 2]]);
    const steps = await session.db.all<{ step: number }>(`SELECT step FROM auth_details ORDER BY step`);
    assert.deepEqual(steps.map((s) => s.step), [1, 2]);
  });
});
