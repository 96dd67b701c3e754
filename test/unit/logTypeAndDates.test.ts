import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvText } from '../support/fixtures/csvText';
import { HEADER_57, MANAGED_IDENTITY_HEADER } from '../support/fixtures/portalHeaders';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { importInto, withCase, workDir, writeEvidence } from '../support/fixtures/importHarness';
import { importJobResult } from '../../electron/api/methods/case';

// The log type comes from the content first, the file name only as a tie-breaker, and the
// user's choice where neither tells; slash dates are read in the order the file's own
// values show, or refused.

const LA_HEADER = ['CreatedDateTime [UTC]', 'Id', 'UserPrincipalName', 'UserId', 'AppId', 'ResultType', 'IPAddress', 'SignInEventTypes', 'IsInteractive'];

function laRow(i: number, time: string, over: Record<string, string> = {}): Record<string, string> {
  return { 'CreatedDateTime [UTC]': time, Id: `la-${i}`, UserPrincipalName: `u${i}@contoso.example`, UserId: `uid-${i}`, AppId: 'app', ResultType: '0', IPAddress: '192.0.2.1', SignInEventTypes: '["nonInteractiveUser"]', IsInteractive: 'false', ...over };
}

test('renamed non-interactive portal downloads are non-interactive, with no invented is_interactive', async () => {
  for (const name of ['non-interactive-signins.csv', 'Non interactive sign-ins.csv', 'NonInteractiveSignIns_2026-10-01_2026-10-02.csv']) {
    await withCase('lt-ni', async (dir, session) => {
      const [s] = await importInto(session, [writeEvidence(dir, name, csvText(HEADER_57, [portalRow(signin(1))]))]);
      assert.equal(s!.log_type, 'noninteractive', name);
      assert.match(s!.log_type_reason!, /file name/);
      assert.deepEqual(await session.db.all(`SELECT log_type, is_interactive FROM signins`), [{ log_type: 'noninteractive', is_interactive: null }]);
      assert.equal(session.manifest.sources[0]!.logTypeReason, s!.log_type_reason);
    });
  }
});

test('a portal user download whose name says nothing is refused until the log type is chosen', async () => {
  await withCase('lt-ask', async (dir, session) => {
    const file = writeEvidence(dir, 'export.csv', csvText(HEADER_57, [portalRow(signin(1))]));
    const [s] = await importInto(session, [file]);
    assert.equal(s!.read, 0);
    assert.match(s!.errors[0]!, /export\.csv: the portal's interactive and non-interactive downloads share one header.*--log-type interactive\|noninteractive/);
    // The refusal is machine-readable too: what to ask, and which file to import again.
    assert.deepEqual(s!.choice, { kind: 'logType', options: ['interactive', 'noninteractive'], path: file });
    // What the UI reads: the contract's schema keeps the choice as the engine wrote it.
    assert.deepEqual(importJobResult.parse({ case: dir, files: [s] }).files[0]!.choice, s!.choice);
    const [t] = await importInto(session, [file], { logType: 'noninteractive' });
    assert.deepEqual([t!.imported, t!.log_type], [1, 'noninteractive']);
    assert.match(t!.log_type_reason!, /chosen at import \(--log-type noninteractive/);
  });
});

test('a renamed managed-identity download is told by its content', async () => {
  await withCase('lt-mi', async (dir, session) => {
    const row = { 'Date (UTC)': '2026-10-01T00:00:01Z', 'Request ID': 'mi-1', 'Service principal ID': 'sp', 'Service principal name': 'vm-identity', Application: 'vm', 'Application ID ': 'app', Status: 'Success', 'Managed Identity type': 'systemAssigned', 'Associated Resource Id': '/subscriptions/x/vm' };
    const [s] = await importInto(session, [writeEvidence(dir, 'workload-export.csv', csvText(MANAGED_IDENTITY_HEADER, [row]))]);
    assert.equal(s!.log_type, 'managedidentity');
    assert.match(s!.log_type_reason!, /content/);
  });
});

test('a Log Analytics KQL project without Category/Type takes each row\'s SignInEventTypes; with nothing to tell, it is refused', async () => {
  await withCase('lt-la', async (dir, session) => {
    const rows = [laRow(1, '2026-10-01T10:00:00Z'), laRow(2, '2026-10-01T11:00:00Z', { SignInEventTypes: '["interactiveUser"]', IsInteractive: 'true' })];
    const [s] = await importInto(session, [writeEvidence(dir, 'query_data.csv', csvText(LA_HEADER, rows))]);
    assert.equal(s!.rejected, 0, s!.errors.join('\n'));
    assert.deepEqual(await session.db.all(`SELECT request_id, log_type, is_interactive FROM signins ORDER BY 1`), [
      { request_id: 'la-1', log_type: 'noninteractive', is_interactive: false },
      { request_id: 'la-2', log_type: 'interactive', is_interactive: true },
    ]);
    // SignInEventTypes decided the log type and its own value stays queryable in extra.
    assert.deepEqual(await session.db.all(`SELECT request_id, extra->>'SignInEventTypes' AS t FROM signins ORDER BY 1`), [
      { request_id: 'la-1', t: '["nonInteractiveUser"]' },
      { request_id: 'la-2', t: '["interactiveUser"]' },
    ]);
    assert.ok(s!.unmapped_fields.includes('SignInEventTypes'), s!.unmapped_fields.join(', '));
    const bare = LA_HEADER.filter((h) => h !== 'SignInEventTypes' && h !== 'IsInteractive');
    const [b] = await importInto(session, [writeEvidence(dir, 'query_data (1).csv', csvText(bare, [laRow(3, '2026-10-01T12:00:00Z')]))]);
    assert.equal(b!.read, 0);
    assert.match(b!.errors[0]!, /no Category, Type, SignInEventTypes or IsInteractive column.*--log-type/);
    assert.deepEqual(b!.choice, { kind: 'logType', options: ['interactive', 'noninteractive', 'serviceprincipal', 'managedidentity'], path: join(dir, 'query_data (1).csv') });
  });
});

test('Log Analytics day-first times are read day first; a month-long file loses and swaps nothing', async () => {
  await withCase('dates-dmy', async (dir, session) => {
    // 31 days of October written day first with a 24-hour clock, as an en-GB export does.
    const rows = Array.from({ length: 31 }, (_, d) => laRow(d, `${d + 1}/10/2026, 23:25:30.000`));
    const [s] = await importInto(session, [writeEvidence(dir, 'gb.csv', csvText(LA_HEADER, rows))]);
    assert.deepEqual([s!.imported, s!.rejected], [31, 0], s!.errors.join('\n'));
    const got = await session.db.all<{ t: string }>(`SELECT strftime(time_utc, '%Y-%m-%d %H:%M:%S') AS t FROM signins ORDER BY time_utc`);
    assert.deepEqual(got.map((r) => r.t), Array.from({ length: 31 }, (_, d) => `2026-10-${String(d + 1).padStart(2, '0')} 23:25:30`));
    // US order is still read as US order when a value says so.
    const us = [laRow(40, '10/23/2026, 11:25:30.000 PM'), laRow(41, '10/12/2026, 1:00:00.000 AM')];
    const [u] = await importInto(session, [writeEvidence(dir, 'us.csv', csvText(LA_HEADER, us))]);
    assert.equal(u!.imported, 2);
    assert.equal(await session.db.scalar(`SELECT strftime(time_utc, '%Y-%m-%d %H:%M') FROM signins WHERE request_id = 'la-41'`), '2026-10-12 01:00');
  });
});

test('a file whose dates cannot tell day from month is refused until the order is chosen', async () => {
  await withCase('dates-ambiguous', async (dir, session) => {
    const file = writeEvidence(dir, 'short.csv', csvText(LA_HEADER, [laRow(1, '12/10/2026, 23:25:30.000'), laRow(2, '11/10/2026, 08:00:00.000')]));
    const [s] = await importInto(session, [file]);
    assert.equal(s!.read, 0);
    assert.match(s!.errors[0]!, /short\.csv: its dates could be month\/day or day\/month.*24-hour clock.*--date-order mdy .* --date-order dmy/);
    assert.deepEqual(s!.choice, {
      kind: 'dateOrder',
      path: file,
      examples: [
        { text: '11/10/2026, 08:00:00.000', dayFirst: '2026-10-11', monthFirst: '2026-11-10' },
        { text: '12/10/2026, 23:25:30.000', dayFirst: '2026-10-12', monthFirst: '2026-12-10' },
      ],
    });
    const [t] = await importInto(session, [file], { dateOrder: 'dmy' });
    assert.equal(t!.imported, 2);
    assert.equal(await session.db.scalar(`SELECT strftime(time_utc, '%Y-%m-%d') FROM signins WHERE request_id = 'la-1'`), '2026-10-12');
  });
});

test('date-only values are midnight UTC whatever the machine\'s zone (TZ=Pacific/Auckland)', () => {
  const dir = workDir('dates-tz');
  const csv = join(dir, 'dates.csv');
  writeFileSync(csv, csvText(LA_HEADER, [laRow(1, '10/23/2026'), laRow(2, '2026-10-24')]));
  const script = join(dir, 'run.ts');
  writeFileSync(
    script,
    `import { CaseSession } from ${JSON.stringify(join(process.cwd(), 'electron/engine/case/caseSession'))};
import { importFiles } from ${JSON.stringify(join(process.cwd(), 'electron/engine/import/importFiles'))};
(async () => {
  const s = await CaseSession.create(${JSON.stringify(join(dir, 'case'))}, 'test');
  await importFiles(s, [${JSON.stringify(csv)}], { signal: new AbortController().signal, progress: () => undefined });
  const rows = await s.db.all("SELECT request_id, strftime(time_utc, '%Y-%m-%d %H:%M:%S') AS t FROM signins ORDER BY 1");
  process.stderr.write(JSON.stringify({ zone: Intl.DateTimeFormat().resolvedOptions().timeZone, rows }));
  s.close();
})();`,
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, TZ: 'Pacific/Auckland' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stderr.slice(r.stderr.indexOf('{"zone"'))) as { zone: string; rows: unknown[] };
  assert.equal(out.zone, 'Pacific/Auckland');
  assert.deepEqual(out.rows, [{ request_id: 'la-1', t: '2026-10-23 00:00:00' }, { request_id: 'la-2', t: '2026-10-24 00:00:00' }]);
});
