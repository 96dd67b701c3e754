import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventHubRecord, graphObject, signin } from '../support/fixtures/signinFixtures';
import { importInto, TIME_SQL, withCase, writeEvidence } from '../support/fixtures/importHarness';
import { PathList } from '../../electron/engine/import/jsonPaths';

const objs = (ids: number[]): Array<Record<string, unknown>> => ids.map((i) => graphObject(signin(i)));

test('Graph page {"@odata.context","@odata.nextLink","value"} with exact UTC microseconds and coordinates', async () => {
  await withCase('graph-page', async (dir, session) => {
    const page = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns', '@odata.nextLink': 'https://graph.microsoft.com/next', value: objs([1, 2]) };
    const file = writeEvidence(dir, 'signins-page.json', JSON.stringify(page, null, 4));
    const [s] = await importInto(session, [file]);
    assert.equal(s!.shape, 'graph-json');
    assert.deepEqual([s!.read, s!.imported], [2, 2]);
    const r = await session.db.all(`SELECT ${TIME_SQL} AS t, latitude, longitude, country, city, status, error_code, source_record, json_array_length(applied_ca_policies) AS ca FROM signins ORDER BY source_record`);
    assert.deepEqual(r[0], { t: '2026-10-02T01:11:21.012345Z', latitude: -37.81, longitude: 144.96, country: 'AU', city: 'Melbourne', status: 'success', error_code: 0, source_record: '1', ca: '1' });
    assert.equal(r[1]!.source_record, '2');
  });
});

test('array, single object, NDJSON and PowerShell PascalCase objects', async () => {
  await withCase('graph-forms', async (dir, session) => {
    const arr = writeEvidence(dir, 'array.json', JSON.stringify(objs([1, 2, 3])));
    const one = writeEvidence(dir, 'one.json', JSON.stringify(graphObject(signin(4)), null, 2));
    const nd = writeEvidence(dir, 'lines.ndjson', objs([5, 6]).map((o) => JSON.stringify(o)).join('\n') + '\n');
    const pascal = writeEvidence(
      dir,
      'ps.json',
      JSON.stringify([{ Id: 'ps-1', CreatedDateTime: '2026-10-01T08:00:00.5Z', UserPrincipalName: 'ps@contoso.example', AppId: 'a', Status: { ErrorCode: 50126, FailureReason: 'bad password' }, Location: { City: 'Oslo', CountryOrRegion: 'NO', GeoCoordinates: { Latitude: 59.9, Longitude: 10.7 } } }]),
    );
    const out = await importInto(session, [arr, one, nd, pascal]);
    assert.deepEqual(out.map((s) => s.imported), [3, 1, 2, 1]);
    assert.equal(out[3]!.shape, 'graph-powershell-json');
    const ps = await session.db.one(`SELECT ${TIME_SQL} AS t, user_principal_name, status, error_code, city, country, latitude FROM signins WHERE request_id = 'ps-1'`);
    assert.deepEqual(ps, { t: '2026-10-01T08:00:00.500000Z', user_principal_name: 'ps@contoso.example', status: 'failure', error_code: 50126, city: 'Oslo', country: 'NO', latitude: 59.9 });
    const nds = await session.db.all(`SELECT source_record FROM signins WHERE source_file = 'lines.ndjson' ORDER BY 1`);
    assert.deepEqual(nds.map((r) => r.source_record), ['1', '2']);
  });
});

test('several pages and arrays concatenated in one file', async () => {
  await withCase('graph-concat', async (dir, session) => {
    const text =
      JSON.stringify({ value: objs([1, 2]) }, null, 2) + '\n' + JSON.stringify({ value: objs([3]) }, null, 2) + '\n' + JSON.stringify(objs([4, 5]), null, 2) + JSON.stringify(objs([6]));
    const file = writeEvidence(dir, 'concat.json', text);
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [6, 6, 0]);
    const ids = await session.db.all(`SELECT request_id, source_record FROM signins ORDER BY source_record`);
    assert.deepEqual(ids.map((r) => r.request_id), [1, 2, 3, 4, 5, 6].map((i) => signin(i).id));
  });
});

test('duplicate keys: the last value wins and the file says so', async () => {
  await withCase('graph-dupkeys', async (dir, session) => {
    const body = JSON.stringify(graphObject(signin(1))).replace('"userId":', '"homeTenantId":"first-tenant","userId":').replace(/}$/, ',"homeTenantId":"last-tenant"}');
    const file = writeEvidence(dir, 'dup.json', `{"value":[${body}]}`);
    const [s] = await importInto(session, [file]);
    assert.equal(s!.imported, 1);
    assert.equal(await session.db.scalar(`SELECT home_tenant_id FROM signins`), 'last-tenant');
    assert.ok(s!.errors.some((e) => /record 1: duplicate key homeTenantId; the last value is used/.test(e)), s!.errors.join('\n'));
    assert.match(String(await session.db.scalar(`SELECT CAST(raw AS VARCHAR) FROM signins`)), /first-tenant.*last-tenant/, 'raw keeps the original text');
  });
});

test('hand-saved page with trailing commas is read', async () => {
  await withCase('graph-trailing', async (dir, session) => {
    const pretty = JSON.stringify({ value: objs([1, 2]) }, null, 2).replace(/("result": "notApplied")\n/g, '$1,\n').replace(/}\n  \]/, '},\n  ]');
    assert.match(pretty, /,\n\s*[}\]]/);
    const file = writeEvidence(dir, 'trailing.json', pretty);
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [2, 2, 0]);
  });
});

test('truncated JSON: complete records are read, the cut one is reported with record and line', async () => {
  await withCase('graph-trunc', async (dir, session) => {
    const full = JSON.stringify({ value: objs([1, 2, 3]) }, null, 2);
    const cut = full.slice(0, full.indexOf(signin(3).id) + 10);
    const file = writeEvidence(dir, 'cut.json', cut);
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [3, 2, 1]);
    assert.ok(s!.errors.some((e) => /cut\.json record 3: the file ends inside this record \(truncated JSON\); the record starts on line \d+/.test(e)), s!.errors.join('\n'));
    const rej = await session.db.one<{ source_record: string; raw: string }>(`SELECT source_record, raw FROM rejected_rows`);
    assert.equal(rej!.source_record, '3');
    assert.ok(rej!.raw.includes(signin(3).id.slice(0, 8)));
  });
});

test('invalid NDJSON lines are rejected by line; blank lines are not records', async () => {
  await withCase('graph-ndbad', async (dir, session) => {
    const lines = [JSON.stringify(graphObject(signin(1))), '{"id": "broken", ', '', JSON.stringify(graphObject(signin(2))), '[1,2]', JSON.stringify({ ...graphObject(signin(3)), createdDateTime: 'not a time' })];
    const file = writeEvidence(dir, 'mixed.ndjson', lines.join('\n') + '\n');
    const [s] = await importInto(session, [file]);
    // Line 5 holds an array: each of its two elements is a record of line 5 (neither a sign-in object).
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [6, 2, 4]);
    const rej = await session.db.all<{ source_record: string; reason: string }>(`SELECT source_record, reason FROM rejected_rows ORDER BY source_record`);
    assert.deepEqual(rej.map((r) => r.source_record), ['2', '5', '5', '6']);
    assert.match(rej[0]!.reason, /not valid JSON/);
    assert.match(rej[1]!.reason, /not a JSON object/);
    assert.match(rej[3]!.reason, /unparseable createdDateTime: "not a time"/);
    assert.ok(s!.errors.some((e) => e.startsWith('mixed.ndjson line 2:')), s!.errors.join('\n'));
  });
});

test('Event Hub records: four sign-in categories, event time from properties, Graph activity to its own table', async () => {
  await withCase('eventhub', async (dir, session) => {
    const cats = ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs'];
    const recs = cats.map((c, i) => eventHubRecord(signin(i + 1, { time: `2026-10-01T10:00:0${i}.1234567Z` }), c, '2026-10-01T10:05:00.0000000Z'));
    recs[0]!.properties = { ...(recs[0]!.properties as object), createdDateTime: '2026-10-01T12:00:00.1234567+02:00' };
    const activity = {
      time: '2026-10-01T10:06:00Z',
      category: 'MicrosoftGraphActivityLogs',
      properties: { timeGenerated: '2026-10-01T10:06:00.5Z', requestId: 'req-1', signInActivityId: signin(1).uti, requestMethod: 'GET', requestUri: 'https://graph.microsoft.com/v1.0/users', responseStatusCode: 200, userId: signin(1).userId },
    };
    const audit = { time: '2026-10-01T10:07:00Z', category: 'AuditLogs', properties: { activityDateTime: '2026-10-01T10:07:00Z' } };
    const nd = writeEvidence(dir, 'eh.ndjson', [...recs, activity, audit].map((r) => JSON.stringify(r)).join('\n'));
    const blob = writeEvidence(dir, 'PT1H.json', JSON.stringify({ records: [eventHubRecord(signin(9), 'SignInLogs', '2026-10-02T00:00:00Z')] }));
    const out = await importInto(session, [nd, blob]);
    assert.equal(out[0]!.shape, 'eventhub-json');
    assert.deepEqual([out[0]!.read, out[0]!.imported, out[0]!.rejected], [6, 5, 1]);
    assert.deepEqual([out[1]!.read, out[1]!.imported], [1, 1]);
    const rows = await session.db.all(`SELECT log_type, ${TIME_SQL} AS t FROM signins WHERE source_file = 'eh.ndjson' ORDER BY source_record`);
    assert.deepEqual(rows, [
      { log_type: 'interactive', t: '2026-10-01T10:00:00.123456Z' },
      { log_type: 'noninteractive', t: '2026-10-01T10:00:01.123456Z' },
      { log_type: 'serviceprincipal', t: '2026-10-01T10:00:02.123456Z' },
      { log_type: 'managedidentity', t: '2026-10-01T10:00:03.123456Z' },
    ]);
    const joined = await session.db.all(
      `SELECT g.request_method, g.response_status_code, strftime(g.time_utc, '%H:%M:%S.%f') AS t, s.user_principal_name
       FROM graph_activity g JOIN signins s ON g.sign_in_activity_id = s.unique_token_identifier`,
    );
    assert.deepEqual(joined, [{ request_method: 'GET', response_status_code: 200, t: '10:06:00.500000', user_principal_name: signin(1).upn }]);
    assert.match(String(await session.db.scalar(`SELECT reason FROM rejected_rows`)), /not a sign-in record \(category AuditLogs\)/);
  });
});

test('coordinates out of range or swapped are not stored as valid', async () => {
  await withCase('coords', async (dir, session) => {
    const file = writeEvidence(
      dir,
      'coords.json',
      JSON.stringify([graphObject(signin(1, { lat: 144.96, lon: -37.81 })), graphObject(signin(2, { lat: 95, lon: 10 })), graphObject(signin(3, { lat: 0, lon: 0 })), graphObject(signin(4, { lat: 51.5, lon: -0.12 }))]),
    );
    await importInto(session, [file]);
    const r = await session.db.all(`SELECT latitude, longitude FROM signins ORDER BY source_record`);
    assert.deepEqual(r, [
      { latitude: null, longitude: null },
      { latitude: null, longitude: null },
      { latitude: null, longitude: null },
      { latitude: 51.5, longitude: -0.12 },
    ]);
  });
});

test('status: interrupts and failures from error codes', async () => {
  await withCase('status', async (dir, session) => {
    const codes = [0, 50074, 50140, 50158, 500121, 53003, 50126];
    const file = writeEvidence(dir, 'status.json', JSON.stringify(codes.map((c, i) => graphObject(signin(i + 1, { errorCode: c })))));
    await importInto(session, [file]);
    const r = await session.db.all(`SELECT error_code, status FROM signins ORDER BY source_record`);
    assert.deepEqual(
      r.map((x) => `${x.error_code}:${x.status}`),
      ['0:success', '50074:interrupted', '50140:interrupted', '50158:interrupted', '500121:failure', '53003:failure', '50126:failure'],
    );
  });
});

test('a page written one record per line streams by line (any size), envelope lines are not records', async () => {
  await withCase('graph-pagelines', async (dir, session) => {
    const recs = objs([1, 2, 3]).map((o) => JSON.stringify(o));
    const page = (rs: string[]): string => `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":[\n${rs.join(',\n')}\n]}\n`;
    const text = page(recs.slice(0, 2)) + page([recs[2]!, '{"id": "cut', JSON.stringify(graphObject(signin(4)))]);
    const file = writeEvidence(dir, 'SignInLogs_graph-beta.json', text);
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [5, 4, 1]);
    const r = await session.db.all(`SELECT request_id, source_record FROM signins ORDER BY source_record`);
    assert.deepEqual(r.map((x) => x.source_record), ['2', '3', '6', '8']);
    assert.equal(await session.db.scalar(`SELECT source_record FROM rejected_rows`), '7');
  });
});

test('an NDJSON line longer than the record limit is rejected with its line and size; the other lines import', async () => {
  const limit = 1 << 20;
  await withCase('ndjson-huge', async (dir, session) => {
    const [a, b, c] = objs([1, 2, 3]) as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    b.userAgent = 'x'.repeat(limit + 10);
    const lines = [a, b, c].map((o) => JSON.stringify(o));
    const file = writeEvidence(dir, 'SignIns_huge.ndjson', lines.join('\n') + '\n');
    const [s] = await importInto(session, [file], { maxRecordBytes: limit });
    assert.deepEqual([s!.read, s!.imported, s!.duplicates, s!.rejected], [3, 2, 0, 1]);
    assert.deepEqual(s!.errors, [`SignIns_huge.ndjson line 2: the record is ${Buffer.byteLength(lines[1]!)} bytes, longer than the record limit (${limit} bytes)`]);
    const rej = await session.db.one<{ source_record: string; len: string }>(`SELECT source_record, strlen(raw) AS len FROM rejected_rows`);
    assert.deepEqual(rej, { source_record: '2', len: String(Buffer.byteLength(lines[1]!)) }, 'the whole record is kept with the reject');
    const kept = await session.db.all(`SELECT source_record FROM signins ORDER BY 1`);
    assert.deepEqual(kept.map((r) => r.source_record), ['1', '3']);
  });
});

test('duplicate keys in a file only the forgiving reader can read are reported too', async () => {
  await withCase('graph-dupkeys-tolerant', async (dir, session) => {
    const body = JSON.stringify(graphObject(signin(2))).replace('"userId":', '"homeTenantId":"first-tenant","userId":').replace(/}$/, ',"homeTenantId":"last-tenant"}');
    // Two arrays one after the other (pretty-printed, as appended exports are): DuckDB refuses
    // the file, the forgiving reader takes it.
    const file = writeEvidence(dir, 'appended.json', `${JSON.stringify([graphObject(signin(1))], null, 2)}\n[\n  ${body}\n]\n`);
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [2, 2, 0]);
    assert.equal(await session.db.scalar(`SELECT home_tenant_id FROM signins WHERE source_record = 2`), 'last-tenant');
    assert.ok(s!.errors.some((e) => /refused the file .*read record by record/.test(e)), 'the forgiving reader was used');
    assert.ok(s!.errors.some((e) => /appended\.json record 2 \(line \d+\): duplicate key homeTenantId; the last value is used/.test(e)), s!.errors.join('\n'));
  });
});

test('JSON columns: arrays kept as written, JSON text inside a string read as JSON, null, empty and plain text give NULL', async () => {
  await withCase('graph-json-columns', async (dir, session) => {
    const policies = [{ id: 'p1', displayName: 'Require MFA "admins"', result: 'success', enforcedGrantControls: ['Mfa'] }];
    const forms: Array<[number, unknown, unknown]> = [
      [1, policies, []],
      [2, JSON.stringify(policies), null],
      [3, '', 'not json'],
      [4, null, { step: 1 }],
    ];
    const records = forms.map(([i, ca, auth]) => ({ ...graphObject(signin(i)), appliedConditionalAccessPolicies: ca, authenticationDetails: auth }));
    const file = writeEvidence(dir, 'json-columns.json', JSON.stringify({ value: records }));
    const [s] = await importInto(session, [file]);
    assert.deepEqual([s!.read, s!.imported, s!.rejected], [4, 4, 0]);
    const r = await session.db.all(`SELECT CAST(applied_ca_policies AS VARCHAR) AS ca, CAST(authentication_details AS VARCHAR) AS auth FROM signins ORDER BY source_record`);
    assert.deepEqual(r, [
      { ca: JSON.stringify(policies), auth: '[]' },
      { ca: JSON.stringify(policies), auth: null },
      { ca: null, auth: null },
      { ca: null, auth: '{"step":1}' },
    ]);
  });
});

test('JSON paths: one struct for every field, each path read one way, no path through another', () => {
  const p = new PathList('v');
  assert.equal(p.get('status', 'errorCode'), "struct_extract(struct_extract(v, 'status'), 'errorCode')");
  p.get('status', 'failureReason');
  p.json('authenticationDetails');
  p.get('status', 'errorCode');
  assert.equal(p.extractSql('j'), `json_transform(j, '{"status":{"errorCode":"VARCHAR","failureReason":"VARCHAR"},"authenticationDetails":"JSON"}')`);
  assert.throws(() => p.get('status'), /JSON paths status.errorCode and status overlap/);
  assert.throws(() => p.get('authenticationDetails', 'x'), /overlap/);
  assert.throws(() => p.get('authenticationDetails'), /read both as JSON and as VARCHAR/);
});
