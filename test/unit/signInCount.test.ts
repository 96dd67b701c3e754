import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { csvText } from '../support/fixtures/csvText';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { importInto, withCase, writeEvidence } from '../support/fixtures/importHarness';
import { recomputeFindings } from '../../electron/engine/findings/compute';
import { renderReport } from '../../electron/engine/report/renderReport';

// A grouped portal row (non-interactive download, "# Sign-ins") stands for that many sign-ins:
// findings and the report count sign-ins, not rows. Expected numbers come from Python reading
// the fixture file, not from the importer.

const HEADER = [...HEADER_57, '# Sign-ins'];
const at = (minute: number): string => `2026-10-01T10:${String(minute).padStart(2, '0')}:00Z`;

function fixtureRows(): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = [];
  let i = 1;
  const row = (over: Parameters<typeof signin>[1], count: number, extra: Record<string, string> = {}) => rows.push({ ...portalRow(signin(i++, over)), '# Sign-ins': count, ...extra });
  // Brute force: 3 grouped rows of wrong passwords for one account, 5 + 4 + 3 = 12 sign-ins (threshold 10).
  for (const [k, n] of [5, 4, 3].entries()) row({ upn: 'victim@contoso.example', time: at(k), ip: '198.51.100.7', errorCode: 50126, failureReason: 'Invalid username or password' }, n);
  // MFA fatigue: 2 grouped rows of unanswered prompts, 5 + 3 = 8 prompts (threshold 7).
  for (const [k, n] of [5, 3].entries()) row({ upn: 'tired@contoso.example', time: at(10 + k), ip: '198.51.100.8', errorCode: 500121, failureReason: 'Authentication failed during strong authentication request' }, n);
  // Password spray: 5 accounts from one address, one grouped row each, 2 sign-ins per row.
  for (let u = 0; u < 5; u++) row({ upn: `sprayed${u}@contoso.example`, time: at(20 + u), ip: '198.51.100.9', errorCode: 50053, failureReason: 'Account is locked' }, 2);
  // Conditional Access burst: 2 grouped rows of blocks, 3 + 3 = 6 (threshold 5).
  for (const [k, n] of [3, 3].entries()) row({ upn: 'blocked@contoso.example', time: at(30 + k), ip: '198.51.100.10', errorCode: 53003, failureReason: 'Access has been blocked by Conditional Access policies' }, n);
  // Legacy authentication: one grouped IMAP row of 4 attempts.
  row({ upn: 'legacy@contoso.example', time: at(40), ip: '198.51.100.11', errorCode: 50126, failureReason: 'Invalid username or password' }, 4, { 'Client app': 'IMAP4' });
  return rows;
}

const PY = String.raw`
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
n = lambda r: int(r['# Sign-ins'] or 1)
code = lambda r: int(r['Sign-in error code'])
sel = lambda f: [r for r in rows if f(r)]
password = {50126, 50053, 50055, 50056, 50034}
out = {
  'brute_force': sum(n(r) for r in sel(lambda r: r['Username'] == 'victim@contoso.example' and code(r) in password)),
  'mfa_fatigue': sum(n(r) for r in sel(lambda r: r['Username'] == 'tired@contoso.example' and code(r) == 500121)),
  'password_spray': sum(n(r) for r in sel(lambda r: r['IP address'] == '198.51.100.9' and code(r) in password)),
  'ca_failure_burst': sum(n(r) for r in sel(lambda r: r['Username'] == 'blocked@contoso.example' and code(r) == 53003)),
  'legacy_auth': sum(n(r) for r in sel(lambda r: r['Client app'] == 'IMAP4')),
  'rows': len(rows),
  'sign_ins': sum(n(r) for r in rows),
}
print(json.dumps(out))
`;

test('findings and the report count the sign-ins a grouped row stands for (# Sign-ins), not rows', async () => {
  await withCase('signin-count', async (dir, session) => {
    const file = writeEvidence(dir, 'NonInteractiveSignIns_2026-10-01_2026-10-01.csv', csvText(HEADER, fixtureRows()));
    const py = spawnSync('python3', ['-c', PY, file], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const want = JSON.parse(py.stdout) as Record<string, number>;
    assert.deepEqual(want, { brute_force: 12, mfa_fatigue: 8, password_spray: 10, ca_failure_burst: 6, legacy_auth: 4, rows: 13, sign_ins: 40 });

    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.imported, s!.rejected], [want.rows, 0], s!.errors.join('\n'));
    // Rows stay rows in the grid: one row per grouped line.
    assert.equal(Number(await session.db.scalar('SELECT count(*) FROM signins')), want.rows);

    await recomputeFindings(session);
    const found = await session.db.all<{ kind: string; metrics: string; row_count: number }>(`SELECT kind, CAST(metrics AS VARCHAR) AS metrics, row_count::INT AS row_count FROM findings ORDER BY kind`);
    const metric = (kind: string, key: string): number | undefined => {
      const f = found.find((x) => x.kind === kind);
      return f ? Number((JSON.parse(f.metrics) as Record<string, unknown>)[key]) : undefined;
    };
    assert.equal(metric('brute_force', 'failures'), want.brute_force, 'brute force failures');
    assert.equal(metric('mfa_fatigue', 'denials'), want.mfa_fatigue, 'MFA fatigue prompts');
    assert.equal(metric('password_spray', 'failures'), want.password_spray, 'spray failures');
    assert.equal(metric('ca_failure_burst', 'blocks'), want.ca_failure_burst, 'CA blocks');
    assert.equal(metric('legacy_auth', 'attempts'), want.legacy_auth, 'legacy attempts');
    // A finding's rows are still rows.
    assert.equal(found.find((f) => f.kind === 'brute_force')?.row_count, 3);

    // The report counts sign-ins (and says how many rows hold them).
    const html = await renderReport(session, new Date('2026-10-02T00:00:00Z'));
    assert.ok(html.includes(`<dt>Sign-ins</dt><dd>${want.sign_ins} in ${want.rows} rows`), 'case summary counts sign-ins');
    assert.ok(html.includes(`<td>noninteractive</td><td class="num">${want.sign_ins}</td>`), 'counts by log type');
    assert.ok(html.includes(`<td>failure</td><td class="num">${want.sign_ins}</td>`), 'counts by status');
    // The report's timeline figure stacks sign-ins too (its SQL is printed under it).
    assert.match(html, /sum\(coalesce\(sign_in_count, 1\)\) FILTER \(WHERE status = (&#39;|&#x27;|')failure/);
  });
});
