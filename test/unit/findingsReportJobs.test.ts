import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseSession } from '../../electron/engine/case/caseSession';
import { Engine } from '../../electron/engine/engine';
import { ensureFindings, findingsStale, FindingsCancelledError, recomputeFindings } from '../../electron/engine/findings/compute';
import { DETECTORS } from '../../electron/engine/findings/detectors';
import { saveThresholds } from '../../electron/engine/findings/thresholdStore';
import { JobRunner } from '../../electron/engine/jobs/jobRunner';
import { startFindingsJob } from '../../electron/engine/jobs/findingsJob';
import { startReportJob } from '../../electron/engine/jobs/reportJob';
import { REPORT_ACTION } from '../../electron/engine/report/renderReport';
import { generatedCase } from '../support/findingsFixture';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { workDir, writeEvidence } from '../support/fixtures/importHarness';

// Findings and the report as jobs: progress step by step, Cancel that leaves what was
// stored before, and staleness (more rows, other thresholds) that makes them run again.

let dir: string;
let session: CaseSession;

before(async () => {
  ({ dir, session } = await generatedCase(3_000, ['mixed']));
});

after(() => {
  session.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Everything a findings run writes, in a stable order. */
async function storedFindings(s: CaseSession): Promise<unknown> {
  return {
    findings: await s.db.all(`SELECT id, kind, severity, title, row_count, score FROM findings ORDER BY id`),
    rows: await s.db.all(`SELECT finding_id, row_id FROM finding_rows ORDER BY finding_id, row_id`),
    runs: Number(await s.db.scalar(`SELECT count(*) FROM finding_runs`)),
  };
}

test('a findings job reports each detector as a step, in order, and leaves the findings current', async () => {
  const jobs = new JobRunner();
  const seen: { fraction: number | null; message: string }[] = [];
  const id = await startFindingsJob(jobs, session, { force: true });
  assert.ok(id);
  // Sample the job as a window would, until it settles.
  while (jobs.status(id)?.state === 'running') {
    const s = jobs.status(id)!;
    if (seen.at(-1)?.message !== s.message) seen.push({ fraction: s.fraction, message: s.message });
    await new Promise((r) => setTimeout(r, 2));
  }
  assert.equal(jobs.status(id)?.state, 'done', jobs.status(id)?.error ?? '');
  assert.equal(await findingsStale(session), false);
  // The steps as the engine reports them, without sampling: every detector prepared, then run, then scoring.
  const steps: { index: number; total: number; name: string }[] = [];
  await recomputeFindings(session, undefined, { progress: (s) => steps.push(s) });
  const total = DETECTORS.length * 2 + 1;
  assert.deepEqual(
    steps.map((s) => [s.index, s.total]),
    Array.from({ length: total }, (_, i) => [i, total]),
  );
  assert.deepEqual(
    steps.map((s) => s.name),
    [...DETECTORS.map((d) => `Preparing ${d.label}`), ...DETECTORS.map((d) => `Running ${d.label}`), 'Scoring and storing the findings'],
  );
  // What a window saw: fractions never go back, and messages name the step of the total.
  const fractions = seen.map((s) => s.fraction ?? 0);
  assert.deepEqual(fractions, [...fractions].sort((a, b) => a - b), `fractions in order: ${fractions.join(', ')}`);
  assert.ok(seen.some((s) => / \(step \d+ of \d+\)$/.test(s.message)), seen.map((s) => s.message).join(' | '));
  // Current findings: a second request starts nothing.
  assert.equal(await startFindingsJob(jobs, session), null);
});

test('a cancelled findings run leaves the stored findings exactly as they were, and they stay stale until a run completes', async () => {
  await ensureFindings(session);
  const before = await storedFindings(session);
  assert.ok((before as { findings: unknown[] }).findings.length > 0, 'the generated tenant has findings');
  // New thresholds make the stored findings stale.
  await saveThresholds(session, { 'password_spray.min_users': 40 });
  assert.equal(await findingsStale(session), true, 'other thresholds: stale');
  for (const stopAt of ['Preparing Brute force', 'Running Impossible travel', 'Scoring and storing the findings']) {
    const controller = new AbortController();
    await assert.rejects(
      recomputeFindings(session, undefined, {
        signal: controller.signal,
        progress: (s) => {
          if (s.name === stopAt) controller.abort();
        },
      }),
      FindingsCancelledError,
      stopAt,
    );
    assert.deepEqual(await storedFindings(session), before, `cancelled at ${stopAt}: findings unchanged`);
    assert.equal(await findingsStale(session), true, `cancelled at ${stopAt}: still stale`);
  }
  // Through the job runner: Cancel settles the job as cancelled, with the same guarantee.
  const jobs = new JobRunner();
  const id = (await startFindingsJob(jobs, session))!;
  assert.ok(id, 'stale findings start a job');
  jobs.cancel(id);
  assert.equal((await jobs.wait(id))?.state, 'cancelled');
  assert.deepEqual(await storedFindings(session), before);
  // A run to the end applies the new thresholds.
  await ensureFindings(session);
  assert.equal(await findingsStale(session), false);
  assert.notDeepEqual(await storedFindings(session), before);
  assert.equal(Number(await session.db.scalar(`SELECT count(*) FROM findings WHERE kind = 'password_spray'`)), 0, 'no spray reaches 40 accounts');
  await saveThresholds(session, { 'password_spray.min_users': null });
  assert.equal(await findingsStale(session), true, 'back to the default: stale again');
  await ensureFindings(session);
});

test('an import starts the findings as a job every window sees; importing more rows makes them run again', async () => {
  const work = workDir('findings-job');
  const engine = new Engine({ dataDir: join(work, 'data'), appVersion: 'test', mode: 'browser' });
  try {
    const first = writeEvidence(work, 'InteractiveSignIns_1.csv', csvText(HEADER_57, [1, 2, 3].map((i) => portalRow(signin(i)))));
    const kinds: string[] = [];
    const importId = engine.startImport([first]);
    // The findings job starts before the import settles: sample until both are gone.
    while (engine.jobs.running().length) {
      for (const j of engine.jobs.running()) if (!kinds.includes(j.kind)) kinds.push(j.kind);
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.equal(engine.jobs.status(importId)?.state, 'done');
    assert.deepEqual(kinds, ['import', 'findings']);
    assert.equal(engine.jobs.settledCounts().findings, 1);
    const s = engine.requireCase();
    assert.equal(await findingsStale(s), false, 'findings ready without anyone asking');
    const runs = Number(await s.db.scalar('SELECT count(*) FROM finding_runs'));
    const second = writeEvidence(work, 'InteractiveSignIns_2.csv', csvText(HEADER_57, [4, 5].map((i) => portalRow(signin(i)))));
    await engine.jobs.wait(engine.startImport([second], s.dir));
    await engine.jobs.idle();
    assert.equal(engine.jobs.settledCounts().findings, 2);
    assert.equal(Number(await s.db.scalar('SELECT count(*) FROM finding_runs')), runs + 1, 'more rows: computed again');
    const [run] = await s.db.all<{ signin_rows: string }>('SELECT signin_rows FROM finding_runs ORDER BY computed_at DESC LIMIT 1');
    assert.equal(Number(run!.signin_rows), 5);
    assert.equal(await findingsStale(s), false);
  } finally {
    engine.close();
    await engine.jobs.idle();
  }
});

test('a report job reports its sections in order; a cancelled one writes no file and no audit entry', async () => {
  await ensureFindings(session);
  const reports = join(session.dir, 'reports');
  const files = () => (existsSync(reports) ? readdirSync(reports) : []);
  const audited = async () => Number(await session.db.scalar(`SELECT count(*) FROM audit_log WHERE action = ?`, [REPORT_ACTION]));
  const filesBefore = files();
  const auditBefore = await audited();

  const jobs = new JobRunner();
  const cancelled = startReportJob(jobs, session, {});
  jobs.cancel(cancelled);
  assert.equal((await jobs.wait(cancelled))?.state, 'cancelled');
  assert.deepEqual(files(), filesBefore, 'no report file');
  assert.equal(await audited(), auditBefore, 'no audit entry');

  // Cancel once a late section has started: still nothing written.
  const late = startReportJob(jobs, session, {});
  while (jobs.status(late)?.state === 'running' && !/^Audit log/.test(jobs.status(late)!.message)) await new Promise((r) => setTimeout(r, 1));
  jobs.cancel(late);
  const lateState = (await jobs.wait(late))?.state;
  if (lateState === 'cancelled') {
    assert.deepEqual(files(), filesBefore);
    assert.equal(await audited(), auditBefore);
  }

  const messages: string[] = [];
  const done = startReportJob(jobs, session, {});
  while (jobs.status(done)?.state === 'running') {
    const m = jobs.status(done)!.message;
    if (messages.at(-1) !== m) messages.push(m);
    await new Promise((r) => setTimeout(r, 1));
  }
  assert.equal(jobs.status(done)?.state, 'done', jobs.status(done)?.error ?? '');
  const result = jobs.status(done)?.result as { path: string };
  assert.ok(existsSync(result.path));
  assert.equal(await audited(), auditBefore + 1 + (lateState === 'done' ? 1 : 0));
  // Sections as sampled: in the report's order, each "section i of n" with i rising.
  const numbers = messages.map((m) => /\(section (\d+) of (\d+)\)$/.exec(m)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));
  assert.ok(numbers.length >= 2, messages.join(' | '));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
});
