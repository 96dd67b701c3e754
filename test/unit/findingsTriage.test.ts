import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CaseSession } from '../../electron/engine/case/caseSession';
import { recomputeFindings } from '../../electron/engine/findings/compute';
import { listFindings, reviewFindings } from '../../electron/engine/findings/store';
import { addSuppression, listSuppressions, removeSuppression } from '../../electron/engine/findings/suppressions';
import { scoreOf, severityOf } from '../../electron/engine/findings/score';
import { readAuditDb } from '../../electron/engine/custody/audit';
import { mapSummary } from '../../electron/engine/geo/mapAggregate';
import { generateReport } from '../../electron/engine/report/generateReport';
import { graphObject, signin } from '../support/fixtures/signinFixtures';
import { importInto, withCase, writeEvidence } from '../support/fixtures/importHarness';
import { generatedCase } from '../support/findingsFixture';

// Triage: the findings list puts incidents above routine observations, one incident is one
// finding, and suppressions and bulk reviews are reversible and audited.

const ROOT = resolve(__dirname, '../..');

describe('findings on the generated tenant, as a responder triages them', () => {
  let dir: string;
  let session: CaseSession;

  before(async () => {
    ({ dir, session } = await generatedCase(24_000, ['mixed']));
    await recomputeFindings(session);
  });

  after(() => {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the planted spray, brute force and MFA fatigue rank above every single-row observation', async () => {
    const list = await listFindings(session);
    const pos = (pred: (f: (typeof list)[number]) => boolean) => list.findIndex(pred);
    const spray = pos((f) => f.kind === 'password_spray');
    const fatigue = pos((f) => f.kind === 'mfa_fatigue' && f.successes > 0);
    const brute = pos((f) => f.kind === 'brute_force' && f.successes > 0);
    const singles = list.map((f, i) => [f, i] as const).filter(([f]) => f.rowCount === 1);
    assert.ok(spray >= 0 && fatigue >= 0 && brute >= 0, 'the planted incidents are found');
    assert.ok(singles.length > 0, 'the tenant has single-row observations');
    const firstSingle = Math.min(...singles.map(([, i]) => i));
    for (const [name, i] of [['spray', spray], ['fatigue', fatigue], ['brute force', brute]] as const) {
      assert.ok(i < firstSingle, `${name} at ${i} is below a single-row finding at ${firstSingle}`);
      assert.equal(list[i]!.severity, 'high', `${name} is high`);
    }
    // The list is in score order, and severity is the score's band.
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.score >= list[i]!.score, `order at ${i}`);
    for (const f of list) assert.equal(f.severity, severityOf(f.score), f.id);
  });

  test('one finding per entity: legacy auth per account and client, new country per account and country, device code per account, passthrough per tenant', async () => {
    const rows = await session.db.all<{ kind: string; key: string; n: string }>(
      `SELECT kind, CASE kind
           WHEN 'legacy_auth' THEN (metrics->>'who') || '|' || (metrics->>'how')
           WHEN 'new_country' THEN (metrics->>'who') || '|' || (metrics->>'cc')
           WHEN 'device_code' THEN metrics->>'who'
           WHEN 'passthrough' THEN (metrics->>'type') || '|' || (metrics->>'tenant') END AS key, count(*) AS n
       FROM findings WHERE kind IN ('legacy_auth', 'new_country', 'device_code', 'passthrough') GROUP BY ALL`,
    );
    assert.ok(rows.length > 0);
    for (const r of rows) {
      assert.ok(r.key !== null, `${r.kind} has its grouping entity in its metrics`);
      assert.equal(Number(r.n), 1, `${r.kind} ${r.key} is one finding`);
    }
  });

  test('suppressing a kind or an entity hides its findings until the suppression is removed; both are audited', async () => {
    const before = await listFindings(session);
    const travel = before.find((f) => f.kind === 'impossible_travel')!;
    const who = travel.users[0]!;
    const byKind = await addSuppression(session, 'new_country', null, 'expected travel season');
    const byEntity = await addSuppression(session, null, who.toUpperCase(), 'known traveller');
    const during = await listFindings(session);
    for (const f of during) {
      const expected = f.kind === 'new_country' ? byKind.id : f.users.some((u) => u.toLowerCase() === who.toLowerCase()) ? byEntity.id : null;
      if (f.kind === 'new_country') assert.equal(f.suppressedBy, byKind.id);
      else assert.equal(f.suppressedBy, expected, f.id);
    }
    const listed = await listSuppressions(session);
    assert.deepEqual(listed.map((s) => s.id).sort(), [byKind.id, byEntity.id].sort());
    assert.equal(listed.find((s) => s.id === byKind.id)!.findings, during.filter((f) => f.kind === 'new_country').length);
    await assert.rejects(addSuppression(session, null, '  ', 'all'), /needs a finding kind/);
    await removeSuppression(session, byKind.id);
    await removeSuppression(session, byEntity.id);
    const afterwards = await listFindings(session);
    assert.ok(afterwards.every((f) => f.suppressedBy === null));
    const audit = await readAuditDb(session);
    assert.equal(audit.filter((a) => a.action === 'finding.suppress').length, 2);
    assert.equal(audit.filter((a) => a.action === 'finding.unsuppress').length, 2);
    await assert.rejects(removeSuppression(session, byKind.id), /No suppression/);
  });

  test('bulk review confirms several findings with one note and one audit entry', async () => {
    const list = await listFindings(session);
    const ids = list.slice(0, 3).map((f) => f.id);
    assert.equal(await reviewFindings(session, ids, 'confirmed', 'incident 42'), 3);
    const now = await listFindings(session);
    for (const id of ids) assert.deepEqual([now.find((f) => f.id === id)!.review.state, now.find((f) => f.id === id)!.review.note], ['confirmed', 'incident 42']);
    const last = (await readAuditDb(session)).at(-1)!;
    assert.equal(last.action, 'finding.review');
    assert.deepEqual(JSON.parse(last.detail).findingIds, [...ids].sort());
    await assert.rejects(reviewFindings(session, [...ids, 'legacy_auth-0000000000000000'], 'dismissed', ''), /No finding legacy_auth-0000000000000000/);
    await reviewFindings(session, ids, 'open', '');
  });

  test("the report's map places exactly the rows the app's map places, and says how many it could not", async () => {
    const out = join(dir, 'report.html');
    await generateReport(session, out);
    const html = readFileSync(out, 'utf8');
    const app = await mapSummary(session.db, { maxClusters: 100_000 });
    const placed = app.clusters.reduce((n, c) => n + c.count, 0);
    const unplaced = app.byPrecision.filter((p) => p.precision === 'unknown').reduce((n, p) => n + p.count, 0);
    assert.ok(placed > 0);
    const m = /Figure 2\. ([\d,]+) sign-ins placed as on the app's map.*?; ([\d,]+) sign-ins could not be placed/.exec(html);
    assert.ok(m, 'the map caption states placed and unplaced counts');
    assert.equal(Number(m[1]!.replace(/,/g, '')), placed);
    assert.equal(Number(m[2]!.replace(/,/g, '')), unplaced);
    // The executive summary leads, and the findings table lists the spray before any single-row finding.
    assert.ok(html.indexOf('id="executive"') < html.indexOf('id="summary"'));
    assert.match(html, /No finding has been reviewed yet; the top 5 findings by score/);
  });
});

test('legacy-protocol attempts of a password spray are one spray finding, not one legacy-auth finding per account', async () => {
  await withCase('triage-legacy-spray', async (dir, session) => {
    const sprayed = Array.from({ length: 12 }, (_, i) =>
      graphObject(
        signin(100 + i, {
          upn: `victim${i}@contoso.example`,
          ip: '198.51.100.7',
          time: `2026-10-05T03:${String(10 + i).padStart(2, '0')}:00Z`,
          errorCode: 50126,
          failureReason: 'Invalid username or password.',
        }),
      ),
    ).map((o) => ({ ...o, clientAppUsed: 'IMAP4' }));
    const ownImap = [0, 1].map((i) => ({
      ...graphObject(signin(200 + i, { upn: 'printer@contoso.example', ip: '203.0.113.9', time: `2026-10-06T08:0${i}:00Z` })),
      clientAppUsed: 'IMAP4',
    }));
    const file = writeEvidence(dir, 'legacy.json', JSON.stringify({ value: [...sprayed, ...ownImap] }));
    const [s] = await importInto(session, [file]);
    assert.equal(s!.imported, 14);
    await recomputeFindings(session);
    const list = await listFindings(session);
    const sprays = list.filter((f) => f.kind === 'password_spray');
    const legacy = list.filter((f) => f.kind === 'legacy_auth');
    assert.equal(sprays.length, 1);
    assert.equal(sprays[0]!.rowCount, 12);
    assert.equal(sprays[0]!.accounts, 12);
    assert.deepEqual(legacy.map((f) => f.users), [['printer@contoso.example']], 'only the account that uses IMAP itself');
    assert.ok(list.indexOf(sprays[0]!) < list.indexOf(legacy[0]!));
  });
});

test('score: the parts add up, a landed attack outranks a failed one, breadth counts, severity is the band', () => {
  const base = { kind: 'password_spray' as const, accounts: 400, rows: 2000, successes: 3, successAfterFailure: true, privileged: false, bonus: 0 };
  const landed = scoreOf(base);
  const failed = scoreOf({ ...base, successes: 0, successAfterFailure: false });
  const narrow = scoreOf({ ...base, accounts: 2, rows: 2 });
  const legacy = scoreOf({ kind: 'legacy_auth', accounts: 1, rows: 1, successes: 1, successAfterFailure: false, privileged: false, bonus: 0 });
  assert.equal(landed.total, Math.min(100, landed.kind + landed.compromise + landed.breadth + landed.privileged + landed.bonus));
  assert.ok(landed.total > failed.total && failed.total > narrow.total - narrow.compromise);
  assert.ok(failed.total > legacy.total);
  assert.equal(severityOf(landed.total), 'high');
  assert.equal(severityOf(legacy.total), 'low');
  assert.equal(scoreOf({ ...base, privileged: true }).privileged, 10);
});

test('the scripted report of a freshly imported case holds its findings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-triage-cli-'));
  try {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/cli/signet.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    const gen = cli('generate', '--out', join(dir, 'evidence'), '--rows', '600', '--seed', 'triage');
    assert.equal(gen.status, 0, gen.stderr);
    const truth = JSON.parse(readFileSync(join(dir, 'evidence', 'ground-truth.json'), 'utf8')) as { files: { path: string }[] };
    const imp = cli('import', '--case', join(dir, 'case'), ...truth.files.map((f) => resolve(dir, 'evidence', f.path)));
    assert.equal(imp.status, 0, imp.stderr);
    const rep = cli('report', '--case', join(dir, 'case'), '--out', join(dir, 'report.html'));
    assert.equal(rep.status, 0, rep.stderr);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.ok(!html.includes('No findings computed'));
    assert.match(html, /Password spray from /);
    assert.match(html, /<th>Finding<\/th><th>Kind<\/th><th[^>]*>Severity<\/th><th class="num">Score<\/th>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
