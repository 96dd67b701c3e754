import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { readAuditDb } from '../../electron/engine/custody/audit';
import { verifyCase } from '../../electron/engine/custody/verifyCase';
import { generateReport } from '../../electron/engine/report/generateReport';
import { applyView, deleteView, listSavedViews, renameView, saveView } from '../../electron/engine/savedViews/savedViews';
import type { ViewStateInput } from '../../electron/engine/savedViews/viewState';
import { graphObject, signin } from '../support/fixtures/signinFixtures';
import { freshCase, importInto, workDir, writeEvidence } from '../support/fixtures/importHarness';

const STATE: ViewStateInput = {
  filter: { conditions: [{ kind: 'values', column: 'status', values: ['failure'] }], search: 'ip:203.0.113.0/24' },
  sort: [{ column: 'user_principal_name', dir: 'asc' }],
  columns: [
    { name: 'time_utc', width: 200 },
    { name: 'user_principal_name' },
    { name: 'ip_address', hidden: true },
  ],
  timeZone: 'Europe/Berlin',
  grouping: { columns: ['user_principal_name', 'ip_address'], sort: { key: 'failures', dir: 'desc' } },
};

test('saved views: save, list, apply, rename, delete are kept in the case, audited, survive reopening and appear in the report', async () => {
  const dir = workDir('saved-views');
  const file = writeEvidence(dir, 'signins.json', JSON.stringify({ value: Array.from({ length: 8 }, (_, i) => graphObject(signin(i + 1))) }));
  let session = await freshCase(dir);
  await importInto(session, [file]);
  const auditBefore = (await readAuditDb(session)).length;

  const saved = await saveView(session, '  Failures   by user ', STATE);
  assert.equal(saved.name, 'Failures by user');
  assert.deepEqual(saved.state, { version: 1, ...STATE });
  assert.equal(saved.filterText, 'Status is one of "failure" AND search "ip:203.0.113.0/24"');
  await assert.rejects(saveView(session, 'failures BY user', STATE), /already exists/);
  await assert.rejects(saveView(session, '   ', STATE), /needs a name/);
  // Grouping is the grid's group-by: only its allow-listed columns, at most two.
  await assert.rejects(saveView(session, 'bad grouping', { ...STATE, grouping: { columns: ['raw' as 'country'] } }));
  await assert.rejects(saveView(session, 'three groups', { ...STATE, grouping: { columns: ['user_principal_name', 'ip_address', 'country'] } }));
  // A state the contract would refuse is refused by the engine too (no unvalidated JSON is stored).
  await assert.rejects(saveView(session, 'bad', { ...STATE, timeZone: "x'; DROP TABLE signins; --" }));
  const second = await saveView(session, 'All rows', { filter: { conditions: [] }, sort: [], columns: [], timeZone: 'UTC' });
  assert.deepEqual((await listSavedViews(session)).map((v) => v.name), ['All rows', 'Failures by user']);

  const applied = await applyView(session, saved.id);
  assert.deepEqual(applied.state, saved.state);
  assert.ok(applied.lastAppliedAt);
  const renamed = await renameView(session, saved.id, 'Failed sign-ins');
  assert.equal(renamed.name, 'Failed sign-ins');
  await assert.rejects(renameView(session, saved.id, 'all ROWS'), /already exists/);
  await deleteView(session, second.id);
  await assert.rejects(deleteView(session, second.id), /No saved view/);

  const actions = (await readAuditDb(session)).slice(auditBefore).map((a) => [a.action, JSON.parse(a.detail) as Record<string, unknown>] as const);
  assert.deepEqual(
    actions.map(([a]) => a),
    ['view.save', 'view.save', 'view.apply', 'view.rename', 'view.delete'],
  );
  assert.equal(actions[0]![1].name, 'Failures by user');
  assert.equal(actions[3]![1].from, 'Failures by user');
  assert.equal(actions[3]![1].to, 'Failed sign-ins');
  assert.equal(actions[4]![1].name, 'All rows');
  assert.ok(actions.every(([, d]) => d.tableChecksums), 'each entry records the saved_views checksum');

  session.close();
  session = await CaseSession.open(join(dir, 'case'), { access: 'write' });
  try {
    const views = await listSavedViews(session);
    assert.deepEqual(views.map((v) => [v.name, v.state.timeZone, v.state.grouping?.columns]), [['Failed sign-ins', 'Europe/Berlin', ['user_principal_name', 'ip_address']]]);
    const verdict = await verifyCase(session);
    assert.equal(verdict.ok, true, JSON.stringify(verdict.tables.filter((t) => t.status !== 'ok')));
    const report = await generateReport(session, join(dir, 'report.html'));
    const html = readFileSync(report.path, 'utf8');
    assert.match(html, /<h2>Saved views and colour rules<\/h2>/);
    assert.match(html, /Failed sign-ins<\/td><td[^>]*>Status is one of &quot;failure&quot; AND search &quot;ip:203\.0\.113\.0\/24&quot;/);
  } finally {
    session.close();
  }
});
