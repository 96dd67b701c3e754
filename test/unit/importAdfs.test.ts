import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { csvText } from '../support/fixtures/csvText';
import { importInto, withCase, writeEvidence } from '../support/fixtures/importHarness';

// AD FS sign-ins routed through diagnostic settings (category ADFSSignInLogs) or exported
// from Log Analytics (table ADFSSignInLogs) are sign-ins of their own log type, `adfs`.

/** Python's reading: records per category/table name. */
const PY_CATEGORIES = String.raw`
import csv, json, sys
from collections import Counter
c = Counter()
for path in sys.argv[1:]:
    if path.endswith('.csv'):
        for r in csv.DictReader(open(path, newline='', encoding='utf-8')):
            c[r['Category'] or r['Type']] += 1
    else:
        for line in open(path, encoding='utf-8'):
            if line.strip():
                c[json.loads(line)['category']] += 1
print(json.dumps(c))
`;

const adfsProps = (i: number): Record<string, unknown> => ({
  id: `adfs-${i}`,
  createdDateTime: `2026-10-06T07:0${i}:00.000Z`,
  userPrincipalName: `user${i}@contoso.example`,
  userDisplayName: `User ${i}`,
  ipAddress: `203.0.113.${i}`,
  tokenIssuerType: 'ADFederationServices',
  tokenIssuerName: 'adfs.contoso.example',
  authenticationRequirement: 'singleFactorAuthentication',
  status: { errorCode: i === 2 ? 300030 : 0, failureReason: i === 2 ? 'Invalid username or password.' : null },
  uniqueTokenIdentifier: `uti-adfs-${i}`,
});

test('ADFSSignInLogs records from Event Hub and Log Analytics import as log type adfs, not as rejected rows', async () => {
  await withCase('adfs', async (dir, session) => {
    const eh = writeEvidence(
      dir,
      'adfs-records.ndjson',
      [1, 2, 3]
        .map((i) => JSON.stringify({ time: `2026-10-06T07:0${i}:05Z`, category: i === 3 ? 'SignInLogs' : 'ADFSSignInLogs', operationName: 'Sign-in activity', tenantId: 't', resultType: '0', properties: { ...adfsProps(i), id: `eh-${i}` } }))
        .join('\n') + '\n',
    );
    const header = ['TenantId', 'TimeGenerated [UTC]', 'Category', 'Type', 'ResultType', 'CreatedDateTime [UTC]', 'Id', 'UserPrincipalName', 'IPAddress', 'TokenIssuerType', 'Status'];
    const la = writeEvidence(
      dir,
      'query_data.csv',
      csvText(
        header,
        [4, 5].map((i) => ({
          TenantId: 'w', 'TimeGenerated [UTC]': '10/6/2026, 7:10:00.000 AM', Category: 'ADFSSignInLogs', Type: 'ADFSSignInLogs', ResultType: '0',
          'CreatedDateTime [UTC]': `10/6/2026, 7:0${i}:00.000 AM`, Id: `la-${i}`, UserPrincipalName: `u${i}@contoso.example`, IPAddress: '198.51.100.1',
          TokenIssuerType: 'ADFederationServices', Status: '{"errorCode":0}',
        })),
        '\n',
        false,
      ),
    );
    const py = spawnSync('python3', ['-c', PY_CATEGORIES, eh, la], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const expected = JSON.parse(py.stdout) as Record<string, number>;
    // 10/6/2026 could be either order: the file says which by its day-first or month-first reading.
    const out = await importInto(session, [eh, la], { dateOrder: 'mdy' });
    for (const s of out) assert.equal(s.rejected, 0, s.errors.join('; '));
    const got = await session.db.all<{ log_type: string; n: string }>(`SELECT log_type, count(*) AS n FROM signins GROUP BY 1 ORDER BY 1`);
    assert.deepEqual(got, [
      { log_type: 'adfs', n: String(expected.ADFSSignInLogs) },
      { log_type: 'interactive', n: String(expected.SignInLogs) },
    ]);
    const r = await session.db.all(`SELECT request_id, token_issuer_type, status FROM signins WHERE log_type = 'adfs' ORDER BY request_id`);
    assert.deepEqual(r.map((x) => x.request_id), ['eh-1', 'eh-2', 'la-4', 'la-5']);
    assert.equal(r[1]!.status, 'failure');
    assert.ok(out.every((s) => s.log_type !== null));
  });
});
