import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine';
import { JobRunner } from '../../electron/engine/jobs/jobRunner';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import type { LiveState } from '../../electron/api/methods/jobs';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { csvText } from '../support/fixtures/csvText';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { workDir, writeEvidence } from '../support/fixtures/importHarness';

async function live(engine: Engine, transport: 'ipc' | 'bridge'): Promise<LiveState> {
  const out = await dispatch(handlerTable, 'liveState', {}, { engine, transport });
  assert.ok(out.ok, JSON.stringify(out));
  return out.result as LiveState;
}

test('running jobs are listed with rows, bytes and a time left, and leave the list when they settle', async () => {
  const jobs = new JobRunner();
  let release!: () => void;
  const gate = new Promise<void>((ok) => (release = ok));
  const id = jobs.start('import', async (ctx) => {
    ctx.progress({ rows: 500, fraction: 0.5, bytes: { done: 1000, total: 2000 }, message: 'Reading x.csv' });
    await gate;
    return { files: [] };
  });
  const [running] = jobs.running();
  assert.equal(running?.id, id);
  assert.equal(running?.kind, 'import');
  assert.equal(running?.bytesDone, 1000);
  assert.equal(running?.bytesTotal, 2000);
  assert.equal(running?.message, 'Reading x.csv');
  assert.ok(running?.startedAt && !Number.isNaN(Date.parse(running.startedAt)));
  // Too soon after the start to tell a time left.
  assert.equal(running?.etaSeconds, null);
  assert.equal(jobs.settledOf(['import']), 0);
  release();
  await jobs.wait(id);
  assert.deepEqual(jobs.running(), []);
  assert.equal(jobs.settledOf(['import']), 1);
  assert.equal(jobs.settledOf(['verify']), 0);
  assert.deepEqual(jobs.status(id)?.result, { files: [] }, 'the final state keeps the result for whoever asks');
});

test('the time left follows the share done and the time taken', async () => {
  const jobs = new JobRunner();
  let release!: () => void;
  const gate = new Promise<void>((ok) => (release = ok));
  let report!: (f: number) => void;
  const id = jobs.start('demo', async (ctx) => {
    report = (f) => ctx.progress({ fraction: f });
    await gate;
  });
  await new Promise((ok) => setTimeout(ok, 1600));
  report(0.25);
  const eta = jobs.status(id)!.etaSeconds!;
  // 1.6 s for a quarter: about 4.8 s for the other three quarters.
  assert.ok(eta >= 4 && eta <= 8, `eta ${eta}`);
  release();
  await jobs.wait(id);
  assert.equal(jobs.status(id)!.etaSeconds, null);
});

test('liveState, over both transports: a command-line import shows as a running job and its end moves the revision', async () => {
  const dir = workDir('live');
  const engine = new Engine({ dataDir: join(dir, 'data'), appVersion: 'test', mode: 'browser' });
  try {
    const before = await live(engine, 'bridge');
    assert.deepEqual(before.jobs, []);
    assert.equal(before.caseDir, null);
    const file = writeEvidence(dir, 'InteractiveSignIns_1.csv', csvText(HEADER_57, [1, 2, 3].map((i) => portalRow(signin(i)))));
    const id = engine.startImport([file]);
    const during = await live(engine, 'ipc');
    assert.deepEqual(
      during.jobs.map((j) => [j.id, j.kind, j.state]),
      [[id, 'import', 'running']],
    );
    await engine.jobs.wait(id);
    // The findings of what was imported follow as a job of their own, started before the import settled.
    assert.deepEqual(
      (await live(engine, 'bridge')).jobs.map((j) => j.kind).filter((k) => k !== 'findings'),
      [],
    );
    await engine.jobs.idle();
    for (const transport of ['ipc', 'bridge'] as const) {
      const after = await live(engine, transport);
      assert.deepEqual(after.jobs, []);
      assert.ok(after.caseDir);
      assert.notEqual(after.revision, before.revision);
    }
    const settled = engine.jobs.status(id)!;
    assert.equal(settled.bytesDone, settled.bytesTotal, 'the last progress names every byte read');
    // Nothing changes the revision while nothing happens.
    const r = (await live(engine, 'bridge')).revision;
    assert.equal((await live(engine, 'ipc')).revision, r);
    engine.closeCase();
    assert.notEqual((await live(engine, 'bridge')).revision, r, 'closing the case moves it too');
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a window opened between two files of an import counts only what the case holds: the first file’s committed rows are not in it until the import ends', async () => {
  const dir = workDir('live-between');
  let reached!: () => void;
  const atSecond = new Promise<void>((ok) => (reached = ok));
  let release!: () => void;
  const held = new Promise<void>((ok) => (release = ok));
  const engine = new Engine({
    dataDir: join(dir, 'data'),
    appVersion: 'test',
    mode: 'browser',
    beforeSourceRead: async (_path, index) => {
      if (index === 0) return;
      reached();
      await held;
    },
  });
  try {
    const a = writeEvidence(dir, 'InteractiveSignIns_1.csv', csvText(HEADER_57, [1, 2, 3].map((i) => portalRow(signin(i)))));
    const b = writeEvidence(dir, 'InteractiveSignIns_2.csv', csvText(HEADER_57, [4, 5].map((i) => portalRow(signin(i)))));
    const id = engine.startImport([a, b]);
    await atSecond;
    for (const transport of ['ipc', 'bridge'] as const) {
      const out = await dispatch(handlerTable, 'caseInfo', {}, { engine, transport });
      assert.ok(out.ok, JSON.stringify(out));
      const info = out.result as { rowCount: number; sources: unknown[]; byStatus: Array<{ rows: number }>; firstUtc: string | null };
      assert.deepEqual([info.rowCount, info.sources.length, info.byStatus.length, info.firstUtc], [0, 0, 0, null], transport);
    }
    release();
    await engine.jobs.wait(id);
    const out = await dispatch(handlerTable, 'caseInfo', {}, { engine, transport: 'bridge' });
    assert.ok(out.ok);
    const info = out.result as { rowCount: number; sources: unknown[] };
    assert.deepEqual([info.rowCount, info.sources.length], [5, 2]);
  } finally {
    release();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
