import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEADER_49, HEADER_54, HEADER_55, HEADER_57, SERVICE_PRINCIPAL_HEADER, MANAGED_IDENTITY_HEADER, AUTH_DETAILS_HEADER } from '../support/fixtures/portalHeaders';
import { csvLine, csvText } from '../support/fixtures/csvText';
import { portalRow, signin } from '../support/fixtures/signinFixtures';
import { importInto, rawOf, TIME_SQL, withCase, writeEvidence } from '../support/fixtures/importHarness';

test('header generations have the documented column counts', () => {
  assert.deepEqual([HEADER_49.length, HEADER_54.length, HEADER_55.length, HEADER_57.length], [49, 54, 55, 57]);
});

for (const [name, header] of [['49', HEADER_49], ['54', HEADER_54], ['55', HEADER_55], ['57', HEADER_57]] as const) {
  test(`portal interactive CSV, ${name}-column header, maps by name`, async () => {
    await withCase(`portal${name}`, async (dir, session) => {
      const rows = [1, 2, 3].map((i) => portalRow(signin(i, i === 2 ? { errorCode: 50126, failureReason: 'Invalid username or password.' } : {}), header));
      const file = writeEvidence(dir, `InteractiveSignIns_2026-10-01_2026-10-31.csv`, csvText(header, rows));
      const [s] = await importInto(session, [file]);
      assert.equal(s!.shape, 'portal-csv');
      assert.equal(s!.log_type, 'interactive');
      assert.deepEqual([s!.read, s!.imported, s!.rejected, s!.duplicates], [3, 3, 0, 0]);
      const got = await session.db.all(
        `SELECT ${TIME_SQL} AS t, request_id, app_id, resource_id, user_principal_name, city, state, country, status, error_code, failure_reason, autonomous_system_number, incoming_token_type, source_record, source_file
         FROM signins ORDER BY source_record`,
      );
      assert.equal(got[0]!.t, '2026-10-02T01:11:21.012345Z');
      assert.equal(got[0]!.app_id, '00000002-0000-0ff1-ce00-000000000000', 'Application ID with a trailing space');
      assert.equal(got[0]!.resource_id, '00000003-0000-0000-c000-000000000000', 'Resource ID with a trailing space');
      assert.equal(got[0]!.autonomous_system_number, '64500', 'Autonomous system  number with a double space');
      assert.equal(got[0]!.incoming_token_type, 'none');
      assert.deepEqual([got[0]!.city, got[0]!.state, got[0]!.country], ['Melbourne', 'Victoria', 'AU']);
      assert.deepEqual([got[1]!.status, got[1]!.error_code, got[1]!.failure_reason], ['failure', 50126, 'Invalid username or password.']);
      assert.deepEqual(got.map((r) => r.source_record), ['2', '3', '4']);
      assert.equal(Number(await session.db.scalar(`SELECT count(raw) FROM signins`)), 0, 'imported rows are read back from the evidence, not copied');
      const { raw: rawObj, origin } = await rawOf(session, 'source_record = 2');
      assert.match(origin, /line 2 \(read from the evidence file/);
      assert.equal(Object.keys(rawObj).length, header.length, 'raw keeps every column, repeated names made unique');
      assert.equal(rawObj['Application ID '], '00000002-0000-0ff1-ce00-000000000000');
    });
  });
}

test('service principal and managed identity downloads (no user columns)', async () => {
  await withCase('portal-sp', async (dir, session) => {
    const sp = writeEvidence(
      dir,
      'ApplicationSignIns_2026-10-01_2026-10-31.csv',
      csvText(SERVICE_PRINCIPAL_HEADER, [{ 'Date (UTC)': '2026-10-01T10:00:00Z', 'Request ID': 'sp-1', 'Service principal ID': 'spid', 'Service principal name': 'Backup job', Location: ', , NL', Status: 'Success', 'Sign-in error code': '0' }]),
    );
    const mi = writeEvidence(
      dir,
      'MSISignIns_2026-10-01_2026-10-31.csv',
      csvText(MANAGED_IDENTITY_HEADER, [{ 'Date (UTC)': '2026-10-01T11:00:00Z', 'Request ID': 'mi-1', 'Service principal ID': 'miid', 'Managed Identity type': 'systemAssigned', Status: 'Failure', 'Sign-in error code': '7000215' }]),
    );
    const out = await importInto(session, [sp, mi]);
    assert.deepEqual(out.map((s) => s.log_type), ['serviceprincipal', 'managedidentity']);
    const rows = await session.db.all(`SELECT request_id, log_type, service_principal_name, managed_identity_type, city, state, country, status FROM signins ORDER BY request_id`);
    assert.deepEqual(rows[0], { request_id: 'mi-1', log_type: 'managedidentity', service_principal_name: null, managed_identity_type: 'systemAssigned', city: null, state: null, country: null, status: 'failure' });
    assert.deepEqual(rows[1], { request_id: 'sp-1', log_type: 'serviceprincipal', service_principal_name: 'Backup job', managed_identity_type: null, city: null, state: null, country: 'NL', status: 'success' });
  });
});

test('padded, blank, empty and quoted-empty cells: text as the file holds it, spaces included; empty cells NULL, never an empty string', async () => {
  await withCase('portal-blank', async (dir, session) => {
    const text =
      `Date (UTC),Request ID,User,Username,Application,Client app,Status,Sign-in error code\r\n` +
      `2026-10-01T10:00:00Z,pad-1,  Padded Name  ,"   ",,"",Success,0\r\n`;
    const file = writeEvidence(dir, 'InteractiveSignIns_blank.csv', text);
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [1, 1, 0]);
    const row = await session.db.all(`SELECT user_display_name, user_principal_name, app_display_name, client_app FROM signins`);
    assert.deepEqual(row, [{ user_display_name: '  Padded Name  ', user_principal_name: '   ', app_display_name: null, client_app: null }]);
  });
});

test('non-interactive download is told apart by its file name', async () => {
  await withCase('portal-ni', async (dir, session) => {
    const file = writeEvidence(dir, 'NonInteractiveSignIns_2026-10-01_2026-10-31.csv', csvText(HEADER_57, [portalRow(signin(7))]));
    const [s] = await importInto(session, [file]);
    assert.equal(s!.log_type, 'noninteractive');
    // The download has no interactive flag of its own: none is invented from the log type.
    assert.equal(await session.db.scalar(`SELECT is_interactive FROM signins`), null);
  });
});

test('AuthDetails download goes to its own table joined by request id', async () => {
  await withCase('portal-auth', async (dir, session) => {
    const main = writeEvidence(dir, 'InteractiveSignIns_2026-10-01_2026-10-31.csv', csvText(HEADER_57, [portalRow(signin(1))]));
    const rid = signin(1).id;
    const auth = writeEvidence(
      dir,
      'InteractiveSignIns_AuthDetails_2026-10-01_2026-10-31.csv',
      csvText(AUTH_DETAILS_HEADER, [
        { 'Request ID': rid, 'Authentication step date': '2026-10-02T01:11:21Z', 'Authentication method': 'Password', Succeeded: 'true', 'Result detail': 'Correct password', Requirement: 'Primary authentication' },
        { 'Request ID': rid, 'Authentication step date': '2026-10-02T01:11:30Z', 'Authentication method': 'Mobile app notification', Succeeded: 'false', 'Result detail': 'MFA denied; user declined', Requirement: 'MFA' },
      ]),
    );
    const out = await importInto(session, [main, auth]);
    assert.equal(out[1]!.shape, 'portal-auth-details-csv');
    assert.deepEqual([out[1]!.read, out[1]!.imported], [2, 2]);
    assert.equal(await session.db.scalar(`SELECT count(*) FROM signins`), '1', 'auth steps are not sign-ins');
    const steps = await session.db.all(
      `SELECT a.step, a.method, a.succeeded, strftime(a.step_time_utc, '%H:%M:%S') AS t FROM auth_details a JOIN signins s USING (request_id) ORDER BY a.step`,
    );
    assert.deepEqual(steps, [
      { step: 1, method: 'Password', succeeded: true, t: '01:11:21' },
      { step: 2, method: 'Mobile app notification', succeeded: false, t: '01:11:30' },
    ]);
  });
});

test('embedded newlines, quotes, commas and non-ASCII names survive; lines are counted physically', async () => {
  await withCase('portal-quote', async (dir, session) => {
    const a = portalRow(signin(1, { user: 'Zoë Ångström-Łukasz 日本', errorCode: 50126 }));
    a['Failure reason'] = 'first line\nsecond, with "quotes"\r\nthird';
    const b = portalRow(signin(2, { city: 'Saint-Denis, Réunion' }));
    const file = writeEvidence(dir, 'InteractiveSignIns_x.csv', csvText(HEADER_57, [a, b]));
    await importInto(session, [file]);
    const rows = await session.db.all(`SELECT user_display_name, failure_reason, city, state, country, source_record FROM signins ORDER BY row_id`);
    assert.equal(rows[0]!.user_display_name, 'Zoë Ångström-Łukasz 日本');
    assert.equal(rows[0]!.failure_reason, 'first line\nsecond, with "quotes"\r\nthird');
    assert.equal(rows[0]!.source_record, '2');
    assert.equal(rows[1]!.source_record, '5', 'the second record starts after the three-line first one');
    assert.deepEqual([rows[1]!.city, rows[1]!.state, rows[1]!.country], ['Saint-Denis, Réunion', 'Victoria', 'AU'], 'Location is split from the right');
  });
});

test('ragged rows, broken quoting and an oversized time value are rejected with file and line', async () => {
  await withCase('portal-bad', async (dir, session) => {
    const good = (i: number): string => csvLine(HEADER_57.map((h) => portalRow(signin(i))[h]));
    const lines = [
      HEADER_57.map((h) => `"${h}"`).join(','),
      good(1),
      'only,three,cells',
      good(2),
      HEADER_57.map((h) => (h === 'Date (UTC)' ? 'yesterday' : portalRow(signin(3))[h] ?? '')).join(','),
      good(4),
      good(5).replace('User 5', '"broken quote'),
    ];
    const name = 'InteractiveSignIns_bad.csv';
    const file = writeEvidence(dir, name, lines.join('\n') + '\n');
    const [s] = await importInto(session, [file]);
    assert.equal(s!.read, 6);
    assert.equal(s!.imported, 3);
    assert.equal(s!.rejected, 3);
    const rej = await session.db.all<{ source_record: string; reason: string; raw: string }>(`SELECT source_record, reason, raw FROM rejected_rows ORDER BY source_record`);
    assert.deepEqual(rej.map((r) => r.source_record), ['3', '5', '7']);
    assert.match(rej[0]!.reason, /missing columns/i);
    assert.equal(rej[0]!.raw, 'only,three,cells');
    assert.match(rej[1]!.reason, /unparseable time in Date \(UTC\): "yesterday"/);
    assert.match(rej[2]!.reason, /quote/i);
    assert.ok(s!.errors.some((e) => e.startsWith(`${name} line 3:`)), s!.errors.join('\n'));
    assert.deepEqual((await session.db.all(`SELECT source_record FROM signins ORDER BY source_record`)).map((r) => r.source_record), ['2', '4', '6']);
  });
});

test('a field longer than the record limit is rejected, not truncated', async () => {
  const limit = 1 << 20;
  await withCase('portal-huge', async (dir, session) => {
    const big = portalRow(signin(2));
    big['User agent'] = 'x'.repeat(limit + 10);
    const file = writeEvidence(dir, 'InteractiveSignIns_huge.csv', csvText(HEADER_57, [portalRow(signin(1)), big, portalRow(signin(3))]));
    const [s] = await importInto(session, [file], { maxRecordBytes: limit });
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [3, 2, 1]);
    const rej = await session.db.one<{ source_record: string; reason: string }>(`SELECT source_record, reason FROM rejected_rows`);
    assert.equal(rej!.source_record, '3');
    assert.match(rej!.reason, /line size|maximum/i);
  });
});
