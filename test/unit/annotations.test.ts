import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import { insertSyntheticRows } from '../support/gridFixture';

let engine: Engine;
let dir: string;
async function call<T = Record<string, unknown>>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(handlerTable, method, args, { engine, transport: 'bridge' });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
}
async function refused(method: string, args: unknown): Promise<string> {
  const r = await dispatch(handlerTable, method, args, { engine, transport: 'bridge' });
  assert.equal(r.ok, false, `${method} should fail`);
  return r.ok ? '' : r.error.message;
}
type Tag = { tagId: number; name: string; color: string; rows: number };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signet-annot-'));
  const s = await CaseSession.create(dir, 'test');
  await insertSyntheticRows(s, 500);
  s.close();
  engine = new Engine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-annot-data-')), appVersion: 'test', mode: 'browser' });
  await engine.openCase(dir);
});
after(() => engine.close());

test('tags: create, validate, tag the whole filtered set in one statement, filter by tag', async () => {
  const bad = await call<Tag>('createTag', { name: 'Compromised', color: '#d93025' });
  assert.equal(bad.rows, 0);
  assert.match(await refused('createTag', { name: 'compromised', color: '#000000' }), /already exists/);
  assert.match(await refused('createTag', { name: 'x', color: 'red' }), /Invalid arguments/);
  const v0 = engine.requireCase().dataVersion;
  const failures = { conditions: [{ kind: 'values', column: 'status', values: ['failure'] }], search: 'seattle' };
  const r = await call<{ added: number }>('tagRows', { tagId: bad.tagId, target: { filter: failures } });
  assert.equal(r.added, 50);
  assert.ok(engine.requireCase().dataVersion > v0, 'tagging bumps the data version so grid views rebuild');
  // Tagging again adds nothing; a selection adds only the new rows.
  assert.equal((await call<{ added: number }>('tagRows', { tagId: bad.tagId, target: { filter: failures } })).added, 0);
  assert.equal((await call<{ added: number }>('tagRows', { tagId: bad.tagId, target: { rowIds: [10, 1, 2] } })).added, 2);
  const tagged = await call<{ rows: Record<string, unknown>[]; total: number }>('getRows', { filter: { conditions: [{ kind: 'tag', tagIds: [bad.tagId] }] }, sort: [{ column: 'row_id', dir: 'asc' }], start: 0, end: 100, columns: ['status'] });
  assert.equal(tagged.total, 52);
  assert.deepEqual(tagged.rows.slice(0, 3).map((x) => x.row_id), ['1', '2', '10']);
  assert.deepEqual(tagged.rows[0]!._tags, [bad.tagId]);
  const tags = await call<Tag[]>('listTags', {});
  assert.equal(tags.find((t) => t.tagId === bad.tagId)!.rows, 52);
  // Untag a selection, then delete the tag: no row keeps it.
  assert.equal((await call<{ removed: number }>('untagRows', { tagId: bad.tagId, target: { rowIds: [1, 2, 3] } })).removed, 2);
  const other = await call<Tag>('createTag', { name: 'Reviewed', color: '#188038' });
  await call('tagRows', { tagId: other.tagId, target: { rowIds: [5] } });
  await call('updateTag', { tagId: other.tagId, name: 'Reviewed OK', color: '#1a73e8' });
  assert.equal((await call<Tag[]>('listTags', {})).find((t) => t.tagId === other.tagId)!.name, 'Reviewed OK');
  await call('deleteTag', { tagId: other.tagId });
  assert.equal(Number(await engine.requireCase().db.scalar(`SELECT count(*) FROM row_tags WHERE tag_id = ?`, [other.tagId])), 0);
  assert.match(await refused('tagRows', { tagId: 999, target: { rowIds: [1] } }), /no tag/);
});

test('notes: add, list, update, delete; refused on unknown rows or empty text', async () => {
  const n = await call<{ noteId: number; rowId: number; text: string }>('addNote', { rowId: 7, text: '  Token replay suspected  ' });
  assert.equal(n.text, 'Token replay suspected');
  await call('addNote', { rowId: 7, text: '<img src=x onerror=alert(1)>' });
  const notes = await call<{ text: string }[]>('listNotes', { rowId: 7 });
  assert.deepEqual(notes.map((x) => x.text), ['Token replay suspected', '<img src=x onerror=alert(1)>']);
  await call('updateNote', { noteId: n.noteId, text: 'Token replay confirmed' });
  assert.equal((await call<{ text: string }[]>('listNotes', { rowId: 7 }))[0]!.text, 'Token replay confirmed');
  const page = await call<{ rows: Record<string, unknown>[] }>('getRows', { filter: { conditions: [{ kind: 'rows', rowIds: [7] }] }, sort: [], start: 0, end: 1, columns: ['row_id'] });
  assert.equal(page.rows[0]!._notes, 2);
  await call('deleteNote', { noteId: n.noteId });
  assert.equal((await call<unknown[]>('listNotes', {})).length, 1);
  assert.match(await refused('addNote', { rowId: 123456, text: 'x' }), /no row 123456/);
  assert.match(await refused('addNote', { rowId: 7, text: '   ' }), /cannot be empty/);
});

test('tags and notes persist in the case and survive reopening', async () => {
  engine.closeCase();
  await engine.openCase(dir);
  const tags = await call<Tag[]>('listTags', {});
  assert.deepEqual(tags.map((t) => [t.name, t.rows]), [['Compromised', 50]]);
  assert.equal((await call<unknown[]>('listNotes', { rowId: 7 })).length, 1);
});
