import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient, EngineStopped, type EngineChannel, type StartEngine } from '../../electron/engineProcess/client';
import { nodeEngine } from '../../electron/engineProcess/nodeChild';
import type { ToHost } from '../../electron/engineProcess/protocol';
import { LOCK_FILE } from '../../electron/engine/case/caseLock';
import { makeSqlFixture } from './sqlFixture';

/** Long enough that the engine is always still running it when it is killed. */
const SLOW_SQL = 'SELECT sum(hash(i)) FROM range(100000000000) t(i)';

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function closedFixture(rows: number) {
  const f = await makeSqlFixture(rows);
  f.session.close();
  await f.session.db.closed;
  return f;
}

/** Kill the engine process while `method` is running in it. */
async function killDuring(client: EngineClient, method: string): Promise<number> {
  await until(`${method} to reach the engine`, () => client.inFlight().includes(method));
  // Give the engine time to be inside DuckDB with it.
  await new Promise((r) => setTimeout(r, 500));
  const pid = client.pid!;
  process.kill(pid, 'SIGKILL');
  return pid;
}

test('a real engine process killed during a call: that call is rejected with EngineStopped naming it, the engine restarts, the case is reopened and the next call works', { timeout: 180_000 }, async () => {
  const f = await closedFixture(400);
  const client = new EngineClient(nodeEngine(), { dataDir: mkdtempSync(join(tmpdir(), 'signet-engine-client-')), appVersion: 'test', mode: 'browser' });
  try {
    const opened = await client.invoke('openCase', { dir: f.caseDir }, 'bridge');
    assert.ok(opened.ok, JSON.stringify(opened));
    assert.equal(client.caseDir, f.caseDir);
    assert.notEqual(client.pid, process.pid, 'the engine runs in a process of its own');
    const before = await client.invoke('countRows', { filter: {} }, 'bridge');
    assert.ok(before.ok);
    assert.equal((before.result as { total: number }).total, 400);
    assert.ok(existsSync(join(f.caseDir, LOCK_FILE)), 'the engine process holds the case lock');

    // invoke: the typed error.
    const slow = client.invoke('sqlRun', { sql: SLOW_SQL, timeoutMs: 600_000 }, 'bridge');
    const firstPid = await killDuring(client, 'sqlRun');
    const err = await slow.then(
      () => assert.fail('the call must not succeed'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof EngineStopped, String(err));
    assert.equal(err.method, 'sqlRun');
    assert.equal(err.code, 'engine_restarted');
    assert.match(err.message, /stopped \(killed by SIGKILL\) while running sqlRun/);
    assert.match(err.message, /case on disk is intact/);
    assert.ok(err.message.includes(f.caseDir), err.message);
    assert.equal(client.restarts, 1);
    assert.notEqual(client.pid, firstPid);
    assert.equal(client.caseDir, f.caseDir, 'the case is open again');

    const after = await client.invoke('countRows', { filter: {} }, 'bridge');
    assert.ok(after.ok, JSON.stringify(after));
    assert.equal((after.result as { total: number }).total, 400, 'the same rows after the restart');

    // The transports' call target answers with the envelope instead.
    const viaTarget = client.call('sqlRun', { sql: SLOW_SQL, timeoutMs: 600_000 }, 'ipc');
    await killDuring(client, 'sqlRun');
    const outcome = await viaTarget;
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.error.code, 'engine_restarted');
    assert.match(!outcome.ok ? outcome.error.message : '', /while running sqlRun.*case on disk is intact/s);
    assert.equal(client.restarts, 2);
    const again = await client.call('caseInfo', {}, 'ipc');
    assert.ok(again.ok && (again.result as { rows?: number } | null) !== null, JSON.stringify(again).slice(0, 300));
  } finally {
    await client.close();
  }
  // Closing ends the engine process, which releases the case.
  assert.equal(existsSync(join(f.caseDir, LOCK_FILE)), false, 'the case lock is released on close');
});

/** A stand-in engine process the test scripts: it records what it is sent and answers as told. */
function scriptedEngine(script: (message: ToHost, channel: { reply(m: unknown): void; exit(how: string): void }) => void) {
  const sent: ToHost[] = [];
  let starts = 0;
  const start: StartEngine = (): EngineChannel => {
    starts++;
    const listeners: ((m: unknown) => void)[] = [];
    const exits: ((how: string) => void)[] = [];
    let alive = true;
    const channel = {
      reply: (m: unknown) => setImmediate(() => alive && listeners.forEach((l) => l(m))),
      exit: (how: string) => {
        if (!alive) return;
        alive = false;
        setImmediate(() => exits.forEach((l) => l(how)));
      },
    };
    return {
      pid: 1000 + starts,
      send: (m) => {
        sent.push(m);
        if (alive) script(m, channel);
      },
      onMessage: (l) => listeners.push(l),
      onExit: (l) => exits.push(l),
      kill: () => channel.exit('killed'),
    };
  };
  return { start, sent, starts: () => starts };
}

const INIT = { dataDir: '/nowhere', appVersion: 'test', mode: 'desktop' as const };

test('an engine that dies on every start is tried a bounded number of times; then calls answer engine_unavailable', async () => {
  const engine = scriptedEngine((m, c) => {
    if (m.type === 'init') c.exit('exited with code 134');
  });
  const client = new EngineClient(engine.start, INIT);
  const first = await client.call('recentCases', {}, 'ipc');
  assert.equal(!first.ok && first.error.code, 'engine_unavailable');
  assert.match(!first.ok ? first.error.message : '', /could not be started again.*Restart Signet/);
  const starts = engine.starts();
  assert.equal(starts, 3);
  const second = await client.call('recentCases', {}, 'ipc');
  assert.equal(!second.ok && second.error.code, 'engine_unavailable');
  assert.equal(engine.starts(), starts, 'no start loop');
});

test('the parent checks calls against the contract before they cross, and host-only work is not a contract method', async () => {
  const engine = scriptedEngine((m, c) => {
    if (m.type === 'call') c.reply({ type: 'reply', id: m.id, outcome: { ok: true, result: [] } });
  });
  const client = new EngineClient(engine.start, INIT);
  const bad = await client.call('getRows', { start: -1 }, 'bridge');
  assert.equal(!bad.ok && bad.error.code, 'invalid_args');
  const unknown = await client.call('saveReportPdf', { html: '/x.html', reportSha256: '', pdf: new Uint8Array() }, 'bridge');
  assert.equal(!unknown.ok && unknown.error.code, 'unknown_method');
  assert.equal(engine.sent.length, 0, 'nothing reached the engine process');
  assert.deepEqual(await client.call('recentCases', {}, 'bridge'), { ok: true, result: [] });
  assert.deepEqual(
    engine.sent.map((m) => (m.type === 'call' ? m.method : m.type)),
    ['init', 'appInfo', 'recentCases'],
    'the engine is started with its options, checked with appInfo, then called',
  );
});

test('a malformed message from the engine process is ignored; a job the stopped engine was running reads as failed, naming the stop', async () => {
  let crash = (): void => assert.fail('the engine was not started');
  const engine = scriptedEngine((m, c) => {
    if (m.type !== 'call') return;
    if (m.method === 'openFiles') {
      c.reply({ type: 'reply', id: m.id, outcome: { ok: 'yes' } });
      c.reply({ type: 'jobs', jobs: [{ id: 'job-1', kind: 'import', state: 'running', message: 'Reading', rows: 10, rowsPerSecond: 5, fraction: 0.5, error: null }] });
      c.reply({ type: 'reply', id: m.id, outcome: { ok: true, result: { jobId: 'job-1' } } });
      crash = () => c.exit('killed by SIGKILL');
    } else c.reply({ type: 'reply', id: m.id, outcome: { ok: true, result: { version: 't', duckdb: 'x', mode: 'desktop', node: '20' } } });
  });
  const client = new EngineClient(engine.start, INIT);
  const started = await client.call('openFiles', { paths: ['/tmp/a.csv'] }, 'ipc');
  assert.deepEqual(started, { ok: true, result: { jobId: 'job-1' } });
  assert.equal(client.jobState('job-1')?.fraction, 0.5, 'pushed progress is known before the reply');
  crash();
  await until('the restart', () => client.restarts === 1 && engine.starts() === 2);
  const status = await client.call('jobStatus', { jobId: 'job-1' }, 'ipc');
  assert.ok(status.ok);
  const state = status.result as { state: string; error: string };
  assert.equal(state.state, 'failed');
  assert.match(state.error, /engine process stopped \(killed by SIGKILL\) during this import/);
  assert.equal(client.jobState('job-1')?.state, 'failed', 'the taskbar progress ends too');
});
