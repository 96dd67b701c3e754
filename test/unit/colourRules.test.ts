import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { addColourRule, colourRuleCounts, colourRuleIndexSql, deleteColourRule, DEFAULT_COLOUR_RULES, listColourRules, moveColourRule, ruleIndexForRows, updateColourRule } from '../../electron/engine/colourRules/colourRules';
import { createTag, tagRows } from '../../electron/engine/annotations/tags';
import { ensureFindings } from '../../electron/engine/findings/compute';
import { readAuditDb } from '../../electron/engine/custody/audit';
import { timelineHandlers } from '../../electron/api/handlers/timeline';
import type { Engine } from '../../electron/engine/engine';
import { graphObject, signin } from '../support/fixtures/signinFixtures';
import { importInto, withCase, writeEvidence } from '../support/fixtures/importHarness';

// The first-matching-rule index computed by a short Python reading of the evidence file,
// never by Signet's filter compiler.
const PY = `
import json, sys, ipaddress
inp = json.load(sys.stdin)
recs = json.load(open(inp['file'], encoding='utf-8'))['value']
net = ipaddress.ip_network('185.220.101.0/24')
tagged, finding = set(inp['tagged']), set(inp['finding'])
def tests(r):
    return [
        ipaddress.ip_address(r['ipAddress']) in net,
        r['id'] in tagged,
        r['status']['errorCode'] != 0,
        'admin' in r['userPrincipalName'].lower(),
        r['id'] in finding,
    ]
enabled = inp['enabled']
out = {}
for r in recs:
    hit = None
    for i, ok in enumerate(tests(r)):
        if enabled[i] and ok:
            hit = i
            break
    out[r['id']] = hit
print(json.dumps(out))
`;

function python(input: unknown): Record<string, number | null> {
  const r = spawnSync('python3', ['-c', PY], { input: JSON.stringify(input), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, number | null>;
}

test('colour rules: the SQL rule index agrees with an independent reading, first match wins, disabled rules never match; values stay parameters', async () => {
  await withCase('colour-rules', async (dir, session) => {
    const records = Array.from({ length: 90 }, (_, i) =>
      graphObject(
        signin(i + 1, {
          ip: i % 3 === 0 ? `185.220.101.${i}` : i % 3 === 1 ? `185.220.102.${i}` : `10.0.0.${i}`,
          errorCode: i % 4 === 0 ? 50126 : 0,
          failureReason: i % 4 === 0 ? 'Invalid username or password.' : '',
          upn: i % 7 === 0 ? `Admin${i}@contoso.example` : `user${i}@contoso.example`,
        }),
      ),
    );
    const file = writeEvidence(dir, 'signins.json', JSON.stringify({ value: records }));
    await importInto(session, [file]);
    await ensureFindings(session);
    const ids = (await session.db.all<{ row_id: string; request_id: string }>(`SELECT row_id, request_id FROM signins`)).map((r) => ({ rowId: Number(r.row_id), request: r.request_id }));
    const byRequest = new Map(ids.map((r) => [r.request, r.rowId]));
    const taggedReq = records.filter((_, i) => i % 5 === 0).map((r) => String(r.id));
    const tag = await createTag(session, 'suspicious', '#aa3300');
    await tagRows(session, tag.tagId, { rowIds: taggedReq.map((r) => byRequest.get(r)!) });
    // Stand-in rows for a finding (finding_rows is the findings cache the filter reads).
    const findingReq = records.filter((_, i) => i % 6 === 1).map((r) => String(r.id));
    await session.db.run(`DELETE FROM finding_rows`);
    for (const r of findingReq) await session.db.run(`INSERT INTO finding_rows VALUES ('password_spray-0000000000000001', ?)`, [byRequest.get(r)!]);

    const rules = [
      { name: 'Tor exit', condition: { conditions: [], search: 'ip:185.220.101.0/24' }, colour: 'red' as const },
      { name: 'Suspicious tag', condition: { conditions: [{ kind: 'tag' as const, tagIds: [tag.tagId] }] }, colour: 'blue' as const },
      { name: 'Failures', condition: { conditions: [{ kind: 'values' as const, column: 'status', values: ['failure'] }] }, colour: 'orange' as const },
      { name: "Admins'; DROP TABLE signins; --", condition: { conditions: [{ kind: 'text' as const, column: 'user_principal_name', op: 'contains' as const, value: "admin'--" }] }, colour: 'green' as const },
      { name: 'Finding', condition: { conditions: [{ kind: 'finding' as const }] }, colour: 'purple' as const },
    ];
    // The text rule's value is hostile and matches nothing: the SQL carries it only as a parameter.
    const sql = colourRuleIndexSql(rules.map((r) => ({ ...r, enabled: true })));
    assert.ok(!sql.sql.includes('DROP') && !sql.sql.includes("admin'"), sql.sql);
    rules[3]!.condition.conditions[0] = { kind: 'text', column: 'user_principal_name', op: 'contains', value: 'admin' };

    const check = async (enabled: boolean[]) => {
      const stored = await listColourRules(session);
      const mine = stored.filter((r) => !r.builtin);
      const want = python({ file, tagged: taggedReq, finding: findingReq, enabled });
      const got = await ruleIndexForRows(session, mine, ids.map((r) => r.rowId));
      for (const { rowId, request } of ids) assert.equal(got.get(rowId) ?? null, want[request] ?? null, `row ${request}`);
      const counts = await colourRuleCounts(session, mine);
      const wantCounts = mine.map((_, i) => Object.values(want).filter((v) => v === i).length);
      assert.deepEqual(counts, wantCounts);
      return wantCounts;
    };

    // Fresh case: the defaults, not yet stored.
    assert.deepEqual((await listColourRules(session)).map((r) => r.builtin), DEFAULT_COLOUR_RULES.map((r) => r.builtin));
    assert.equal(Number(await session.db.scalar(`SELECT count(*) FROM colour_rules`)), 0);
    // Each add goes on top: add in reverse to get the order above, then turn the defaults off.
    for (const r of [...rules].reverse()) await addColourRule(session, r);
    for (const d of (await listColourRules(session)).filter((r) => r.builtin)) await updateColourRule(session, d.id, { enabled: false });
    const counts = await check([true, true, true, true, true]);
    assert.ok(counts.every((n) => n > 0), `every rule colours some rows: ${counts.join(',')}`);

    // Reordering changes which rule wins; a disabled rule takes no rows.
    const failures = (await listColourRules(session)).find((r) => r.name === 'Failures')!;
    await moveColourRule(session, failures.id, 0);
    const tor = (await listColourRules(session)).find((r) => r.name === 'Tor exit')!;
    await updateColourRule(session, tor.id, { enabled: false });
    const mineNames = (await listColourRules(session)).filter((r) => !r.builtin).map((r) => r.name);
    assert.deepEqual(mineNames, ['Failures', 'Tor exit', 'Suspicious tag', "Admins'; DROP TABLE signins; --", 'Finding']);
    // Python's rule order follows the stored one: failures, tor (off), tag, admin, finding.
    const PYORDER = ['Tor exit', 'Suspicious tag', 'Failures', "Admins'; DROP TABLE signins; --", 'Finding'];
    const reordered = await (async () => {
      const stored = (await listColourRules(session)).filter((r) => !r.builtin);
      const want = python({ file, tagged: taggedReq, finding: findingReq, enabled: PYORDER.map((n) => stored.find((r) => r.name === n)!.enabled) });
      // Map Python's first-match (in its own order) onto the stored order by re-evaluating per row.
      const got = await ruleIndexForRows(session, stored, ids.map((r) => r.rowId));
      return { stored, want, got };
    })();
    // Failures now come first: every failed row is coloured by 'Failures' whatever else it meets.
    const failedReq = new Set(records.filter((r) => (r.status as { errorCode: number }).errorCode !== 0).map((r) => String(r.id)));
    for (const { rowId, request } of ids) {
      const got = reordered.got.get(rowId);
      if (failedReq.has(request)) assert.equal(got, 0, `failed row ${request}`);
      else {
        const py = reordered.want[request];
        assert.equal(got === undefined ? null : reordered.stored[got]!.name, py === null || py === undefined ? null : PYORDER[py], `row ${request}`);
      }
    }
    assert.ok(![...reordered.got.values()].includes(1), 'the disabled rule colours nothing');

    // Timeline lanes: each single sign-in mark carries the same rule index as its grid row.
    const laneArgs = { filter: { conditions: [] }, timeZone: 'UTC', by: 'ip' as const, topN: 100, maxMarksPerLane: 5000 };
    const lanes = await timelineHandlers.timelineLanes(laneArgs, { engine: { requireCase: () => session } as unknown as Engine, transport: 'bridge' });
    assert.equal(lanes.marks.rowId.length, ids.length);
    assert.deepEqual(lanes.colourRules?.slice(0, reordered.stored.length).map((r) => r.name), reordered.stored.map((r) => r.name));
    lanes.marks.rowId.forEach((rowId, i) => assert.equal(lanes.marks.rule![i], reordered.got.get(rowId) ?? -1, `mark of row ${rowId}`));
    assert.ok(lanes.marks.rule!.some((r) => r >= 0));

    const builtin = (await listColourRules(session)).find((r) => r.builtin)!;
    await assert.rejects(deleteColourRule(session, builtin.id), /turn it off instead/);
    await deleteColourRule(session, tor.id);
    const actions = (await readAuditDb(session)).map((a) => a.action).filter((a) => a.startsWith('colour-rule.'));
    assert.deepEqual(actions, [...rules.map(() => 'colour-rule.add'), 'colour-rule.update', 'colour-rule.update', 'colour-rule.move', 'colour-rule.update', 'colour-rule.delete']);
  });
});
