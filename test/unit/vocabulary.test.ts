import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { csvText } from '../support/fixtures/csvText';
import { HEADER_57 } from '../support/fixtures/portalHeaders';
import { graphObject, portalRow, signin } from '../support/fixtures/signinFixtures';
import { importInto, withCase, writeEvidence } from '../support/fixtures/importHarness';
import { recomputeFindings } from '../../electron/engine/findings/compute';
import { VOCABULARY } from '../../electron/engine/import/vocabulary';

// The same sign-ins as the portal writes them (display strings) and as Graph writes them
// (enum values) end as the same canonical values, and detectors see them the same way.

const N = 12;
/** Rows 0-5 used the device code flow; the transfer method column says nothing (None). */
const deviceCode = (i: number): boolean => i < 6;
const code = (i: number): number => (i === 7 ? 50168 : i === 8 ? 50126 : 0);

function portalCsv(): string {
  const rows = Array.from({ length: N }, (_, i) => {
    const s = signin(i, { errorCode: code(i) });
    return {
      ...portalRow(s),
      'Authentication Protocol': deviceCode(i) ? 'Device Code' : 'None',
      'Original transfer method': 'None',
      'Incoming token type': i % 2 ? 'Primary Refresh Token' : 'None',
      'Authentication requirement': i % 3 ? 'Single-factor authentication' : 'Multifactor authentication',
      'User type': 'Member',
      'Through Global Secure Access': 'No',
      'Conditional Access': 'Not Applied',
      'Cross tenant access type': i === 9 ? 'B2B collaboration' : 'None',
      // The portal leaves a success's code empty; its own status text for 50168 says Failure.
      'Sign-in error code': code(i) === 0 ? '' : code(i),
      Status: code(i) === 0 ? 'Success' : 'Failure',
      'Failure reason': code(i) === 0 ? '' : 'x',
    };
  });
  return csvText(HEADER_57, rows);
}

function graphJson(): string {
  const value = Array.from({ length: N }, (_, i) => ({
    ...graphObject(signin(i, { errorCode: code(i), failureReason: code(i) === 0 ? '' : 'x' })),
    authenticationProtocol: deviceCode(i) ? 'deviceCode' : 'none',
    originalTransferMethod: 'none',
    // Graph's own documentation example writes the display string here.
    incomingTokenType: i % 2 ? 'Primary Refresh Token' : 'none',
    authenticationRequirement: i % 3 ? 'singleFactorAuthentication' : 'multiFactorAuthentication',
    userType: 'member',
    isThroughGlobalSecureAccess: false,
    conditionalAccessStatus: 'notApplied',
    crossTenantAccessType: i === 9 ? 'b2bCollaboration' : 'none',
    signInEventTypes: ['interactiveUser'],
  }));
  return JSON.stringify({ value });
}

const COLUMNS = ['authentication_protocol', 'incoming_token_type', 'authentication_requirement', 'user_type', 'through_global_secure_access', 'conditional_access_status', 'cross_tenant_access_type', 'error_code', 'status', 'failure_reason'];

test('portal display strings and Graph enum values end as one canonical vocabulary; device code found in both', async () => {
  const results: Record<string, unknown[]> = {};
  for (const [name, text] of [['InteractiveSignIns_2026-10-01_2026-10-02.csv', portalCsv()], ['graph.json', graphJson()]] as const) {
    await withCase('vocab', async (dir, session) => {
      const file = writeEvidence(dir, name, text);
      const [s] = await importInto(session, [file]);
      assert.deepEqual([s!.imported, s!.rejected], [N, 0], s!.errors.join('\n'));
      results[name] = await session.db.all(`SELECT ${COLUMNS.join(', ')} FROM signins ORDER BY request_id`);
      const types = await session.db.all<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'signins' AND column_name = 'through_global_secure_access'`,
      );
      assert.equal(types[0]!.data_type, 'BOOLEAN');
      session.changed();
      await recomputeFindings(session);
      const found = await session.db.scalar(`SELECT count(DISTINCT r.row_id) FROM findings f JOIN finding_rows r ON r.finding_id = f.id WHERE f.kind = 'device_code'`);
      assert.equal(Number(found), 6, `${name}: device-code sign-ins found`);
    });
  }
  const [portal, graph] = Object.values(results) as Array<Array<Record<string, unknown>>>;
  assert.deepEqual(portal, graph);
  // Checked against the fixture's own intent, not the importer's output.
  for (let i = 0; i < N; i++) {
    const r = portal![i]!;
    assert.equal(r.authentication_protocol, deviceCode(i) ? 'deviceCode' : 'none');
    assert.equal(r.incoming_token_type, i % 2 ? 'primaryRefreshToken' : 'none');
    assert.equal(r.authentication_requirement, i % 3 ? 'singleFactorAuthentication' : 'multiFactorAuthentication');
    assert.equal(r.user_type, 'member');
    assert.equal(r.through_global_secure_access, false);
    assert.equal(r.conditional_access_status, 'notApplied');
    assert.equal(r.error_code, code(i));
    // 50168 is an interrupt whatever the portal's Status column says.
    assert.equal(r.status, code(i) === 0 ? 'success' : code(i) === 50168 ? 'interrupted' : 'failure');
    assert.equal(r.failure_reason, code(i) === 0 ? null : 'x');
  }
});

test('docs/schema.md has a vocabulary table for every enumerated column, listing every value and spelling', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'schema.md'), 'utf8');
  for (const [column, values] of Object.entries(VOCABULARY)) {
    const start = doc.indexOf(`#### \`${column}\``);
    assert.ok(start >= 0, `docs/schema.md: no vocabulary table for ${column}`);
    const section = doc.slice(start, doc.indexOf('\n####', start + 1) >>> 0 || undefined);
    for (const v of values) {
      assert.ok(section.includes(`\`${v.value}\``), `${column}: ${v.value} missing`);
      for (const s of v.portal ?? []) assert.ok(section.includes(`\`${s}\``), `${column}: portal spelling ${s} missing`);
    }
  }
});

test('a spelling never names two values, and each canonical value is its own spelling', () => {
  // Independent of the TypeScript key function: Python normalises the spellings itself.
  const r = spawnSync('python3', ['-c', `
import json, re, sys
vocab = json.loads(sys.stdin.read())
bad = []
for col, values in vocab.items():
    seen = {}
    for v in values:
        for s in [v['value']] + v.get('portal', []) + v.get('graph', []) + v.get('la', []):
            k = re.sub('[^a-z0-9]', '', s.lower())
            if seen.get(k, v['value']) != v['value']:
                bad.append((col, s))
            seen[k] = v['value']
print(json.dumps(bad))`], { input: JSON.stringify(VOCABULARY), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});
