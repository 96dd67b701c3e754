import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseSession } from '../../electron/engine/case/caseSession';
import { recomputeFindings } from '../../electron/engine/findings/compute';
import { loadThresholds } from '../../electron/engine/findings/thresholdStore';
import { generatedCase } from '../support/findingsFixture';

// The detectors whose SQL was restructured for speed (grouping instead of window sorts,
// candidates found on hashed keys), checked against a plain Python reading of the same
// sign-ins: every finding's key and its exact rows must agree.

const PY = String.raw`
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
th = json.loads(sys.argv[2])
US_MIN, US_DAY = 60 * 10**6, 86400 * 10**6
def nz(v): return None if v is None or v == '' else v
def trim(v): return None if v is None else v.strip(' ')

# new_country: first successful row of a user from each country, once the user has a baseline.
u = [r for r in rows if r['log_type'] in ('interactive', 'noninteractive') and r['status'] == 'success'
     and (trim(r['country']) or '') != '' and (nz(r['user_principal_name']) or nz(r['user_id'])) is not None]
first, firsts = {}, {}
for r in u:
    who = (nz(r['user_principal_name']) or nz(r['user_id'])).lower()
    cc = trim(r['country']).upper()
    if r['t'] is None: continue
    firsts[who] = min(firsts.get(who, r['t']), r['t'])
    k = (who, cc)
    if k not in first or (r['t'], r['row_id']) < (first[k]['t'], first[k]['row_id']): first[k] = r
new_country = sorted([who, cc, [r['row_id']], r['city']] for (who, cc), r in first.items()
                     if r['t'] >= firsts[who] + th['new_country.learning_days'] * US_DAY)

# token_reuse, sessions: a switch of country within the window, and enough countries.
sessions = {}
for r in rows:
    if (r['session_id'] or '') in ('', '00000000-0000-0000-0000-000000000000') or (trim(r['country']) or '') == '': continue
    sessions.setdefault(r['session_id'], []).append(r)
found = []
for k, rs in sessions.items():
    rs.sort(key=lambda r: (r['t'] is None, r['t'] or 0, r['row_id']))
    ccs = [trim(r['country']).upper() for r in rs]
    switch = any(ccs[i - 1] != ccs[i] and rs[i]['t'] is not None and rs[i - 1]['t'] is not None
                 and rs[i]['t'] - rs[i - 1]['t'] <= th['token_reuse.window_minutes'] * US_MIN for i in range(1, len(rs)))
    if switch and len(set(ccs)) >= th['token_reuse.min_countries']:
        found.append(['session', k, sorted(r['row_id'] for r in rs)])
# token_reuse, token identifiers: one identifier from two or more addresses.
utis = {}
for r in rows:
    if (r['unique_token_identifier'] or '') != '': utis.setdefault(r['unique_token_identifier'], []).append(r)
for k, rs in utis.items():
    if len(rs) > 1 and len({r['ip_address'] for r in rs if r['ip_address'] is not None}) >= 2:
        found.append(['token', k, sorted(r['row_id'] for r in rs)])
print(json.dumps({'new_country': new_country, 'token_reuse': sorted(found)}))
`;

let dir: string;
let session: CaseSession;

before(async () => {
  ({ dir, session } = await generatedCase(16_000, ['mixed'], 'reading'));
  await recomputeFindings(session);
});

after(() => {
  session.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pythonReading(): Promise<{ new_country: [string, string, number[], string | null][]; token_reuse: [string, string, number[]][] }> {
  const file = join(dir, 'signins.ndjson');
  await session.db.run(
    `COPY (SELECT row_id, epoch_us(time_utc) AS t, user_principal_name, user_id, service_principal_name, log_type, status, country, city,
       session_id, unique_token_identifier, ip_address FROM signins) TO '${file.replace(/'/g, "''")}' (FORMAT json)`,
  );
  const r = spawnSync('python3', ['-c', PY, file, JSON.stringify(await loadThresholds(session))], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function detected(kind: string): Promise<{ metrics: Record<string, unknown>; rows: number[] }[]> {
  const found = await session.db.all<{ metrics: string; rows: number[] }>(
    `SELECT f.metrics::VARCHAR AS metrics, list(r.row_id::INTEGER ORDER BY r.row_id) AS rows
     FROM findings f JOIN finding_rows r ON r.finding_id = f.id WHERE f.kind = ? GROUP BY f.id, f.metrics::VARCHAR`,
    [kind],
  );
  return found.map((f) => ({ metrics: JSON.parse(f.metrics) as Record<string, unknown>, rows: f.rows.map(Number) }));
}

describe('restructured detectors against a Python reading of the sign-ins', () => {
  test('new_country: the same users, countries, first rows and cities', async () => {
    const expected = (await pythonReading()).new_country;
    const got = (await detected('new_country'))
      .map((f) => [String(f.metrics.who), String(f.metrics.cc), f.rows, (f.metrics.city as string | null) ?? null])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    assert.ok(expected.length > 0, 'the generated tenant has new countries');
    assert.deepEqual(got, [...expected].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });

  test('token_reuse: the same sessions and token identifiers, with exactly their rows', async () => {
    const expected = (await pythonReading()).token_reuse;
    const got = (await detected('token_reuse'))
      .map((f) => [String(f.metrics.what), String(f.metrics.token), f.rows])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    assert.ok(expected.some((e) => e[0] === 'session') && expected.some((e) => e[0] === 'token'), 'both reuse forms are planted');
    assert.deepEqual(got, [...expected].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });
});
